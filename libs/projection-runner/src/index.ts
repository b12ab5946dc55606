export * from './apply-batch';
export * from './projection';
export * from './projection-checkpoints.table';
export * from './projection-lease';
export * from './projection-runner';
export * from './event-guard';
export * from './checkpoint-waiter';
