export * from './callbacks.migration';
export * from './callbacks.projection';
export * from './callbacks.queries';
export * from './callbacks.table';
