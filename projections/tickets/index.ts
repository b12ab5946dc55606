export * from './tickets.migration';
export * from './tickets.projection';
export * from './tickets.queries';
export * from './tickets.table';
