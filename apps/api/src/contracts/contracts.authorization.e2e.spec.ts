import type { Test } from 'supertest';
import type { Permission } from '@app/domain';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { CALLER_KINDS, givenContract, type CallerKind, type TestContract } from '../testing/contract-fixture';
import {
  answer,
  contractCommands,
  joinContract,
  type ContractCommands,
} from './contract-commands.e2e-client';

type Caller = CallerKind | 'noToken';
const CALLERS: readonly Caller[] = [...CALLER_KINDS, 'noToken'];

type Call = (token: string | undefined) => Test;

type Endpoint = Readonly<{
  name: string;
  /** What the fixture's member "with permission" holds (the other member holds every other one). */
  permission: Permission;
  /** Whatever the call needs that the fixture has not made, made by the owner; then the call itself. */
  prepare: (contract: TestContract, commands: ContractCommands, api: ApiTestApp) => Promise<Call>;
  expected: Readonly<Record<Caller, number>>;
}>;

const CONTACT = { name: 'Técnico', email: 'tec@exemplo.com.br', categories: ['technical'] };

/** The answer of a rule that lets only the owner act: outsiders learn nothing, everyone else is refused. */
const ownerOnly = (ok: number): Record<Caller, number> => ({
  owner: ok,
  memberWithPermission: 403,
  memberWithoutPermission: 403,
  nonMember: 404,
  support: 403,
  billing: 403,
  admin: 403,
  auditor: 403,
  analyst: 403,
  noToken: 401,
});

/** The answer of a rule that needs a permission on the contract. */
const permissionHolders = (ok: number): Record<Caller, number> => ({
  ...ownerOnly(ok),
  memberWithPermission: ok,
});

/** A third user, joined through the endpoints, for the owner to edit or remove. */
const joinThirdUser = (contract: TestContract, api: ApiTestApp) =>
  joinContract(
    api,
    contract.tokens.owner,
    contract.contractId,
    {
      userId: `third-${contract.contractId.slice(0, 8)}`,
      email: `third-${contract.contractId.slice(0, 8)}@exemplo.com.br`,
    },
    ['tickets'],
  );

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'POST /contracts',
    permission: 'main-account',
    prepare: async (_contract, commands) => (token) => commands.open(token),
    expected: {
      owner: 201,
      memberWithPermission: 201,
      memberWithoutPermission: 201,
      nonMember: 201,
      support: 201,
      billing: 201,
      admin: 201,
      auditor: 201,
      analyst: 201,
      noToken: 401,
    },
  },
  {
    name: 'POST /contracts/:id/invitations',
    permission: 'main-account',
    prepare:
      async ({ contractId }, commands) =>
      (token) =>
        commands.invite(token, contractId, { email: 'convidado@exemplo.com.br', permissions: ['tickets'] }),
    expected: ownerOnly(201),
  },
  {
    // Whoever the invitation was sent to (here, the caller who is no member yet) accepts it; anyone else is
    // told it is not theirs.
    name: 'POST /contracts/:id/invitations/:invitationId/acceptance',
    permission: 'main-account',
    prepare: async ({ contractId, tokens, callers }, commands) => {
      const invited = await commands
        .invite(tokens.owner, contractId, { email: callers.nonMember.email, permissions: ['tickets'] })
        .expect(201);
      return (token) => commands.accept(token, contractId, answer(invited).id);
    },
    expected: {
      owner: 403,
      memberWithPermission: 403,
      memberWithoutPermission: 403,
      nonMember: 200,
      support: 403,
      billing: 403,
      admin: 403,
      auditor: 403,
      analyst: 403,
      noToken: 401,
    },
  },
  {
    name: 'DELETE /contracts/:id/invitations/:invitationId',
    permission: 'main-account',
    prepare: async ({ contractId, tokens }, commands) => {
      const invited = await commands
        .invite(tokens.owner, contractId, { email: 'convidado@exemplo.com.br', permissions: [] })
        .expect(201);
      return (token) => commands.revoke(token, contractId, answer(invited).id);
    },
    expected: ownerOnly(200),
  },
  {
    name: 'PUT /contracts/:id/users/:userId/permissions',
    permission: 'main-account',
    prepare: async (contract, commands, api) => {
      const third = await joinThirdUser(contract, api);
      return (token) =>
        commands.changePermissions(token, contract.contractId, third.userId, { permissions: ['billing'] });
    },
    expected: ownerOnly(200),
  },
  {
    name: 'DELETE /contracts/:id/users/:userId',
    permission: 'main-account',
    prepare: async (contract, commands, api) => {
      const third = await joinThirdUser(contract, api);
      return (token) => commands.removeUser(token, contract.contractId, third.userId);
    },
    expected: ownerOnly(200),
  },
  {
    name: 'POST /contracts/:id/ownership-transfer',
    permission: 'main-account',
    prepare:
      async ({ contractId, callers }, commands) =>
      (token) =>
        commands.transferOwnership(token, contractId, {
          newOwnerUserId: callers.memberWithPermission.userId,
        }),
    expected: { ...ownerOnly(403), admin: 200 },
  },
  {
    name: 'POST /contracts/:id/contacts',
    permission: 'contacts',
    prepare:
      async ({ contractId }, commands) =>
      (token) =>
        commands.addContact(token, contractId, CONTACT),
    expected: permissionHolders(201),
  },
  {
    name: 'DELETE /contracts/:id/contacts/:contactId',
    permission: 'contacts',
    prepare: async ({ contractId, tokens }, commands) => {
      const added = await commands.addContact(tokens.owner, contractId, CONTACT).expect(201);
      return (token) => commands.removeContact(token, contractId, answer(added).id);
    },
    expected: permissionHolders(200),
  },
  {
    name: 'PUT /contracts/:id/payment-method',
    permission: 'billing',
    prepare:
      async ({ contractId }, commands) =>
      (token) =>
        commands.changePaymentMethod(token, contractId, {
          method: 'direct_debit',
          bank: 'Banco do Brasil',
          agency: '1234-5',
          maskedAccount: '*****-67',
          debitToken: 'dd_tok_1a2b3c',
        }),
    expected: permissionHolders(200),
  },
];

describe('who may send each contract command', () => {
  let api: ApiTestApp;
  let commands: ContractCommands;
  beforeAll(async () => {
    api = await startApiTestApp();
    commands = contractCommands(api);
  });
  afterAll(() => api.close());

  describe.each(ENDPOINTS)('$name', ({ permission, prepare, expected }) => {
    it.each(CALLERS)('answers the %s as the access table says', async (kind) => {
      const contract = await givenContract(api, permission);
      const call = await prepare(contract, commands, api);
      await call(kind === 'noToken' ? undefined : contract.tokens[kind]).expect(expected[kind]);
    });
  });
});
