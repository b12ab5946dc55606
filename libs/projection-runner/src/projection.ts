import type { Kysely, Transaction } from 'kysely';
import type { RecordedEvent } from '@app/event-store';

/**
 * A read model's projection: data plus one function. `apply` writes the rows for a batch of the events it
 * handles, inside the transaction that also moves its checkpoint, so a batch counts exactly once. Changing
 * `version` builds it again from the beginning of the log in tables of its own, beside the version queries read,
 * and queries switch to it once it has caught up (see read-model-versions.ts).
 */
export type Projection<DB> = Readonly<{
  name: string;
  version: number;
  /** The event types `apply` wants; the runner reads only these from the log. */
  handles: readonly string[];
  /**
   * The read-model tables `apply` writes and only it does. Each version gets empty copies of them in a schema of
   * its own; their shape comes from the migrations. A projection that keeps no tables (a reactor) names none.
   */
  tables?: readonly (keyof DB & string)[];
  apply: (events: readonly RecordedEvent[], trx: Transaction<DB>) => Promise<void>;
}>;

/**
 * What a read model's queries need of a database: reads. Narrower than `Kysely<DB>`, so the one database of every
 * read-model table can be handed to the queries of any one of them.
 */
export type ReadModelReader<DB> = Pick<Kysely<DB>, 'selectFrom'>;
