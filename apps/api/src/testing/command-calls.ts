import request from 'supertest';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import type { ApiTestApp } from './api-test-app';

export type CommandMethod = 'post' | 'put' | 'delete';

export type CommandCall = Readonly<{
  method: CommandMethod;
  path: string;
  body?: object;
}>;

/** Sends a command request as the holder of `token` (none: anonymous), with an Idempotency-Key when given. */
export const sendCommand = (
  api: ApiTestApp,
  { method, path, body }: CommandCall,
  options: Readonly<{ token?: string; key?: string }> = {},
): request.Test => {
  let call = request(api.server)[method](path);
  if (options.token !== undefined) call = call.set('Authorization', `Bearer ${options.token}`);
  if (options.key !== undefined) call = call.set('Idempotency-Key', options.key);
  return body === undefined ? call : call.send(body);
};

/** Every event of a stream, read from the app's own event store. */
export const eventsOf = (api: ApiTestApp, stream: string): Promise<readonly RecordedEvent[]> =>
  api.app.get<EventStore>(EVENT_STORE).readStream(stream);

/** The last event of a stream (the test fails when there is none). */
export const lastEventOf = async (api: ApiTestApp, stream: string): Promise<RecordedEvent> => {
  const events = await eventsOf(api, stream);
  const last = events[events.length - 1];
  if (last === undefined) throw new Error(`${stream} has no events`);
  return last;
};

type Refusal = { statusCode: number; code: string; message: string; details?: unknown };

/** The error body of a refused request. */
export const refusalOf = (response: { body: unknown }): Refusal => response.body as Refusal;

/** The fields a 400 VALIDATION_FAILED names, sorted. */
export const badFieldsOf = (response: { body: unknown }): string[] =>
  ((refusalOf(response).details ?? []) as { field: string }[]).map((problem) => problem.field).sort();
