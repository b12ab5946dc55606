import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { correlationIdFor, type Caller } from '@app/platform';
import { callerOf } from '../auth/current-user.decorator';
import { commandIdFor, entityIdFor, idempotencyKeyOf, type IdempotencyKey } from './idempotency-key';
import { requestDigest } from './request-digest';

/** Everything the write path needs from an HTTP command request, besides the command itself. */
export type CommandContext = Readonly<{
  caller: Caller;
  correlationId: string;
  idempotencyKey: IdempotencyKey;
  /** `CommandEnvelope.commandId`: see {@link commandIdFor}. */
  commandId: string;
  /** `CommandEnvelope.requestDigest`: see {@link requestDigest}. */
  requestDigest: string;
  /** The id of the entity of `kind` this command creates: see {@link entityIdFor}; the same kind, the same id. */
  entityId: (kind: string) => string;
}>;

/**
 * `@CommandContext() context: CommandContext` on an authenticated command route: the caller, the correlation
 * id, the idempotency key and what derives from them. A malformed Idempotency-Key is a 400.
 */
export const CommandContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandContext => {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const caller = callerOf(request);
    if (caller === undefined) throw new Error('@CommandContext() used on a route without authentication');
    const key = idempotencyKeyOf(request);
    const entityIds = new Map<string, string>();
    const route = (request.route as { path?: unknown } | undefined)?.path;
    return {
      caller,
      correlationId: correlationIdFor(request, http.getResponse<Response>()),
      idempotencyKey: key,
      commandId: commandIdFor(caller, key),
      requestDigest: requestDigest({
        method: request.method,
        route: typeof route === 'string' ? route : request.path,
        params: request.params,
        body: request.body as unknown,
        userId: caller.userId,
      }),
      entityId: (kind) => {
        let id = entityIds.get(kind);
        if (id === undefined) entityIds.set(kind, (id = entityIdFor(caller, key, kind)));
        return id;
      },
    };
  },
);
