// What command and query endpoints use from the HTTP platform; import from here rather than from its files.
export * from './auth/current-user.decorator';
export * from './auth/public.decorator';
export * from './auth/require-roles.decorator';
export * from './errors/api-error';
export * from './errors/domain-error-status';
export * from './errors/error-body';
export * from './idempotency/command-context.decorator';
export * from './idempotency/idempotency-key';
export * from './idempotency/request-digest';
export * from './request/correlation-id.decorator';
export * from './request/empty-body.pipe';
export * from './request/parse-id.pipe';
