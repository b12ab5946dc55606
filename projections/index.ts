import type { CheckpointDatabase, Projection } from '@app/projection-runner';
import { contractUsersProjection } from './contract-users';
import { servicesProjection } from './services';
import type { ContractUsersDatabase } from './contract-users';
import type { ServicesDatabase } from './services';

export * from './contract-users';
export * from './services';

/** Every read-model table, for kysely: one interface, so no call site needs `Kysely<any>`. */
export interface ReadModelDatabase extends ContractUsersDatabase, ServicesDatabase, CheckpointDatabase {}

/**
 * A projection of some of the tables, run on a transaction over all of them: sound, since it touches only its
 * own tables, but kysely's types cannot say that a database with more tables is one with fewer.
 */
const onAllTables = <DB>(projection: Projection<DB>): Projection<ReadModelDatabase> =>
  projection as unknown as Projection<ReadModelDatabase>;

/** Every read model the worker keeps up to date. */
export const READ_MODEL_PROJECTIONS: readonly Projection<ReadModelDatabase>[] = [
  onAllTables(servicesProjection),
  onAllTables(contractUsersProjection),
];
