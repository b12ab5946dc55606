import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { DATABASE } from '@app/platform';
import type { AuditLogDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';

/** The audit log's tables, as the audit endpoints read them. */
@Injectable()
export class AuditReader {
  readonly db: Kysely<AuditLogDatabase>;

  constructor(@Inject(DATABASE) database: DatabaseConnection) {
    this.db = database.db as Kysely<AuditLogDatabase>;
  }
}
