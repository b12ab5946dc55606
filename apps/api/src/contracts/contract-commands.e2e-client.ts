import request from 'supertest';
import { contractStream } from '@app/domain';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import type { ApiTestApp } from '../testing/api-test-app';

/** What every command answers, and what a refusal looks like, as e2e tests read them. */
export type Answer = { id: string; position: string };
export type Refusal = {
  statusCode: number;
  code: string;
  message: string;
  details?: { field: string; message: string }[];
};
export const answer = (response: { body: unknown }): Answer => response.body as Answer;
export const refusal = (response: { body: unknown }): Refusal => response.body as Refusal;
/** The fields a 400 names, sorted. */
export const badFields = (response: { body: unknown }): string[] =>
  (refusal(response).details ?? []).map((problem) => problem.field).sort();

export const CONTRACT_BODY = {
  holderName: 'Maria da Silva ME',
  document: '529.982.247-25',
  phones: ['+5511987654321'],
} as const;

type Method = 'post' | 'put' | 'delete';

/**
 * The contract endpoints as supertest calls: each takes the bearer token (none when undefined) and, last, an
 * optional Idempotency-Key, and gives the pending request so a test can `.expect()` on it.
 */
export const contractCommands = (api: ApiTestApp) => {
  const call = (method: Method, path: string, token: string | undefined, body?: object, key?: string) => {
    let pending = request(api.server)[method](path);
    if (token !== undefined) pending = pending.set('Authorization', `Bearer ${token}`);
    if (key !== undefined) pending = pending.set('Idempotency-Key', key);
    return body === undefined ? pending : pending.send(body);
  };
  return {
    open: (token: string | undefined, body: object = CONTRACT_BODY, key?: string) =>
      call('post', '/contracts', token, body, key),
    invite: (token: string | undefined, contractId: string, body: object, key?: string) =>
      call('post', `/contracts/${contractId}/invitations`, token, body, key),
    accept: (token: string | undefined, contractId: string, invitationId: string, key?: string) =>
      call('post', `/contracts/${contractId}/invitations/${invitationId}/acceptance`, token, undefined, key),
    revoke: (token: string | undefined, contractId: string, invitationId: string, key?: string) =>
      call('delete', `/contracts/${contractId}/invitations/${invitationId}`, token, undefined, key),
    changePermissions: (
      token: string | undefined,
      contractId: string,
      userId: string,
      body: object,
      key?: string,
    ) => call('put', `/contracts/${contractId}/users/${userId}/permissions`, token, body, key),
    removeUser: (token: string | undefined, contractId: string, userId: string, key?: string) =>
      call('delete', `/contracts/${contractId}/users/${userId}`, token, undefined, key),
    transferOwnership: (token: string | undefined, contractId: string, body: object, key?: string) =>
      call('post', `/contracts/${contractId}/ownership-transfer`, token, body, key),
    addContact: (token: string | undefined, contractId: string, body: object, key?: string) =>
      call('post', `/contracts/${contractId}/contacts`, token, body, key),
    removeContact: (token: string | undefined, contractId: string, contactId: string, key?: string) =>
      call('delete', `/contracts/${contractId}/contacts/${contactId}`, token, undefined, key),
    changePaymentMethod: (token: string | undefined, contractId: string, body: object, key?: string) =>
      call('put', `/contracts/${contractId}/payment-method`, token, body, key),
  };
};

export type ContractCommands = ReturnType<typeof contractCommands>;

/** The contract's stream as the app's own event store has it. */
export const contractEvents = (api: ApiTestApp, contractId: string): Promise<readonly RecordedEvent[]> =>
  api.app.get<EventStore>(EVENT_STORE).readStream(contractStream(contractId));

/** The type and data of the stream's last event. */
export const lastEvent = async (
  api: ApiTestApp,
  contractId: string,
): Promise<{ type: string; data: unknown } | undefined> => {
  const events = await contractEvents(api, contractId);
  const last = events.at(-1);
  return last && { type: last.type, data: last.data };
};

export type Joined = Readonly<{ userId: string; email: string; token: string; invitationId: string }>;

/** A user who joined `contractId` through the endpoints: invited by the owner, then accepted with their login. */
export const joinContract = async (
  api: ApiTestApp,
  ownerToken: string,
  contractId: string,
  user: Readonly<{ userId: string; email: string }>,
  permissions: readonly string[],
): Promise<Joined> => {
  const commands = contractCommands(api);
  const invited = await commands
    .invite(ownerToken, contractId, { email: user.email, permissions })
    .expect(201);
  const { id: invitationId } = answer(invited);
  const token = await api.tokenFor(user);
  await commands.accept(token, contractId, invitationId).expect(200);
  return { ...user, token, invitationId };
};
