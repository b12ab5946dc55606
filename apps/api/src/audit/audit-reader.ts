import { Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { AuditLogDatabase } from '@app/projections';
import { QueryReader } from '../queries/query-reader';

/** The audit log's tables, as the audit endpoints read them: the version queries read (see QueryReader). */
@Injectable()
export class AuditReader {
  readonly db: Kysely<AuditLogDatabase>;

  constructor(reader: QueryReader) {
    this.db = reader.db as unknown as Kysely<AuditLogDatabase>;
  }
}
