import type { ContractState, Email, PhoneNumber, Role } from '@app/domain';
import type { Caller } from '@app/platform';
import {
  decideAccess,
  decideRequesterAccess,
  decideStaffAccess,
  enforce,
  type AccessDecision,
  type AccessRule,
} from './access-policy';

const email = (address: string) => address as Email;

const contract: ContractState = {
  status: 'open',
  contractId: 'c-1',
  owner: { userId: 'u-owner', email: email('dona@exemplo.com.br'), name: 'Dona' },
  holderName: 'Maria Ltda',
  document: { kind: 'cpf', number: '12345678909' },
  users: [
    { userId: 'u-with', email: email('with@exemplo.com.br'), permissions: ['billing', 'tickets', 'orders'] },
    { userId: 'u-without', email: email('without@exemplo.com.br'), permissions: ['services.view'] },
  ],
  invitations: [],
  contacts: [],
  phones: ['+5511987654321' as PhoneNumber],
  paymentMethod: { method: 'boleto' },
  openedAt: '2025-03-01T12:00:00.000Z',
  callbackRequests: [],
};

const caller = (userId: string, ...roles: Role[]): Caller => ({ userId, email: `${userId}@x.com`, roles });

const callers = {
  owner: caller('u-owner', 'customer'),
  memberWithPermission: caller('u-with', 'customer'),
  memberWithoutPermission: caller('u-without', 'customer'),
  nonMember: caller('u-stranger', 'customer'),
  support: caller('s-support', 'support'),
  billing: caller('s-billing', 'billing'),
  admin: caller('s-admin', 'admin'),
  auditor: caller('s-auditor', 'auditor'),
  analyst: caller('s-analyst', 'analyst'),
} as const;
type CallerKind = keyof typeof callers;

/** Each row: a rule as the command table uses it, and the decision every kind of caller gets. */
const matrix: ReadonlyArray<[string, AccessRule, Record<CallerKind, AccessDecision>]> = [
  [
    'a permission (contacts, orders, billing...)',
    { permission: 'billing' },
    {
      owner: 'allowed',
      memberWithPermission: 'allowed',
      memberWithoutPermission: 'forbidden',
      nonMember: 'not_found',
      support: 'forbidden',
      billing: 'forbidden',
      admin: 'forbidden',
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  ],
  [
    'the owner only (invitations)',
    { ownerOnly: true },
    {
      owner: 'allowed',
      memberWithPermission: 'forbidden',
      memberWithoutPermission: 'forbidden',
      nonMember: 'not_found',
      support: 'forbidden',
      billing: 'forbidden',
      admin: 'forbidden',
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  ],
  [
    'a permission or a staff role (ticket messages)',
    { permission: 'tickets', staff: ['support'] },
    {
      owner: 'allowed',
      memberWithPermission: 'allowed',
      memberWithoutPermission: 'forbidden',
      nonMember: 'not_found',
      support: 'allowed',
      billing: 'forbidden',
      admin: 'allowed',
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  ],
  [
    'staff only (suspension)',
    { staff: ['billing'] },
    {
      owner: 'forbidden',
      memberWithPermission: 'forbidden',
      memberWithoutPermission: 'forbidden',
      nonMember: 'not_found',
      support: 'forbidden',
      billing: 'allowed',
      admin: 'allowed',
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  ],
  [
    'any member (permissions and removal, which the decider narrows to the owner)',
    {},
    {
      owner: 'allowed',
      memberWithPermission: 'allowed',
      memberWithoutPermission: 'allowed',
      nonMember: 'not_found',
      support: 'forbidden',
      billing: 'forbidden',
      admin: 'forbidden',
      auditor: 'forbidden',
      analyst: 'forbidden',
    },
  ],
];

describe('access to a contract', () => {
  describe.each(matrix)('a rule of %s', (_name, rule, expected) => {
    it.each(Object.keys(callers) as CallerKind[])('gives the %s what the table says', (kind) => {
      expect(decideAccess(callers[kind], contract, rule)).toBe(expected[kind]);
    });

    it('answers not_found for a contract that does not exist, whoever asks', () => {
      for (const who of Object.values(callers)) {
        expect(decideAccess(who, { status: 'not_opened' }, rule)).toBe('not_found');
      }
    });
  });

  it('lets a staff member who is also a member act as a member', () => {
    const supportMember = caller('u-with', 'support');
    expect(decideAccess(supportMember, contract, { permission: 'billing' })).toBe('allowed');
  });

  describe('a rule of the requester only (cancelling a call-back)', () => {
    const requester = callers.memberWithPermission.userId;
    const expected: Record<CallerKind, AccessDecision> = {
      owner: 'forbidden',
      memberWithPermission: 'allowed',
      memberWithoutPermission: 'forbidden',
      nonMember: 'not_found',
      support: 'forbidden',
      billing: 'forbidden',
      admin: 'forbidden',
      auditor: 'forbidden',
      analyst: 'forbidden',
    };

    it.each(Object.keys(callers) as CallerKind[])('gives the %s what the rule says', (kind) => {
      expect(decideRequesterAccess(callers[kind], contract, requester)).toBe(expected[kind]);
    });

    it('lets the requester act even without the permission, or after leaving the contract', () => {
      expect(decideRequesterAccess(callers.memberWithoutPermission, contract, 'u-without')).toBe('allowed');
      expect(decideRequesterAccess(caller('u-gone', 'customer'), contract, 'u-gone')).toBe('allowed');
    });

    it('answers not_found for a contract that does not exist, whoever asks', () => {
      expect(decideRequesterAccess(callers.memberWithPermission, { status: 'not_opened' }, requester)).toBe(
        'not_found',
      );
      expect(decideRequesterAccess(callers.admin, { status: 'not_opened' }, requester)).toBe('not_found');
    });
  });

  it('decides commands that belong to no contract on the staff role alone', () => {
    expect(decideStaffAccess(callers.admin, ['admin'])).toBe('allowed');
    expect(decideStaffAccess(callers.admin, ['support'])).toBe('allowed');
    expect(decideStaffAccess(callers.support, ['admin'])).toBe('forbidden');
    expect(decideStaffAccess(callers.owner, ['admin'])).toBe('forbidden');
  });

  it('refuses with NOT_FOUND in the words of a missing resource, or FORBIDDEN', () => {
    const refusal = (decision: AccessDecision): unknown => {
      try {
        enforce(decision, 'No such service.');
        return undefined;
      } catch (error) {
        return error;
      }
    };
    expect(refusal('not_found')).toMatchObject({ code: 'NOT_FOUND', message: 'No such service.' });
    expect(refusal('forbidden')).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal('allowed')).toBeUndefined();
  });
});
