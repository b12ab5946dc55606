export * from './contract-users.migration';
export * from './contract-users.projection';
export * from './contract-users.queries';
export * from './contract-users.table';
