import type { CheckpointDatabase } from '@app/projection-runner';
import type { ContractUsersDatabase } from './contract-users';
import type { ServicesDatabase } from './services';

export * from './contract-users';
export * from './services';

/** Every read-model table, for kysely: one interface, so no call site needs `Kysely<any>`. */
export interface ReadModelDatabase extends ContractUsersDatabase, ServicesDatabase, CheckpointDatabase {}
