import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { deterministicUuid } from '@app/command-handling';
import type { Caller } from '@app/platform';
import { RequestValidationError } from '../errors/api-error';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Printable ASCII (space to tilde), 1 to 200 characters. */
const KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;

/**
 * The request's idempotency key: the client's `Idempotency-Key` (`supplied`), or a fresh random id when it
 * sent none, so a command always has an id — one that a retry without the header will not repeat.
 */
export type IdempotencyKey = Readonly<{ value: string; supplied: boolean }>;

/**
 * Reads the Idempotency-Key header.
 * @throws RequestValidationError (400) for a key that is empty, longer than 200 characters, not printable
 * ASCII, or sent twice.
 */
export const parseIdempotencyKey = (header: string | readonly string[] | undefined): IdempotencyKey => {
  const values = typeof header === 'string' ? [header] : (header ?? []);
  if (values.length === 0) return { value: randomUUID(), supplied: false };
  const [value] = values;
  if (values.length === 1 && value !== undefined && KEY_PATTERN.test(value)) return { value, supplied: true };
  throw new RequestValidationError([
    {
      field: IDEMPOTENCY_KEY_HEADER,
      message: `${IDEMPOTENCY_KEY_HEADER} must be 1 to 200 printable ASCII characters, sent once`,
    },
  ]);
};

/** The request's checked Idempotency-Key header, or a fresh random id. */
export const idempotencyKeyOf = (request: Request): IdempotencyKey =>
  // Node joins a repeated header with ", " (which would pass as one key); the distinct values tell.
  parseIdempotencyKey(request.headersDistinct[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);

/** `@IdempotencyKey() key: IdempotencyKey` — see {@link idempotencyKeyOf}; a malformed key is a 400. */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotencyKey =>
    idempotencyKeyOf(context.switchToHttp().getRequest<Request>()),
);

/**
 * The command id for the write path (`CommandEnvelope.commandId`): derived from the caller and their key, so
 * keys are the caller's own — two users who happen to pick the same key never meet — and the same key
 * again finds the first command. Without a key, the random one.
 */
export const commandIdFor = (caller: Caller, key: IdempotencyKey): string =>
  key.supplied ? deterministicUuid('command', caller.userId, key.value) : key.value;

/**
 * The id of an entity a command creates (a contract, a service, a ticket), of the given `kind`: with a key,
 * derived from (caller, key, kind) — a retried request creates the same entity, so it finds the first
 * command's events instead of creating a twin; without one, random.
 */
export const entityIdFor = (caller: Caller, key: IdempotencyKey, kind: string): string =>
  key.supplied ? deterministicUuid('entity', kind, caller.userId, key.value) : randomUUID();
