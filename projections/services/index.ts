export * from './services.migration';
export * from './services.projection';
export * from './services.queries';
export * from './services.table';
