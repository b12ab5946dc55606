export * from './notification-messages';
export * from './notification-outbox';
export * from './notifications.migration';
export * from './notifications.projection';
export * from './notifications.queries';
export * from './notifications.table';
