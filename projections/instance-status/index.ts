export * from './instance-status.migration';
export * from './instance-status.projection';
export * from './instance-status.queries';
export * from './instance-status.table';
