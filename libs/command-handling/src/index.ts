export * from './clock';
export * from './deterministic-id';
export * from './handle-command';
export * from './aggregate-cache';
export * from './snapshots';
export * from './snapshot-policies';
export * from './stream-turns';
