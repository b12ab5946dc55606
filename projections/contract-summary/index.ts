export * from './contract-summary.migration';
export * from './contract-summary.projection';
export * from './contract-summary.queries';
export * from './contract-summary.table';
