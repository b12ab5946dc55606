export * from './billing-agenda.migration';
export * from './billing-agenda.projection';
export * from './billing-agenda.queries';
export * from './billing-agenda.table';
