export * from './database-connection';
export * from './pglite-dialect';
export * from './migrations/migrations';
