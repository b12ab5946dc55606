import { PERMISSIONS } from '../value-objects/permission';
import { contractStream } from './contract-stream';
import type { ContractEvent } from './contract.events';
import { type ContractState, evolveContract, initialContractState } from './contract.state';
import {
  accepted,
  ANA,
  BOLETO,
  callbackRequestClosed,
  callbackRequestOpened,
  CARD,
  CONTRACT_ID,
  invited,
  OTHER_PHONE,
  OWNER,
  PHONE,
  T0,
  T1,
  T1_PLUS_168_HOURS,
  email,
  opened,
  withAna,
} from './contract.fixtures.spec';

const stateOf = (events: readonly ContractEvent[]): ContractState =>
  events.reduce(evolveContract, initialContractState());
const open = (events: readonly ContractEvent[]) => {
  const state = stateOf(events);
  if (state.status !== 'open') throw new Error('expected an open contract');
  return state;
};

describe('Contract state', () => {
  it('names the stream contract-<id>', () => {
    expect(contractStream('42')).toBe('contract-42');
  });

  it('starts not opened and ignores anything before ContractOpened', () => {
    expect(initialContractState()).toEqual({ status: 'not_opened' });
    expect(stateOf([invited('i-1', ANA.email)])).toEqual({ status: 'not_opened' });
  });

  it('opens with the owner and no users, invitations or contacts', () => {
    expect(stateOf([opened])).toEqual({
      status: 'open',
      contractId: CONTRACT_ID,
      owner: OWNER,
      holderName: 'Maria Ltda',
      document: { kind: 'cpf', number: '12345678909' },
      users: [],
      invitations: [],
      contacts: [],
      phones: [PHONE],
      paymentMethod: BOLETO,
      openedAt: T0,
      callbackRequests: [],
    });
  });

  it('ignores a second ContractOpened and unknown events', () => {
    const state = stateOf(withAna);
    const reopened = { ...opened, data: { ...opened.data, holderName: 'Outro' } };
    expect(evolveContract(state, reopened)).toBe(state);
    expect(evolveContract(state, { type: 'SomethingNew', data: {} } as unknown as ContractEvent)).toBe(state);
  });

  it('tracks invitations from pending to accepted, and the user they create', () => {
    const state = open(withAna);
    expect(state.invitations).toEqual([
      {
        invitationId: 'i-ana',
        email: ANA.email,
        permissions: ['billing', 'tickets'],
        invitedAt: T1,
        expiresAt: T1_PLUS_168_HOURS,
        status: 'accepted',
        acceptedBy: ANA.userId,
      },
    ]);
    expect(state.users).toEqual([
      { userId: ANA.userId, email: ANA.email, permissions: ['billing', 'tickets'] },
    ]);
  });

  it('marks only the named invitation revoked or expired', () => {
    const carol = email('carol@x.com');
    const dan = email('dan@x.com');
    const base = [opened, invited('i-c', carol), invited('i-d', dan)];
    const revoked = open([
      ...base,
      { type: 'InvitationRevoked', data: { contractId: CONTRACT_ID, invitationId: 'i-c', revokedAt: T1 } },
    ]);
    expect(revoked.invitations.map((i) => [i.invitationId, i.status, i.acceptedBy])).toEqual([
      ['i-c', 'revoked', null],
      ['i-d', 'pending', null],
    ]);
    const expired = open([
      ...base,
      { type: 'InvitationExpired', data: { contractId: CONTRACT_ID, invitationId: 'i-d', expiredAt: T1 } },
    ]);
    expect(expired.invitations.map((i) => [i.invitationId, i.status])).toEqual([
      ['i-c', 'pending'],
      ['i-d', 'expired'],
    ]);
  });

  it('changes and removes only the named user', () => {
    const bia = { userId: 'u-bia', email: email('bia@x.com') };
    const events = [...withAna, invited('i-bia', bia.email), accepted('i-bia', bia, ['orders'])];
    const changed = open([
      ...events,
      {
        type: 'UserPermissionsChanged',
        data: { contractId: CONTRACT_ID, userId: ANA.userId, permissions: ['quotes'], changedAt: T1 },
      },
    ]);
    expect(changed.users.map((u) => [u.userId, u.permissions])).toEqual([
      [ANA.userId, ['quotes']],
      [bia.userId, ['orders']],
    ]);
    const removed = open([
      ...events,
      { type: 'UserRemoved', data: { contractId: CONTRACT_ID, userId: ANA.userId, removedAt: T1 } },
    ]);
    expect(removed.users.map((u) => u.userId)).toEqual([bia.userId]);
  });

  it('makes the new owner owner and the old one a user with every permission', () => {
    const bia = { userId: 'u-bia', email: email('bia@x.com') };
    const state = open([
      ...withAna,
      invited('i-bia', bia.email),
      accepted('i-bia', bia, ['orders']),
      {
        type: 'ContractOwnershipTransferred',
        data: { contractId: CONTRACT_ID, previousOwner: OWNER, newOwner: ANA, transferredAt: T1 },
      },
    ]);
    expect(state.owner).toEqual({ userId: ANA.userId, email: ANA.email, name: null });
    expect(state.users).toEqual([
      { userId: bia.userId, email: bia.email, permissions: ['orders'] },
      { userId: OWNER.userId, email: OWNER.email, permissions: PERMISSIONS },
    ]);
  });

  it('adds and removes contacts and phones, and changes the payment method', () => {
    const contact = (contactId: string): ContractEvent => ({
      type: 'ContactAdded',
      data: {
        contractId: CONTRACT_ID,
        contactId,
        name: 'N',
        email: email(`${contactId}@x.com`),
        categories: ['technical'],
        addedAt: T1,
      },
    });
    const state = open([
      opened,
      contact('k-1'),
      contact('k-2'),
      { type: 'ContactRemoved', data: { contractId: CONTRACT_ID, contactId: 'k-1', removedAt: T1 } },
      { type: 'PhoneAdded', data: { contractId: CONTRACT_ID, phone: OTHER_PHONE, addedAt: T1 } },
      { type: 'PhoneRemoved', data: { contractId: CONTRACT_ID, phone: PHONE, removedAt: T1 } },
      {
        type: 'DefaultPaymentMethodChanged',
        data: { contractId: CONTRACT_ID, paymentMethod: CARD, changedAt: T1 },
      },
    ]);
    expect(state.contacts).toEqual([
      { contactId: 'k-2', name: 'N', email: 'k-2@x.com', categories: ['technical'] },
    ]);
    expect(state.phones).toEqual([OTHER_PHONE]);
    expect(state.paymentMethod).toEqual(CARD);
  });

  it('records each call-back request and closes only the named one', () => {
    const state = open([
      ...withAna,
      callbackRequestOpened('cb-1'),
      callbackRequestOpened('cb-2', OWNER, null),
      callbackRequestClosed('cb-1'),
    ]);
    expect(state.callbackRequests).toEqual([
      {
        callbackId: 'cb-1',
        userId: ANA.userId,
        phone: PHONE,
        topic: 'Migração de site',
        openedAt: T1,
        status: 'closed',
      },
      { callbackId: 'cb-2', userId: OWNER.userId, phone: PHONE, topic: null, openedAt: T1, status: 'open' },
    ]);
  });
});
