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
  type Joined,
} from './contract-commands.e2e-client';

const OWNER = { userId: 'u-owner', email: 'dona@exemplo.com.br' };
const CONTACT = { name: 'Técnico', email: 'tec@exemplo.com.br', categories: ['technical'] };
const CARD = {
  method: 'credit_card',
  cardToken: 'tok_abc123',
  brand: 'Visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2099,
};

describe("a contract's users over HTTP", () => {
  let api: ApiTestApp;
  let commands: ContractCommands;
  let owner: string;
  let admin: string;
  let contractId: string;
  /** Joined with `contacts`. */
  let ana: Joined;
  /** Joined with `tickets`. */
  let bia: Joined;

  beforeAll(async () => {
    api = await startApiTestApp();
    commands = contractCommands(api);
    owner = await api.tokenFor(OWNER);
    admin = await api.tokenFor({ userId: 'u-admin', email: 'admin@provedor.com.br', roles: ['admin'] });
  });
  afterAll(() => api.close());
  beforeEach(async () => {
    contractId = answer(await commands.open(owner).expect(201)).id;
    ana = await joinContract(api, owner, contractId, { userId: 'u-ana', email: 'ana@exemplo.com.br' }, [
      'contacts',
    ]);
    bia = await joinContract(api, owner, contractId, { userId: 'u-bia', email: 'bia@exemplo.com.br' }, [
      'tickets',
    ]);
  });

  describe('PUT /contracts/:id/users/:userId/permissions', () => {
    it("replaces the user's permissions, which take effect at once", async () => {
      const response = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: ['billing'] })
        .expect(200);
      expect(answer(response).id).toBe(ana.userId);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'UserPermissionsChanged',
        data: { contractId, userId: ana.userId, permissions: ['billing'] },
      });
      await commands.addContact(ana.token, contractId, CONTACT).expect(403);
      await commands.changePaymentMethod(ana.token, contractId, CARD).expect(200);
    });

    it('changes nothing when given the permissions the user already has', async () => {
      const before = (await contractEvents(api, contractId)).length;
      await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: ['contacts'] })
        .expect(200);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it("refuses the owner's own permissions with OWNER_NOT_EDITABLE, not CANNOT_EDIT_SELF", async () => {
      const response = await commands
        .changePermissions(owner, contractId, OWNER.userId, { permissions: ['billing'] })
        .expect(422);
      expect(refusal(response)).toMatchObject({ statusCode: 422, code: 'OWNER_NOT_EDITABLE' });
    });

    it("refuses a user editing the owner's permissions with OWNER_NOT_EDITABLE", async () => {
      const response = await commands
        .changePermissions(ana.token, contractId, OWNER.userId, { permissions: [] })
        .expect(422);
      expect(refusal(response).code).toBe('OWNER_NOT_EDITABLE');
    });

    it('refuses a user changing their own permissions with CANNOT_EDIT_SELF, appending nothing', async () => {
      const before = (await contractEvents(api, contractId)).length;
      const response = await commands
        .changePermissions(ana.token, contractId, ana.userId, { permissions: ['contacts', 'billing'] })
        .expect(422);
      expect(refusal(response).code).toBe('CANNOT_EDIT_SELF');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it("refuses a user changing another user's permissions with 403", async () => {
      const response = await commands
        .changePermissions(ana.token, contractId, bia.userId, { permissions: ['billing'] })
        .expect(403);
      expect(refusal(response).code).toBe('FORBIDDEN');
    });

    it('answers 404 for a user who is not on the contract', async () => {
      const response = await commands
        .changePermissions(owner, contractId, 'u-nobody', { permissions: [] })
        .expect(404);
      expect(refusal(response).message).toBe('There is no such user on the contract.');
    });

    it('lists each bad field, refuses an unknown one, a permission that does not exist and a malformed user id', async () => {
      const shape = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: 'billing' })
        .expect(400);
      expect(badFields(shape)).toEqual(['permissions']);
      const missing = await commands.changePermissions(owner, contractId, ana.userId, {}).expect(400);
      expect(badFields(missing)).toEqual(['permissions']);
      const unknown = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: [], isOwner: true })
        .expect(400);
      expect(badFields(unknown)).toEqual(['isOwner']);
      const name = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: ['root'] })
        .expect(400);
      expect(badFields(name)).toEqual(['permissions']);
      const path = await commands
        .changePermissions(owner, contractId, 'bad.id', { permissions: [] })
        .expect(400);
      expect(badFields(path)).toEqual(['userId']);
    });

    it('answers a retry with the same key byte for byte and refuses the key for another body', async () => {
      const first = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: ['orders'] }, 'perm-1')
        .expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: ['orders'] }, 'perm-1')
        .expect(200);
      expect(retry.text).toBe(first.text);
      const reused = await commands
        .changePermissions(owner, contractId, ana.userId, { permissions: ['quotes'] }, 'perm-1')
        .expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });
  });

  describe('DELETE /contracts/:id/users/:userId', () => {
    it('removes the user, who is then a stranger to the contract', async () => {
      const response = await commands.removeUser(owner, contractId, ana.userId).expect(200);
      expect(answer(response).id).toBe(ana.userId);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'UserRemoved',
        data: { contractId, userId: ana.userId },
      });
      await commands.addContact(ana.token, contractId, CONTACT).expect(404);
      await commands.removeUser(owner, contractId, ana.userId).expect(404);
    });

    it('refuses removing the owner with OWNER_NOT_EDITABLE, the owner included', async () => {
      const byOwner = await commands.removeUser(owner, contractId, OWNER.userId).expect(422);
      expect(refusal(byOwner).code).toBe('OWNER_NOT_EDITABLE');
      const byUser = await commands.removeUser(ana.token, contractId, OWNER.userId).expect(422);
      expect(refusal(byUser).code).toBe('OWNER_NOT_EDITABLE');
    });

    it('refuses a user removing themself with CANNOT_EDIT_SELF, and another user with 403', async () => {
      const before = (await contractEvents(api, contractId)).length;
      const self = await commands.removeUser(ana.token, contractId, ana.userId).expect(422);
      expect(refusal(self).code).toBe('CANNOT_EDIT_SELF');
      await commands.removeUser(ana.token, contractId, bia.userId).expect(403);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('refuses a malformed user id, naming it', async () => {
      const response = await commands.removeUser(owner, contractId, 'bad.id').expect(400);
      expect(badFields(response)).toEqual(['userId']);
    });

    it('answers a retry with the same key byte for byte, even once the user is gone', async () => {
      const first = await commands.removeUser(owner, contractId, ana.userId, 'remove-ana').expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands.removeUser(owner, contractId, ana.userId, 'remove-ana').expect(200);
      expect(retry.text).toBe(first.text);
      const reused = await commands.removeUser(owner, contractId, bia.userId, 'remove-ana').expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });
  });

  describe('POST /contracts/:id/ownership-transfer', () => {
    it('makes a user the owner; the previous owner keeps every permission but no longer manages users', async () => {
      const response = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: bia.userId })
        .expect(200);
      expect(answer(response).id).toBe(contractId);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'ContractOwnershipTransferred',
        data: {
          contractId,
          previousOwner: { userId: OWNER.userId, email: OWNER.email },
          newOwner: { userId: bia.userId, email: bia.email },
        },
      });
      await commands
        .invite(bia.token, contractId, { email: 'novo@exemplo.com.br', permissions: [] })
        .expect(201);
      await commands
        .invite(owner, contractId, { email: 'outro@exemplo.com.br', permissions: [] })
        .expect(403);
      await commands.addContact(owner, contractId, CONTACT).expect(201);
      const editNewOwner = await commands.removeUser(owner, contractId, bia.userId).expect(422);
      expect(refusal(editNewOwner).code).toBe('OWNER_NOT_EDITABLE');
    });

    it('changes nothing when the user named is already the owner', async () => {
      const before = (await contractEvents(api, contractId)).length;
      await commands.transferOwnership(admin, contractId, { newOwnerUserId: OWNER.userId }).expect(200);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('answers 404 when the new owner is not a user of the contract', async () => {
      const response = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: 'u-nobody' })
        .expect(404);
      expect(refusal(response).code).toBe('NOT_FOUND');
    });

    it('lists the bad field and refuses an unknown one', async () => {
      const missing = await commands.transferOwnership(admin, contractId, {}).expect(400);
      expect(badFields(missing)).toEqual(['newOwnerUserId']);
      const wrongType = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: 42 })
        .expect(400);
      expect(badFields(wrongType)).toEqual(['newOwnerUserId']);
      const unknown = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: bia.userId, keepOldOwner: false })
        .expect(400);
      expect(badFields(unknown)).toEqual(['keepOldOwner']);
    });

    it('answers a retry with the same key byte for byte and refuses the key for another body', async () => {
      const first = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: ana.userId }, 'transfer-1')
        .expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: ana.userId }, 'transfer-1')
        .expect(200);
      expect(retry.text).toBe(first.text);
      const reused = await commands
        .transferOwnership(admin, contractId, { newOwnerUserId: bia.userId }, 'transfer-1')
        .expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });
  });
});
