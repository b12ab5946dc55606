export * from './infrastructure/infrastructure.module';
export * from './infrastructure/infrastructure.tokens';
export * from './logging/logger-params';
export * from './start/exit-on-config-error';
export * from './logging/correlation-id';
