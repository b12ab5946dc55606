export * from './worker.module';
export * from './notifications';
