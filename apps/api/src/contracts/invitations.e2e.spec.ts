import { fixedClock } from '@app/command-handling';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import {
  answer,
  badFields,
  contractCommands,
  contractEvents,
  joinContract,
  lastEvent,
  refusal,
  type ContractCommands,
} from './contract-commands.e2e-client';

const HOUR_MS = 3_600_000;

describe('invitations over HTTP', () => {
  let api: ApiTestApp;
  let commands: ContractCommands;
  let owner: string;
  let contractId: string;
  let serial = 0;
  /** A login no contract has seen yet. */
  const newcomer = () => {
    serial += 1;
    return { userId: `u-new-${serial}`, email: `novo-${serial}@exemplo.com.br` };
  };

  beforeAll(async () => {
    api = await startApiTestApp();
    commands = contractCommands(api);
    owner = await api.tokenFor({ userId: 'u-owner', email: 'dona@exemplo.com.br' });
  });
  afterAll(() => api.close());
  beforeEach(async () => {
    contractId = answer(await commands.open(owner).expect(201)).id;
  });

  describe('POST /contracts/:id/invitations', () => {
    it('records the invitation for 168 hours and answers its id', async () => {
      const response = await commands
        .invite(owner, contractId, {
          email: ' Joao@Exemplo.com.br ',
          permissions: ['tickets', 'billing', 'tickets'],
        })
        .expect(201);
      const { id, position } = answer(response);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(position).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
      const event = await lastEvent(api, contractId);
      expect(event).toMatchObject({
        type: 'UserInvited',
        data: {
          contractId,
          invitationId: id,
          email: 'joao@exemplo.com.br',
          permissions: ['billing', 'tickets'],
        },
      });
      const { invitedAt, expiresAt } = event?.data as { invitedAt: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.parse(invitedAt)).toBe(168 * HOUR_MS);
    });

    it('lists each bad field, and refuses an unknown one', async () => {
      const shapes = await commands
        .invite(owner, contractId, { email: 7, permissions: 'billing' })
        .expect(400);
      expect(badFields(shapes)).toEqual(['email', 'permissions']);
      const unknown = await commands
        .invite(owner, contractId, { email: 'a@exemplo.com.br', permissions: [], isOwner: true })
        .expect(400);
      expect(badFields(unknown)).toEqual(['isOwner']);
    });

    it('refuses an address or a permission the domain does not accept, appending nothing', async () => {
      const before = (await contractEvents(api, contractId)).length;
      const email = await commands
        .invite(owner, contractId, { email: 'not-an-email', permissions: [] })
        .expect(400);
      expect(badFields(email)).toEqual(['email']);
      const permission = await commands
        .invite(owner, contractId, { email: 'a@exemplo.com.br', permissions: ['root'] })
        .expect(400);
      expect(badFields(permission)).toEqual(['permissions']);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it("refuses the owner's address and a user's with ALREADY_A_USER", async () => {
      const ownerAgain = await commands
        .invite(owner, contractId, { email: 'DONA@exemplo.com.br', permissions: [] })
        .expect(422);
      expect(refusal(ownerAgain).code).toBe('ALREADY_A_USER');
      const user = await joinContract(api, owner, contractId, newcomer(), ['tickets']);
      const userAgain = await commands
        .invite(owner, contractId, { email: user.email, permissions: [] })
        .expect(422);
      expect(refusal(userAgain).code).toBe('ALREADY_A_USER');
    });

    it('refuses a second pending invitation to the same address with INVITATION_PENDING', async () => {
      const body = { email: 'pedro@exemplo.com.br', permissions: ['tickets'] };
      await commands.invite(owner, contractId, body).expect(201);
      const before = (await contractEvents(api, contractId)).length;
      const second = await commands
        .invite(owner, contractId, { ...body, permissions: ['billing'] })
        .expect(422);
      expect(refusal(second).code).toBe('INVITATION_PENDING');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('answers a retry with the same key byte for byte, appending nothing, and refuses the key for another body', async () => {
      const body = { email: 'rita@exemplo.com.br', permissions: ['orders'] };
      const first = await commands.invite(owner, contractId, body, 'invite-rita').expect(201);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands.invite(owner, contractId, body, 'invite-rita').expect(201);
      expect(retry.text).toBe(first.text);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
      const reused = await commands
        .invite(owner, contractId, { ...body, email: 'outra@exemplo.com.br' }, 'invite-rita')
        .expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });
  });

  describe('POST /contracts/:id/invitations/:invitationId/acceptance', () => {
    it('makes the invited login a user with the invited permissions, whatever the case of its e-mail', async () => {
      const user = newcomer();
      const invited = await commands
        .invite(owner, contractId, { email: user.email, permissions: ['contacts'] })
        .expect(201);
      const { id: invitationId } = answer(invited);
      const token = await api.tokenFor({ ...user, email: user.email.toUpperCase() });
      const contact = { name: 'Técnico', email: 'tec@exemplo.com.br', categories: ['technical'] };
      await commands.addContact(token, contractId, contact).expect(404);

      const accepted = await commands.accept(token, contractId, invitationId).expect(200);
      expect(answer(accepted).id).toBe(invitationId);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'InvitationAccepted',
        data: { invitationId, userId: user.userId, email: user.email, permissions: ['contacts'] },
      });
      await commands.addContact(token, contractId, contact).expect(201);
    });

    it('changes nothing when the same user accepts again', async () => {
      const user = await joinContract(api, owner, contractId, newcomer(), []);
      const before = (await contractEvents(api, contractId)).length;
      await commands.accept(user.token, contractId, user.invitationId).expect(200);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('refuses a login whose e-mail is not the invited one with 403 INVITATION_NOT_FOR_YOU', async () => {
      const { id: invitationId } = answer(
        await commands
          .invite(owner, contractId, { email: 'certo@exemplo.com.br', permissions: [] })
          .expect(201),
      );
      const other = await api.tokenFor({ userId: 'u-other', email: 'errado@exemplo.com.br' });
      const before = (await contractEvents(api, contractId)).length;
      const response = await commands.accept(other, contractId, invitationId).expect(403);
      expect(refusal(response)).toMatchObject({ statusCode: 403, code: 'INVITATION_NOT_FOR_YOU' });
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('refuses a login that is already a user with ALREADY_A_USER', async () => {
      const user = await joinContract(api, owner, contractId, newcomer(), ['tickets']);
      // The same login, now with another e-mail in its token, invited at that address.
      const { id: invitationId } = answer(
        await commands
          .invite(owner, contractId, { email: 'segundo@exemplo.com.br', permissions: [] })
          .expect(201),
      );
      const sameLogin = await api.tokenFor({ userId: user.userId, email: 'segundo@exemplo.com.br' });
      const response = await commands.accept(sameLogin, contractId, invitationId).expect(422);
      expect(refusal(response).code).toBe('ALREADY_A_USER');
    });

    it('answers a missing invitation and a missing contract alike, so neither reveals the contract', async () => {
      const anyone = await api.tokenFor({ userId: 'u-curious', email: 'curioso@exemplo.com.br' });
      const noInvitation = await commands.accept(anyone, contractId, 'no-such-invitation').expect(404);
      const noContract = await commands.accept(anyone, 'no-such-contract', 'no-such-invitation').expect(404);
      expect(noInvitation.body).toEqual(noContract.body);
      expect(noContract.body).toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'There is no such invitation.',
      });
    });

    it('refuses malformed ids in the path, naming them', async () => {
      const response = await commands.accept(owner, 'bad.id', 'also bad').expect(400);
      expect(refusal(response).code).toBe('VALIDATION_FAILED');
      const invitation = await commands.accept(owner, contractId, 'bad.id').expect(400);
      expect(badFields(invitation)).toEqual(['invitationId']);
    });

    it('answers a retry with the same key byte for byte and refuses the key for another invitation', async () => {
      const user = newcomer();
      const token = await api.tokenFor(user);
      const { id: first } = answer(
        await commands.invite(owner, contractId, { email: user.email, permissions: [] }).expect(201),
      );
      const accepted = await commands.accept(token, contractId, first, 'accept-1').expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands.accept(token, contractId, first, 'accept-1').expect(200);
      expect(retry.text).toBe(accepted.text);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
      const reused = await commands.accept(token, contractId, 'another-invitation', 'accept-1').expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('DELETE /contracts/:id/invitations/:invitationId', () => {
    it('withdraws a pending invitation, which can then no longer be accepted', async () => {
      const user = newcomer();
      const { id: invitationId } = answer(
        await commands.invite(owner, contractId, { email: user.email, permissions: ['billing'] }).expect(201),
      );
      const revoked = await commands.revoke(owner, contractId, invitationId).expect(200);
      expect(answer(revoked).id).toBe(invitationId);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'InvitationRevoked',
        data: { contractId, invitationId },
      });
      const late = await commands.accept(await api.tokenFor(user), contractId, invitationId).expect(422);
      expect(refusal(late).code).toBe('INVALID_TRANSITION');
      // No longer pending, so the address may be invited again.
      await commands.invite(owner, contractId, { email: user.email, permissions: [] }).expect(201);
    });

    it('changes nothing when revoking again, and answers 404 for an invitation that never was', async () => {
      const { id: invitationId } = answer(
        await commands.invite(owner, contractId, { email: 'x@exemplo.com.br', permissions: [] }).expect(201),
      );
      await commands.revoke(owner, contractId, invitationId).expect(200);
      const before = (await contractEvents(api, contractId)).length;
      await commands.revoke(owner, contractId, invitationId).expect(200);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
      const missing = await commands.revoke(owner, contractId, 'no-such-invitation').expect(404);
      expect(refusal(missing).message).toBe('There is no such invitation.');
    });

    it('refuses an accepted invitation with INVALID_TRANSITION', async () => {
      const user = await joinContract(api, owner, contractId, newcomer(), []);
      const response = await commands.revoke(owner, contractId, user.invitationId).expect(422);
      expect(refusal(response).code).toBe('INVALID_TRANSITION');
    });

    it('refuses a malformed invitation id, naming it', async () => {
      const response = await commands.revoke(owner, contractId, 'bad.id').expect(400);
      expect(badFields(response)).toEqual(['invitationId']);
    });

    it('answers a retry with the same key byte for byte and refuses the key for another invitation', async () => {
      const invite = (email: string) =>
        commands
          .invite(owner, contractId, { email, permissions: [] })
          .expect(201)
          .then((response) => answer(response).id);
      const [one, two] = [await invite('um@exemplo.com.br'), await invite('dois@exemplo.com.br')];
      const first = await commands.revoke(owner, contractId, one, 'revoke-1').expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands.revoke(owner, contractId, one, 'revoke-1').expect(200);
      expect(retry.text).toBe(first.text);
      const reused = await commands.revoke(owner, contractId, two, 'revoke-1').expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });
  });
});

describe('invitations as time passes', () => {
  const sentAt = new Date('2026-03-02T12:00:00.000Z');
  const clock = fixedClock(sentAt);
  const after = (hours: number) => new Date(sentAt.getTime() + hours * HOUR_MS);
  let api: ApiTestApp;
  let commands: ContractCommands;
  let owner: string;
  let contractId: string;

  beforeAll(async () => {
    api = await startApiTestApp({ clock });
    commands = contractCommands(api);
    owner = await api.tokenFor({ userId: 'u-owner', email: 'dona@exemplo.com.br' });
  });
  afterAll(() => api.close());
  beforeEach(async () => {
    clock.set(sentAt);
    contractId = answer(await commands.open(owner).expect(201)).id;
  });

  const invite = async (email: string) =>
    answer(await commands.invite(owner, contractId, { email, permissions: ['tickets'] }).expect(201)).id;

  it('still accepts an invitation 167 hours after it was sent', async () => {
    const invitationId = await invite('ana@exemplo.com.br');
    clock.set(after(167));
    const token = await api.tokenFor({ userId: 'u-ana', email: 'ana@exemplo.com.br' });
    await commands.accept(token, contractId, invitationId).expect(200);
  });

  it('refuses it 169 hours after with INVITATION_EXPIRED, appending nothing', async () => {
    const invitationId = await invite('ana@exemplo.com.br');
    clock.set(after(169));
    const token = await api.tokenFor({ userId: 'u-ana', email: 'ana@exemplo.com.br' });
    const before = (await contractEvents(api, contractId)).length;
    const response = await commands.accept(token, contractId, invitationId).expect(422);
    expect(refusal(response)).toMatchObject({ statusCode: 422, code: 'INVITATION_EXPIRED' });
    expect(await contractEvents(api, contractId)).toHaveLength(before);
  });

  it('lets the same address be invited again once the first invitation expired, recording the expiry', async () => {
    const first = await invite('ana@exemplo.com.br');
    clock.set(after(100));
    const early = await commands
      .invite(owner, contractId, { email: 'ana@exemplo.com.br', permissions: [] })
      .expect(422);
    expect(refusal(early).code).toBe('INVITATION_PENDING');
    clock.set(after(169));
    const second = await invite('ana@exemplo.com.br');
    const types = (await contractEvents(api, contractId)).slice(-2).map((event) => [event.type, event.data]);
    expect(types).toEqual([
      ['InvitationExpired', expect.objectContaining({ invitationId: first }) as unknown],
      ['UserInvited', expect.objectContaining({ invitationId: second }) as unknown],
    ]);
  });
});
