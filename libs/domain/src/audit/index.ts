export * from './audited-aggregates';
export * from './state-changes';
