export * from './audit-log.migration';
export * from './audit-log.projection';
export * from './audit-log.queries';
export * from './audit-log.table';
export * from './audit-state';
export * from './audit-history';
