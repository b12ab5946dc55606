import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Caller } from '@app/platform';

const callers = new WeakMap<Request, Caller>();

/** Records who the verified token says is calling (the guard does, once per request). */
export const setCaller = (request: Request, caller: Caller): void => {
  callers.set(request, caller);
};

/** The authenticated caller of a request; a route marked @Public() has none. */
export const callerOf = (request: Request): Caller | undefined => callers.get(request);

/**
 * `@CurrentUser() caller: Caller` — who is calling, from the verified bearer token: `{ userId, email, roles }`.
 * On a @Public() route there is no caller, and using it there is a bug (a 500, logged).
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = callerOf(context.switchToHttp().getRequest<Request>());
  if (caller === undefined) throw new Error('@CurrentUser() used on a route without authentication');
  return caller;
});
