export * from './decider-specification';
export * from './test-database';
export * from './tcp-proxy';
export * from './projection-specification';
export * from './event-log-generator';
