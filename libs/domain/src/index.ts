export * from './shared/decider';
export * from './shared/domain-error';
export * from './shared/exhaustive';
export * from './value-objects';
export * from './ticket';
export * from './callback';
export * from './instance';
export * from './service';
