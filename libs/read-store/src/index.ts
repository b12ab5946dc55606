export * from './database-connection';
export * from './pglite-dialect';
