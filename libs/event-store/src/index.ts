export * from './concurrency-error';
export * from './event-store.port';
export * from './position';
export * from './stream-name';
export * from './upcasting';
export * from './postgres/postgres-event-store';
export * from './postgres/event-store.schema';
export * from './eventstoredb/eventstoredb-event-store';
