export * from './alerts.migration';
export * from './alerts.projection';
export * from './alerts.queries';
export * from './alerts.table';
