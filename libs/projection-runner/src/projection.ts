import type { Kysely, Transaction } from 'kysely';
import type { RecordedEvent } from '@app/event-store';

/**
 * A read model's projection: data plus one function. `apply` writes the rows for a batch of the events it
 * handles, inside the transaction that also moves its checkpoint, so a batch counts exactly once. Changing
 * `version` starts it again from the beginning of the log.
 */
export type Projection<DB> = Readonly<{
  name: string;
  version: number;
  /** The event types `apply` wants; the runner reads only these from the log. */
  handles: readonly string[];
  apply: (events: readonly RecordedEvent[], trx: Transaction<DB>) => Promise<void>;
}>;

/**
 * What a read model's queries need of a database: reads. Narrower than `Kysely<DB>`, so the one database of every
 * read-model table can be handed to the queries of any one of them.
 */
export type ReadModelReader<DB> = Pick<Kysely<DB>, 'selectFrom'>;
