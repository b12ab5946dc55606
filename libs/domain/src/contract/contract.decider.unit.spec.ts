import { deciderSpecification } from '@app/testing';
import type { Actor } from '../shared/actor';
import { PERMISSIONS } from '../value-objects/permission';
import type {
  AcceptInvitation,
  AddContact,
  AddPhone,
  ChangeDefaultPaymentMethod,
  ChangeUserPermissions,
  CloseCallbackRequest,
  ContractCommand,
  ExpireInvitation,
  InviteUser,
  OpenCallbackRequest,
  OpenContract,
  RemoveContact,
  RemovePhone,
  RemoveUser,
  RevokeInvitation,
  TransferOwnership,
} from './contract.commands';
import { contractDecider } from './contract.decider';
import type { ContractEvent } from './contract.events';
import {
  accepted,
  ANA,
  asAdmin,
  asAna,
  asBeto,
  asOwner,
  asStranger,
  asSupport,
  asSystem,
  BETO,
  BOLETO,
  callbackRequestClosed,
  callbackRequestOpened,
  CARD,
  command,
  CONTRACT_ID,
  customer,
  email,
  invited,
  opened,
  OTHER_PHONE,
  OWNER,
  PHONE,
  T0,
  T1,
  T1_PLUS_168_HOURS,
  T2,
  withAna,
  withAnaAndBeto,
} from './contract.fixtures.spec';

const specification = deciderSpecification(contractDecider);

/** given/when/then, where every refusal must also explain itself in a sentence for a person. */
const given = (events: readonly ContractEvent[]) => ({
  when: (command: ContractCommand) => {
    const then = specification(events).when(command);
    return {
      ...then,
      thenFails: (...args: Parameters<typeof then.thenFails>) => {
        const error = then.thenFails(...args);
        expect(error.message).toMatch(/^\w.{15,}$/);
        return error;
      },
    };
  },
});
const JUST_BEFORE_EXPIRY = '2025-03-09T11:59:59.999Z';
const CAROL = { userId: 'u-carol', email: email('carol@exemplo.com.br') };

const openContract = (
  actor: Actor = asOwner,
  overrides: Partial<OpenContract['data']> = {},
  now = T0,
): OpenContract =>
  command<OpenContract>(
    'OpenContract',
    {
      contractId: CONTRACT_ID,
      ownerName: OWNER.name,
      holderName: 'Maria Ltda',
      document: '123.456.789-09',
      phones: ['+55 (11) 98765-4321'],
      paymentMethod: BOLETO,
      ...overrides,
    },
    actor,
    now,
  );
const inviteUser = (
  to: string,
  actor: Actor = asOwner,
  permissions: InviteUser['data']['permissions'] = ['billing', 'tickets'],
  invitationId = 'i-new',
  invitedAt = T1,
): InviteUser =>
  command<InviteUser>('InviteUser', { invitationId, email: email(to), permissions }, actor, invitedAt);
const acceptInvitation = (invitationId: string, actor: Actor, acceptedAt = T2): AcceptInvitation =>
  command<AcceptInvitation>('AcceptInvitation', { invitationId }, actor, acceptedAt);
const revokeInvitation = (invitationId: string, actor: Actor = asOwner): RevokeInvitation =>
  command<RevokeInvitation>('RevokeInvitation', { invitationId }, actor);
const expireInvitation = (invitationId: string, at: string, actor: Actor = asSystem): ExpireInvitation =>
  command<ExpireInvitation>('ExpireInvitation', { invitationId }, actor, at);
const changePermissions = (
  userId: string,
  actor: Actor = asOwner,
  permissions: ChangeUserPermissions['data']['permissions'] = ['orders'],
): ChangeUserPermissions =>
  command<ChangeUserPermissions>('ChangeUserPermissions', { userId, permissions }, actor);
const removeUser = (userId: string, actor: Actor = asOwner): RemoveUser =>
  command<RemoveUser>('RemoveUser', { userId }, actor);
const transferOwnership = (newOwnerUserId: string, actor: Actor = asAdmin): TransferOwnership =>
  command<TransferOwnership>('TransferOwnership', { newOwnerUserId }, actor);
const addContact = (actor: Actor = asOwner, overrides: Partial<AddContact['data']> = {}): AddContact =>
  command<AddContact>(
    'AddContact',
    {
      contactId: 'k-1',
      name: 'Financeiro',
      email: email('financeiro@exemplo.com.br'),
      categories: ['billing'],
      ...overrides,
    },
    actor,
  );
const removeContact = (contactId: string, actor: Actor = asOwner): RemoveContact =>
  command<RemoveContact>('RemoveContact', { contactId }, actor);
const addPhone = (phone: string = OTHER_PHONE, actor: Actor = asOwner): AddPhone =>
  command<AddPhone>('AddPhone', { phone }, actor);
const removePhone = (phone: string = PHONE, actor: Actor = asOwner): RemovePhone =>
  command<RemovePhone>('RemovePhone', { phone }, actor);
const changePaymentMethod = (
  paymentMethod: ChangeDefaultPaymentMethod['data']['paymentMethod'] = CARD,
  actor: Actor = asOwner,
): ChangeDefaultPaymentMethod =>
  command<ChangeDefaultPaymentMethod>('ChangeDefaultPaymentMethod', { paymentMethod }, actor);

const requestCallback = (
  actor: Actor = asAna,
  overrides: Partial<OpenCallbackRequest['data']> = {},
): OpenCallbackRequest =>
  command<OpenCallbackRequest>(
    'OpenCallbackRequest',
    { callbackId: 'cb-1', phone: '(11) 98765-4321', topic: '  Migração de site ', ...overrides },
    actor,
    T1,
  );
