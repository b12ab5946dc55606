export * from './service-status-timeline.migration';
export * from './service-status-timeline.projection';
export * from './service-status-timeline.queries';
export * from './service-status-timeline.table';
