export * from './invoices.migration';
export * from './invoices.projection';
export * from './invoices.queries';
export * from './invoices.table';