const closeCallbackRequest = (
  actor: Actor = asAna,
  outcome: CloseCallbackRequest['data']['outcome'] = 'cancelled',
  callbackId = 'cb-1',
): CloseCallbackRequest =>
  command<CloseCallbackRequest>('CloseCallbackRequest', { callbackId, outcome }, actor);

const contactAdded: ContractEvent = {
  type: 'ContactAdded',
  data: {
    contractId: CONTRACT_ID,
    contactId: 'k-1',
    name: 'Financeiro',
    email: email('financeiro@exemplo.com.br'),
    categories: ['billing'],
    addedAt: T2,
  },
};

describe('Contract decider', () => {
  describe('OpenContract', () => {
    it('opens a contract owned by the actor, with its holder, document, phones and payment method', () => {
      given([]).when(openContract()).then([opened]);
    });

    it('gives the owner the e-mail of their login, lower-cased, and no name when none is given', () => {
      given([])
        .when(
          openContract(customer({ userId: OWNER.userId, email: ' Dona@Exemplo.com.br' }), {
            ownerName: undefined,
          }),
        )
        .then([{ ...opened, data: { ...opened.data, owner: { ...OWNER, name: null } } }]);
    });

    it('trims the names and drops repeated phones', () => {
      given([])
        .when(
          openContract(asOwner, {
            holderName: '  Maria Ltda ',
            ownerName: ' Dona Maria ',
            phones: [PHONE, PHONE],
          }),
        )
        .then([opened]);
    });

    it('keeps a CPF or a CNPJ as digits, whether sent punctuated or not', () => {
      given([])
        .when(openContract(asOwner, { document: '12345678909' }))
        .then([opened]);
      given([])
        .when(openContract(asOwner, { document: '11.222.333/0001-81' }))
        .then([
          { ...opened, data: { ...opened.data, document: { kind: 'cnpj', number: '11222333000181' } } },
        ]);
    });

    it.each([
      ['one repeated digit', '111.111.111-11'],
      ['a wrong check digit', '123.456.789-00'],
      ['a CNPJ with a wrong check digit', '11.222.333/0001-82'],
      ['neither a CPF nor a CNPJ', '1234'],
    ])('refuses a document with %s', (_case, document) => {
      given([])
        .when(openContract(asOwner, { document }))
        .thenFails('VALIDATION_FAILED', { field: 'document' });
    });

    it('refuses a phone that is not a Brazilian number, naming which one', () => {
      given([])
        .when(openContract(asOwner, { phones: [PHONE, '12345'] }))
        .thenFails('VALIDATION_FAILED', { field: 'phones[1]' });
    });

    it('takes boleto when no payment method is given, and refuses card data that is not a gateway token', () => {
      const { paymentMethod: _none, ...withoutMethod } = openContract().data;
      given([])
        .when(command<OpenContract>('OpenContract', withoutMethod, asOwner, T0))
        .then([opened]);
      given([])
        .when(openContract(asOwner, { paymentMethod: { ...CARD, cvv: '123' } }))
        .thenFails('VALIDATION_FAILED', { field: 'cvv' });
      given([])
        .when(openContract(asOwner, { paymentMethod: { method: 'pix' } }))
        .thenFails('VALIDATION_FAILED', { field: 'method' });
    });

    it('refuses values of the wrong shape instead of failing on them', () => {
      given([])
        .when(openContract(asOwner, { document: 12345678909 as never }))
        .thenFails('VALIDATION_FAILED', { field: 'document' });
      given([])
        .when(openContract(asOwner, { phones: PHONE as never }))
        .thenFails('VALIDATION_FAILED', { field: 'phones' });
      given([])
        .when(openContract(asOwner, { holderName: 42 as never }))
        .thenFails('VALIDATION_FAILED', { field: 'holderName' });
    });

    it('refuses a holder name longer than 200 characters', () => {
      given([])
        .when(openContract(asOwner, { holderName: 'M'.repeat(201) }))
        .thenFails('VALIDATION_FAILED', { field: 'holderName' });
    });

    it('is refused once the contract is open', () => {
      given([opened]).when(openContract()).thenFails('ALREADY_EXISTS');
    });

    it('is refused to the system', () => {
      given([]).when(openContract(asSystem)).thenFails('FORBIDDEN');
    });

    it('refuses a blank holder name or owner name', () => {
      given([])
        .when(openContract(asOwner, { holderName: '  ' }))
        .thenFails('VALIDATION_FAILED', { field: 'holderName' });
      given([])
        .when(openContract(asOwner, { ownerName: '' }))
        .thenFails('VALIDATION_FAILED', { field: 'ownerName' });
    });

    it('refuses a login whose e-mail is not an address', () => {
      given([])
        .when(openContract(customer({ userId: OWNER.userId, email: 'dona' })))
        .thenFails('VALIDATION_FAILED', { field: 'email' });
    });

    it('refuses a command time that is not an instant', () => {
      given([])
        .when(openContract(asOwner, {}, 'yesterday'))
        .thenFails('VALIDATION_FAILED', { field: 'now' });
    });
  });

  it('refuses every other command on a contract not opened', () => {
    given([]).when(inviteUser('x@y.com')).thenFails('NOT_FOUND');
    given([]).when(expireInvitation('i-1', T2)).thenFails('NOT_FOUND');
  });

  describe('InviteUser', () => {
    it('invites an e-mail with a permission subset, valid for 168 hours', () => {
      given([opened])
        .when(inviteUser(ANA.email, asOwner, ['tickets', 'billing', 'tickets'], 'i-ana'))
        .then([invited('i-ana', ANA.email, ['billing', 'tickets'])]);
    });

    it('counts the 168 hours from the instant it is sent, not from a São Paulo midnight', () => {
      given([opened])
        .when(inviteUser(ANA.email, asOwner, [], 'i-ana', '2025-12-28T23:30:00-03:00'))
        .then([invited('i-ana', ANA.email, [], '2025-12-28T23:30:00-03:00', '2026-01-05T02:30:00.000Z')]);
    });

    it('is allowed to the owner only', () => {
      given(withAnaAndBeto).when(inviteUser(CAROL.email, asBeto)).thenFails('FORBIDDEN');
      given(withAna).when(inviteUser(CAROL.email, asAdmin)).thenFails('FORBIDDEN');
      given(withAna).when(inviteUser(CAROL.email, asSystem)).thenFails('FORBIDDEN');
    });

    it('does not reveal the contract to a customer outside it', () => {
      given(withAna).when(inviteUser(CAROL.email, asStranger)).thenFails('NOT_FOUND');
    });

    it('refuses an e-mail that already belongs to a user or the owner', () => {
      given(withAna).when(inviteUser(ANA.email)).thenFails('ALREADY_A_USER');
      given(withAna).when(inviteUser(OWNER.email)).thenFails('ALREADY_A_USER');
    });

    it('refuses a second pending invitation to the same e-mail', () => {
      given([opened, invited('i-1', CAROL.email)])
        .when(inviteUser(CAROL.email, asOwner, ['billing'], 'i-2', JUST_BEFORE_EXPIRY))
        .thenFails('INVITATION_PENDING');
    });

    it('expires a pending invitation past its expiry before inviting the same e-mail again', () => {
      given([opened, invited('i-1', CAROL.email)])
        .when(inviteUser(CAROL.email, asOwner, ['billing'], 'i-2', T1_PLUS_168_HOURS))
        .then([
          {
            type: 'InvitationExpired',
            data: { contractId: CONTRACT_ID, invitationId: 'i-1', expiredAt: T1_PLUS_168_HOURS },
          },
          invited('i-2', CAROL.email, ['billing'], T1_PLUS_168_HOURS, '2025-03-16T12:00:00.000Z'),
        ]);
    });

    it('invites again an e-mail whose invitation was revoked, expired or accepted by a removed user', () => {
      const revoked: ContractEvent = {
        type: 'InvitationRevoked',
        data: { contractId: CONTRACT_ID, invitationId: 'i-1', revokedAt: T1 },
      };
      given([opened, invited('i-1', CAROL.email), revoked])
        .when(inviteUser(CAROL.email, asOwner, ['billing'], 'i-2'))
        .then([invited('i-2', CAROL.email, ['billing'])]);
      const removed: ContractEvent = {
        type: 'UserRemoved',
        data: { contractId: CONTRACT_ID, userId: ANA.userId, removedAt: T1 },
      };
      given([...withAna, removed])
        .when(inviteUser(ANA.email, asOwner, ['billing'], 'i-2'))
        .then([invited('i-2', ANA.email, ['billing'])]);
    });

    it('changes nothing when the same invitation is sent again', () => {
      given([opened, invited('i-1', CAROL.email)])
        .when(inviteUser(CAROL.email, asOwner, ['tickets', 'billing'], 'i-1', T2))
        .thenNothingHappens();
    });

    it('refuses another invitation under an id already used', () => {
      given([opened, invited('i-1', CAROL.email)])
        .when(inviteUser(CAROL.email, asOwner, ['orders'], 'i-1'))
        .thenFails('ALREADY_EXISTS');
      given([opened, invited('i-1', CAROL.email)])
        .when(inviteUser('other@exemplo.com', asOwner, ['billing', 'tickets'], 'i-1'))
        .thenFails('ALREADY_EXISTS');
    });

    it('invites an address in lower case, and refuses one that is not an e-mail address', () => {
      given([opened])
        .when(inviteUser(' Ana@Exemplo.COM.br ', asOwner, ['billing', 'tickets'], 'i-ana'))
        .then([invited('i-ana', ANA.email)]);
      given([opened]).when(inviteUser('ana@', asOwner)).thenFails('VALIDATION_FAILED', { field: 'email' });
    });

    it('refuses a blank invitation id', () => {
      given([opened])
        .when(inviteUser(CAROL.email, asOwner, ['billing'], ' '))
        .thenFails('VALIDATION_FAILED', { field: 'invitationId' });
    });

    it('refuses an unknown permission', () => {
      given([opened])
        .when(inviteUser(CAROL.email, asOwner, ['root']))
        .thenFails('VALIDATION_FAILED', { field: 'permissions' });
    });

    it('refuses a command time that is not an instant', () => {
      given([opened])
        .when(inviteUser(CAROL.email, asOwner, [], 'i-1', 'soon'))
        .thenFails('VALIDATION_FAILED', { field: 'now' });
    });
  });

  describe('AcceptInvitation', () => {
    const pending = [opened, invited('i-ana', ANA.email)];

    it('makes the invited, logged-in person a user with the invited permissions', () => {
      given(pending)
        .when(acceptInvitation('i-ana', asAna))
        .then([
          {
            type: 'InvitationAccepted',
            data: {
              contractId: CONTRACT_ID,
              invitationId: 'i-ana',
              userId: ANA.userId,
              email: ANA.email,
              permissions: ['billing', 'tickets'],
              acceptedAt: T2,
            },
          },
        ]);
    });

    it('matches the e-mail whatever its case', () => {
      given(pending)
        .when(acceptInvitation('i-ana', customer({ userId: ANA.userId, email: ' ANA@Exemplo.com.br ' })))
        .then([{ ...accepted('i-ana', ANA), data: { ...accepted('i-ana', ANA).data, acceptedAt: T2 } }]);
    });

    it('is refused to anyone logged in with another e-mail', () => {
      given(pending).when(acceptInvitation('i-ana', asBeto)).thenFails('INVITATION_NOT_FOR_YOU');
      given(pending).when(acceptInvitation('i-ana', asOwner)).thenFails('INVITATION_NOT_FOR_YOU');
    });

    it('is refused to the system', () => {
      given(pending).when(acceptInvitation('i-ana', asSystem)).thenFails('FORBIDDEN');
    });

    it('is refused for an unknown invitation', () => {
      given(pending).when(acceptInvitation('i-nope', asAna)).thenFails('NOT_FOUND');
    });

    it('is refused 168 hours after the invitation was sent, to the millisecond', () => {
      given(pending)
        .when(acceptInvitation('i-ana', asAna, T1_PLUS_168_HOURS))
        .thenFails('INVITATION_EXPIRED');
      given(pending)
        .when(acceptInvitation('i-ana', asAna, JUST_BEFORE_EXPIRY))
        .then([
          {
            ...accepted('i-ana', ANA),
            data: { ...accepted('i-ana', ANA).data, acceptedAt: JUST_BEFORE_EXPIRY },
          },
        ]);
    });

    it('is refused once the invitation was recorded as expired', () => {
      const expired: ContractEvent = {
        type: 'InvitationExpired',
        data: { contractId: CONTRACT_ID, invitationId: 'i-ana', expiredAt: T1_PLUS_168_HOURS },
      };
      given([...pending, expired])
        .when(acceptInvitation('i-ana', asAna, T1))
        .thenFails('INVITATION_EXPIRED');
    });

    it('is refused once the invitation was revoked', () => {
      const revoked: ContractEvent = {
        type: 'InvitationRevoked',
        data: { contractId: CONTRACT_ID, invitationId: 'i-ana', revokedAt: T1 },
      };
      given([...pending, revoked])
        .when(acceptInvitation('i-ana', asAna))
        .thenFails('INVALID_TRANSITION');
    });

    it('changes nothing when the same user accepts again', () => {
      given(withAna).when(acceptInvitation('i-ana', asAna)).thenNothingHappens();
    });

    it('is refused when another login with the same e-mail accepts an accepted invitation', () => {
      given(withAna)
        .when(acceptInvitation('i-ana', customer({ userId: 'u-ana-2', email: ANA.email })))
        .thenFails('INVALID_TRANSITION');
    });

    it('is refused to a login that is already a user of the contract', () => {
      given([...withAna, invited('i-2', email('ana.pessoal@exemplo.com'))])
        .when(acceptInvitation('i-2', customer({ userId: ANA.userId, email: 'ana.pessoal@exemplo.com' })))
        .thenFails('ALREADY_A_USER');
    });
  });

  describe('RevokeInvitation', () => {
    const pending = [opened, invited('i-carol', CAROL.email)];
    const revoked: ContractEvent = {
      type: 'InvitationRevoked',
      data: { contractId: CONTRACT_ID, invitationId: 'i-carol', revokedAt: T2 },
    };

    it('lets the owner revoke a pending invitation', () => {
      given(pending).when(revokeInvitation('i-carol')).then([revoked]);
    });

    it('changes nothing when revoked again', () => {
      given([...pending, revoked])
        .when(revokeInvitation('i-carol'))
        .thenNothingHappens();
    });

    it('is refused for an accepted or expired invitation', () => {
      given(withAna).when(revokeInvitation('i-ana')).thenFails('INVALID_TRANSITION');
      given([
        ...pending,
        {
          type: 'InvitationExpired',
          data: { contractId: CONTRACT_ID, invitationId: 'i-carol', expiredAt: T2 },
        },
      ])
        .when(revokeInvitation('i-carol'))
        .thenFails('INVALID_TRANSITION');
    });

    it('is refused for an unknown invitation', () => {
      given(pending).when(revokeInvitation('i-nope')).thenFails('NOT_FOUND');
    });

    it('is refused to anyone but the owner', () => {
      given([...withAnaAndBeto, invited('i-carol', CAROL.email)])
        .when(revokeInvitation('i-carol', asBeto))
        .thenFails('FORBIDDEN');
      given(pending).when(revokeInvitation('i-carol', asStranger)).thenFails('NOT_FOUND');
    });
  });

  describe('ExpireInvitation', () => {
    const pending = [opened, invited('i-carol', CAROL.email)];
    const expired: ContractEvent = {
      type: 'InvitationExpired',
      data: { contractId: CONTRACT_ID, invitationId: 'i-carol', expiredAt: T1_PLUS_168_HOURS },
    };

    it('records a pending invitation as expired once 168 hours have passed, at its expiry', () => {
      given(pending).when(expireInvitation('i-carol', T1_PLUS_168_HOURS)).then([expired]);
      given(pending).when(expireInvitation('i-carol', '2025-04-01T00:00:00Z')).then([expired]);
    });

    it('does nothing before the invitation is due', () => {
      given(pending).when(expireInvitation('i-carol', JUST_BEFORE_EXPIRY)).thenNothingHappens();
    });

    it('does nothing to an invitation already expired, accepted or revoked', () => {
      given([...pending, expired])
        .when(expireInvitation('i-carol', '2025-04-01T00:00:00Z'))
        .thenNothingHappens();
      given(withAna).when(expireInvitation('i-ana', '2025-04-01T00:00:00Z')).thenNothingHappens();
    });

    it('is refused for an unknown invitation', () => {
      given(pending).when(expireInvitation('i-nope', T1_PLUS_168_HOURS)).thenFails('NOT_FOUND');
    });

    it('refuses a clock time that is not an instant', () => {
      given(pending)
        .when(expireInvitation('i-carol', 'now'))
        .thenFails('VALIDATION_FAILED', { field: 'now' });
    });
  });

  describe('ChangeUserPermissions', () => {
    it('lets the owner replace a user’s permissions', () => {
      given(withAna)
        .when(changePermissions(ANA.userId, asOwner, ['orders', 'billing', 'orders']))
        .then([
          {
            type: 'UserPermissionsChanged',
            data: {
              contractId: CONTRACT_ID,
              userId: ANA.userId,
              permissions: ['billing', 'orders'],
              changedAt: T2,
            },
          },
        ]);
    });

    it('changes nothing when the user already has exactly these permissions', () => {
      given(withAna)
        .when(changePermissions(ANA.userId, asOwner, ['tickets', 'billing']))
        .thenNothingHappens();
    });

    it('never edits the owner, even when the owner targets themself', () => {
      given(withAnaAndBeto).when(changePermissions(OWNER.userId, asOwner)).thenFails('OWNER_NOT_EDITABLE');
      given(withAnaAndBeto).when(changePermissions(OWNER.userId, asBeto)).thenFails('OWNER_NOT_EDITABLE');
      given(withAnaAndBeto).when(changePermissions(OWNER.userId, asAdmin)).thenFails('OWNER_NOT_EDITABLE');
    });

    it('never lets a user change their own permissions', () => {
      given(withAnaAndBeto)
        .when(changePermissions(BETO.userId, asBeto, PERMISSIONS))
        .thenFails('CANNOT_EDIT_SELF');
    });

    it('is refused to anyone but the owner', () => {
      given(withAnaAndBeto).when(changePermissions(ANA.userId, asBeto)).thenFails('FORBIDDEN');
      given(withAna).when(changePermissions(ANA.userId, asAdmin)).thenFails('FORBIDDEN');
      given(withAna).when(changePermissions(ANA.userId, asSystem)).thenFails('FORBIDDEN');
      given(withAna).when(changePermissions(ANA.userId, asStranger)).thenFails('NOT_FOUND');
    });

    it('is refused for someone who is not a user', () => {
      given(withAna).when(changePermissions(CAROL.userId)).thenFails('NOT_FOUND');
    });

    it('refuses an unknown permission', () => {
      given(withAna)
        .when(changePermissions(ANA.userId, asOwner, ['root']))
        .thenFails('VALIDATION_FAILED', { field: 'permissions' });
    });
  });

  describe('RemoveUser', () => {
    const removed: ContractEvent = {
      type: 'UserRemoved',
      data: { contractId: CONTRACT_ID, userId: ANA.userId, removedAt: T2 },
    };

    it('lets the owner remove a user', () => {
      given(withAna).when(removeUser(ANA.userId)).then([removed]);
    });

    it('never removes the owner', () => {
      given(withAnaAndBeto).when(removeUser(OWNER.userId)).thenFails('OWNER_NOT_EDITABLE');
      given(withAnaAndBeto).when(removeUser(OWNER.userId, asBeto)).thenFails('OWNER_NOT_EDITABLE');
    });

    it('does not let a user remove themself', () => {
      given(withAna).when(removeUser(ANA.userId, asAna)).thenFails('CANNOT_EDIT_SELF');
    });

    it('is refused to anyone but the owner', () => {
      given(withAnaAndBeto).when(removeUser(ANA.userId, asBeto)).thenFails('FORBIDDEN');
      given(withAna).when(removeUser(ANA.userId, asStranger)).thenFails('NOT_FOUND');
    });

    it('is refused for a user already removed', () => {
      given([...withAna, removed])
        .when(removeUser(ANA.userId))
        .thenFails('NOT_FOUND');
    });
  });

  describe('TransferOwnership', () => {
    const transferred: ContractEvent = {
      type: 'ContractOwnershipTransferred',
      data: {
        contractId: CONTRACT_ID,
        previousOwner: OWNER,
        newOwner: ANA,
        transferredAt: T2,
      },
    };

    it('lets an administrator make a user the owner', () => {
      given(withAna).when(transferOwnership(ANA.userId)).then([transferred]);
    });

    it('lets a customer who is also an administrator do it', () => {
      const adminOwner: Actor = {
        kind: 'user',
        userId: OWNER.userId,
        email: OWNER.email,
        roles: ['customer', 'admin'],
      };
      given(withAna).when(transferOwnership(ANA.userId, adminOwner)).then([transferred]);
    });

    it('changes nothing when the user is already the owner', () => {
      given([...withAna, transferred])
        .when(transferOwnership(ANA.userId))
        .thenNothingHappens();
    });

    it('is refused for someone who is not a user of the contract', () => {
      given(withAna).when(transferOwnership(CAROL.userId)).thenFails('NOT_FOUND');
    });

    it('is refused to other staff, to the owner and to the system', () => {
      given(withAna).when(transferOwnership(ANA.userId, asSupport)).thenFails('FORBIDDEN');
      given(withAna).when(transferOwnership(ANA.userId, asOwner)).thenFails('FORBIDDEN');
      given(withAna).when(transferOwnership(ANA.userId, asSystem)).thenFails('FORBIDDEN');
      given(withAna).when(transferOwnership(ANA.userId, asStranger)).thenFails('NOT_FOUND');
    });

    it('leaves the old owner an ordinary user with every permission, whose permissions may then change', () => {
      given([...withAna, transferred])
        .when(changePermissions(OWNER.userId, asAna, ['billing']))
        .then([
          {
            type: 'UserPermissionsChanged',
            data: { contractId: CONTRACT_ID, userId: OWNER.userId, permissions: ['billing'], changedAt: T2 },
          },
        ]);
      given([...withAna, transferred])
        .when(changePermissions(OWNER.userId, asAna, PERMISSIONS))
        .thenNothingHappens();
      given([...withAna, transferred])
        .when(changePermissions(ANA.userId, asOwner))
        .thenFails('OWNER_NOT_EDITABLE');
      given([...withAna, transferred])
        .when(inviteUser(CAROL.email, asOwner))
        .thenFails('FORBIDDEN');
    });
  });

  describe('AddContact', () => {
    it('adds a notification-only contact', () => {
      given([opened]).when(addContact()).then([contactAdded]);
    });

    it('trims the name and puts categories in canonical order without duplicates', () => {
      given([opened])
        .when(
          addContact(asOwner, { name: ' Suporte ', categories: ['commercial', 'technical', 'commercial'] }),
        )
        .then([
          {
            type: 'ContactAdded',
            data: { ...contactAdded.data, name: 'Suporte', categories: ['technical', 'commercial'] } as never,
          },
        ]);
    });

    it('is allowed with the contacts permission only', () => {
      const withContacts = [
        ...withAna,
        {
          type: 'UserPermissionsChanged',
          data: { contractId: CONTRACT_ID, userId: ANA.userId, permissions: ['contacts'], changedAt: T1 },
        } as const,
      ];
      given(withContacts).when(addContact(asAna)).then([contactAdded]);
      given(withAna).when(addContact(asAna)).thenFails('FORBIDDEN');
      given(withAna).when(addContact(asSupport)).thenFails('FORBIDDEN');
      given(withAna).when(addContact(asStranger)).thenFails('NOT_FOUND');
    });

    it('changes nothing when the same contact is added again', () => {
      given([opened, contactAdded]).when(addContact()).thenNothingHappens();
    });

    it('refuses a duplicate e-mail or a reused id', () => {
      given([opened, contactAdded])
        .when(addContact(asOwner, { contactId: 'k-2' }))
        .thenFails('ALREADY_EXISTS');
      given([opened, contactAdded])
        .when(addContact(asOwner, { name: 'Outro' }))
        .thenFails('ALREADY_EXISTS');
      given([opened, contactAdded])
        .when(addContact(asOwner, { email: email('outro@exemplo.com') }))
        .thenFails('ALREADY_EXISTS');
      given([opened, contactAdded])
        .when(addContact(asOwner, { categories: ['billing', 'technical'] }))
        .thenFails('ALREADY_EXISTS');
    });

    it('keeps the e-mail in lower case and refuses one that is not an address', () => {
      given([opened])
        .when(addContact(asOwner, { email: 'Financeiro@Exemplo.com.br' }))
        .then([contactAdded]);
      given([opened])
        .when(addContact(asOwner, { email: 'financeiro' }))
        .thenFails('VALIDATION_FAILED', { field: 'email' });
    });

    it('refuses a blank name or no category', () => {
      given([opened])
        .when(addContact(asOwner, { name: ' ' }))
        .thenFails('VALIDATION_FAILED', { field: 'name' });
      given([opened])
        .when(addContact(asOwner, { categories: [] }))
        .thenFails('VALIDATION_FAILED', { field: 'categories' });
    });
  });

  describe('RemoveContact', () => {
    const removed: ContractEvent = {
      type: 'ContactRemoved',
      data: { contractId: CONTRACT_ID, contactId: 'k-1', removedAt: T2 },
    };

    it('removes a contact', () => {
      given([opened, contactAdded]).when(removeContact('k-1')).then([removed]);
    });

    it('is refused for a contact that is not (or no longer) there', () => {
      given([opened, contactAdded, removed]).when(removeContact('k-1')).thenFails('NOT_FOUND');
    });

    it('is allowed with the contacts permission only', () => {
      given([...withAna, contactAdded])
        .when(removeContact('k-1', asAna))
        .thenFails('FORBIDDEN');
    });
  });

  describe('phones', () => {
    const added: ContractEvent = {
      type: 'PhoneAdded',
      data: { contractId: CONTRACT_ID, phone: OTHER_PHONE, addedAt: T2 },
    };
    const removed: ContractEvent = {
      type: 'PhoneRemoved',
      data: { contractId: CONTRACT_ID, phone: PHONE, removedAt: T2 },
    };

    it('adds and removes phone numbers', () => {
      given([opened]).when(addPhone()).then([added]);
      given([opened]).when(removePhone()).then([removed]);
    });

    it('normalises a phone to E.164 and refuses one that is not a Brazilian number', () => {
      given([opened]).when(addPhone('(21) 3456-7890')).then([added]);
      given([opened]).when(removePhone('+55 11 98765-4321')).then([removed]);
      given([opened]).when(addPhone('+1 202 555 0100')).thenFails('VALIDATION_FAILED', { field: 'phone' });
      given([opened]).when(removePhone('nope')).thenFails('VALIDATION_FAILED', { field: 'phone' });
    });

    it('refuses a phone the contract already has, or removing one it has not', () => {
      given([opened]).when(addPhone(PHONE)).thenFails('ALREADY_EXISTS');
      given([opened, removed]).when(removePhone()).thenFails('NOT_FOUND');
    });

    it('is allowed with the main-account permission only', () => {
      given(withAna).when(addPhone(OTHER_PHONE, asAna)).thenFails('FORBIDDEN');
      given(withAna).when(removePhone(PHONE, asAna)).thenFails('FORBIDDEN');
      given(withAnaAndBeto).when(addPhone(OTHER_PHONE, asBeto)).then([added]);
    });
  });

  describe('ChangeDefaultPaymentMethod', () => {
    const changed: ContractEvent = {
      type: 'DefaultPaymentMethodChanged',
      data: { contractId: CONTRACT_ID, paymentMethod: CARD, changedAt: T2 },
    };

    it('changes the default payment method', () => {
      given([opened]).when(changePaymentMethod()).then([changed]);
    });

    it('is allowed with the billing permission', () => {
      given(withAna).when(changePaymentMethod(CARD, asAna)).then([changed]);
      given(withAna)
        .when(changePaymentMethod(CARD, customer({ userId: 'u-x', email: 'x@x.com' })))
        .thenFails('NOT_FOUND');
      given(withAna).when(changePaymentMethod(CARD, asSystem)).thenFails('FORBIDDEN');
      given([
        ...withAna,
        {
          type: 'UserPermissionsChanged',
          data: { contractId: CONTRACT_ID, userId: ANA.userId, permissions: ['tickets'], changedAt: T1 },
        },
      ])
        .when(changePaymentMethod(CARD, asAna))
        .thenFails('FORBIDDEN');
    });

    it('refuses a card number or a security code, and writes nothing', () => {
      given([opened])
        .when(changePaymentMethod({ ...CARD, cvv: '123' }))
        .thenFails('VALIDATION_FAILED', { field: 'cvv' });
      given([opened])
        .when(changePaymentMethod({ ...CARD, cardNumber: '4111 1111 1111 1111' }))
        .thenFails('VALIDATION_FAILED', { field: 'cardNumber' });
      given([opened])
        .when(changePaymentMethod({ ...CARD, cardToken: '4111111111111111' }))
        .thenFails('VALIDATION_FAILED', { field: 'cardToken' });
    });

    it('refuses a card that expired before the command, in São Paulo time', () => {
      given([opened])
        .when(changePaymentMethod({ ...CARD, expMonth: 2, expYear: 2025 }))
        .thenFails('VALIDATION_FAILED', { field: 'expYear' });
      given([opened])
        .when(changePaymentMethod({ ...CARD, expMonth: 3, expYear: 2025 }))
        .then([
          { ...changed, data: { ...changed.data, paymentMethod: { ...CARD, expMonth: 3, expYear: 2025 } } },
        ]);
    });

    it('refuses a method of another kind or a field the method does not have', () => {
      given([opened])
        .when(changePaymentMethod({ method: 'pix' }))
        .thenFails('VALIDATION_FAILED', { field: 'method' });
      given([opened])
        .when(changePaymentMethod({ method: 'boleto', bank: 'Itaú' }))
        .thenFails('VALIDATION_FAILED', { field: 'bank' });
    });

    it('changes nothing when the method is already the default, whatever the order of its fields', () => {
      const reordered = {
        expYear: 2030,
        expMonth: 12,
        last4: '4242',
        brand: 'visa',
        cardToken: 'tok_1',
        method: 'credit_card',
      } as const;
      given([opened, changed]).when(changePaymentMethod(reordered)).thenNothingHappens();
      given([opened]).when(changePaymentMethod(BOLETO)).thenNothingHappens();
    });

    it('records a card that differs in any field', () => {
      given([opened, changed])
        .when(changePaymentMethod({ ...CARD, last4: '0005' }))
        .then([{ ...changed, data: { ...changed.data, paymentMethod: { ...CARD, last4: '0005' } } }]);
      given([opened, changed])
        .when(changePaymentMethod(BOLETO))
        .then([{ ...changed, data: { ...changed.data, paymentMethod: BOLETO } }]);
    });
  });

  describe('OpenCallbackRequest', () => {
    const withoutTickets: readonly ContractEvent[] = [
      ...withAna,
      {
        type: 'UserPermissionsChanged',
        data: { contractId: CONTRACT_ID, userId: ANA.userId, permissions: ['billing'], changedAt: T1 },
      },
    ];

    it('takes the request as the requester’s open one, with the phone in E.164 and the topic trimmed', () => {
      given(withAna)
        .when(requestCallback())
        .then([callbackRequestOpened('cb-1')]);
    });

    it('records a missing or blank topic as none', () => {
      given(withAna)
        .when(requestCallback(asAna, { topic: undefined }))
        .then([callbackRequestOpened('cb-1', ANA, null)]);
      given(withAna)
        .when(requestCallback(asAna, { topic: '   ' }))
        .then([callbackRequestOpened('cb-1', ANA, null)]);
    });

    it('refuses a phone that is not one of the contract’s', () => {
      const error = given(withAna)
        .when(requestCallback(asAna, { phone: OTHER_PHONE }))
        .thenFails('PHONE_NOT_ON_CONTRACT', { phone: OTHER_PHONE });
      expect(error.message).toBe('Choose one of the contract’s phone numbers.');
    });

    it('refuses a value that does not parse, naming the field', () => {
      given(withAna)
        .when(requestCallback(asAna, { phone: '12345' }))
        .thenFails('VALIDATION_FAILED', { field: 'phone' });
      given(withAna)
        .when(requestCallback(asAna, { topic: 'a'.repeat(1_001) }))
        .thenFails('VALIDATION_FAILED', { field: 'topic' });
      given(withAna)
        .when(requestCallback(asAna, { callbackId: '' }))
        .thenFails('VALIDATION_FAILED', { field: 'callbackId' });
    });

    it('refuses a second open request by the same user, naming the open one', () => {
      const error = given([...withAna, callbackRequestOpened('cb-1')])
        .when(requestCallback(asAna, { callbackId: 'cb-2' }))
        .thenFails('CALLBACK_ALREADY_OPEN', {
          contractId: CONTRACT_ID,
          userId: ANA.userId,
          callbackId: 'cb-1',
        });
      expect(error.message).toBe('You already have an open call-back request on this contract.');
    });

    it('reports a phone not on the contract before an already open request', () => {
      given([...withAna, callbackRequestOpened('cb-1')])
        .when(requestCallback(asAna, { callbackId: 'cb-2', phone: OTHER_PHONE }))
        .thenFails('PHONE_NOT_ON_CONTRACT');
    });

    it('counts open requests per user: another user may ask, and so may the same one once it is closed', () => {
      given([...withAna, callbackRequestOpened('cb-1')])
        .when(requestCallback(asOwner, { callbackId: 'cb-2', topic: undefined }))
        .then([callbackRequestOpened('cb-2', OWNER, null)]);
      given([...withAna, callbackRequestOpened('cb-1'), callbackRequestClosed('cb-1')])
        .when(requestCallback(asAna, { callbackId: 'cb-2' }))
        .then([callbackRequestOpened('cb-2')]);
    });

    it('changes nothing for the same request again, and refuses another one under a used id', () => {
      given([...withAna, callbackRequestOpened('cb-1')])
        .when(requestCallback())
        .thenNothingHappens();
      given([...withAna, callbackRequestOpened('cb-1'), callbackRequestClosed('cb-1')])
        .when(requestCallback())
        .thenNothingHappens();
      given([...withAna, callbackRequestOpened('cb-1')])
        .when(requestCallback(asAna, { topic: 'Outro assunto' }))
        .thenFails('ALREADY_EXISTS');
      given([...withAna, callbackRequestOpened('cb-1')])
        .when(requestCallback(asOwner))
        .thenFails('ALREADY_EXISTS');
    });

    it('is asked for by a member with the tickets permission, in their own name', () => {
      given(withAna).when(requestCallback(asStranger)).thenFails('NOT_FOUND');
      given(withoutTickets).when(requestCallback(asAna)).thenFails('FORBIDDEN');
      given(withAna).when(requestCallback(asSupport)).thenFails('FORBIDDEN');
      const error = given(withAna).when(requestCallback(asSystem)).thenFails('FORBIDDEN');
      expect(error.message).toBe('A call-back is asked for by a logged-in user.');
    });
  });

  describe('CloseCallbackRequest', () => {
    const withOpenRequest = [...withAna, callbackRequestOpened('cb-1')];

    it('frees the requester’s slot when the requester cancelled', () => {
      given(withOpenRequest)
        .when(closeCallbackRequest())
        .then([callbackRequestClosed('cb-1')]);
    });

    it('frees it when staff recorded the outcome, or the system closed it, naming the requester', () => {
      given(withOpenRequest)
        .when(closeCallbackRequest(asSupport, 'completed'))
        .then([callbackRequestClosed('cb-1', ANA, 'completed')]);
      given(withOpenRequest)
        .when(closeCallbackRequest(asSystem, 'unreachable'))
        .then([callbackRequestClosed('cb-1', ANA, 'unreachable')]);
    });

    it('is sent by no other customer, not even the owner', () => {
      const error = given(withOpenRequest).when(closeCallbackRequest(asOwner)).thenFails('FORBIDDEN');
      expect(error.message).toBe('Only the requester or staff end a call-back request.');
    });

    it('changes nothing for a request already closed', () => {
      given([...withOpenRequest, callbackRequestClosed('cb-1')])
        .when(closeCallbackRequest(asSupport, 'completed'))
        .thenNothingHappens();
    });

    it('refuses a request the contract never had, and an unknown outcome', () => {
      given(withOpenRequest)
        .when(closeCallbackRequest(asAna, 'cancelled', 'cb-9'))
        .thenFails('NOT_FOUND');
      const error = given(withOpenRequest)
        .when(closeCallbackRequest(asAna, 'voicemail' as never))
        .thenFails('VALIDATION_FAILED', { field: 'outcome' });
      expect(error.message).toBe('The outcome must be one of: completed, unreachable, cancelled.');
    });
  });

  describe('edge cases', () => {
    it('tells staff outside the contract FORBIDDEN rather than hiding it', () => {
      const billingStaff: Actor = {
        kind: 'user',
        userId: 'u-fin',
        email: 'fin@provider.com',
        roles: ['billing'],
      };
      given(withAna).when(inviteUser(CAROL.email, billingStaff)).thenFails('FORBIDDEN');
      const staffCustomer: Actor = { ...billingStaff, roles: ['customer', 'support'] };
      given(withAna).when(inviteUser(CAROL.email, staffCustomer)).thenFails('FORBIDDEN');
    });

    it('invites anyone not yet a user, whatever other invitations are pending', () => {
      given([...withAna, invited('i-other', email('other@exemplo.com'))])
        .when(inviteUser(CAROL.email, asOwner, ['billing'], 'i-carol'))
        .then([invited('i-carol', CAROL.email, ['billing'])]);
    });

    it('refuses a command time that is not an instant, also when an invitation is pending', () => {
      given([opened, invited('i-1', CAROL.email)])
        .when(inviteUser(CAROL.email, asOwner, [], 'i-2', 'soon'))
        .thenFails('VALIDATION_FAILED', { field: 'now' });
    });

    it('says when an invitation expired', () => {
      const error = given([opened, invited('i-ana', ANA.email)])
        .when(acceptInvitation('i-ana', asAna, T1_PLUS_168_HOURS))
        .thenFails('INVITATION_EXPIRED');
      expect(error.message).toContain(T1_PLUS_168_HOURS);
    });

    it('refuses an acceptance time that is not an instant', () => {
      given([opened, invited('i-ana', ANA.email)])
        .when(acceptInvitation('i-ana', asAna, 'today'))
        .thenFails('VALIDATION_FAILED', { field: 'now' });
    });

    it('compares new permissions with those of that user, not another one', () => {
      given(withAnaAndBeto)
        .when(changePermissions(BETO.userId, asOwner, ['billing', 'tickets']))
        .then([
          {
            type: 'UserPermissionsChanged',
            data: {
              contractId: CONTRACT_ID,
              userId: BETO.userId,
              permissions: ['billing', 'tickets'],
              changedAt: T2,
            },
          },
        ]);
    });

    it('adds a contact beside others', () => {
      const ti = email('ti@exemplo.com.br');
      given([opened, contactAdded])
        .when(addContact(asOwner, { contactId: 'k-2', email: ti }))
        .then([
          {
            type: 'ContactAdded',
            data: { ...contactAdded.data, contactId: 'k-2', email: ti },
          },
        ]);
    });

    it('refuses to remove a contact that was never there', () => {
      given([opened, contactAdded]).when(removeContact('k-9')).thenFails('NOT_FOUND');
    });

    it('throws on a command it does not know', () => {
      const state = contractDecider.evolve(contractDecider.initialState(), opened);
      expect(() => contractDecider.decide(command('CloseContract' as never, {} as never), state)).toThrow(
        'Unhandled case',
      );
    });
  });
});
