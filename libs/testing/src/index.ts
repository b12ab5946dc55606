export * from './decider-specification';
export * from './test-database';
