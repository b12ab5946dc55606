export * from './notification-sender';
export * from './notification-sender.module';
export * from './notification-transport';
