import { PERMISSIONS } from '../value-objects/permission';
import type { ContractEvent } from './contract.events';
import {
  allNotificationAddressesOnDomains,
  hasPermission,
  hasPhone,
  isMember,
  isOwner,
  notificationAddresses,
  permissionsOf,
} from './contract.queries';
import { type ContractState, evolveContract, initialContractState } from './contract.state';
import {
  ANA,
  CONTRACT_ID,
  email,
  OTHER_PHONE,
  OWNER,
  PHONE,
  T2,
  opened,
  withAna,
} from './contract.fixtures.spec';

const stateOf = (events: readonly ContractEvent[]): ContractState =>
  events.reduce(evolveContract, initialContractState());
const contact = (contactId: string, address: string): ContractEvent => ({
  type: 'ContactAdded',
  data: {
    contractId: CONTRACT_ID,
    contactId,
    name: contactId,
    email: email(address),
    categories: ['billing'],
    addedAt: T2,
  },
});

describe('Contract queries', () => {
  const notOpened = initialContractState();
  const state = stateOf(withAna);

  it('tells the owner, the members and the outsiders apart', () => {
    expect(isOwner(state, OWNER.userId)).toBe(true);
    expect(isOwner(state, ANA.userId)).toBe(false);
    expect(isOwner(notOpened, OWNER.userId)).toBe(false);
    expect(isMember(state, OWNER.userId)).toBe(true);
    expect(isMember(state, ANA.userId)).toBe(true);
    expect(isMember(state, 'u-stranger')).toBe(false);
    expect(isMember(notOpened, OWNER.userId)).toBe(false);
  });

  it('gives the owner every permission and a user theirs', () => {
    expect(permissionsOf(state, OWNER.userId)).toEqual(PERMISSIONS);
    expect(permissionsOf(state, ANA.userId)).toEqual(['billing', 'tickets']);
    expect(permissionsOf(state, 'u-stranger')).toBeUndefined();
    expect(permissionsOf(notOpened, OWNER.userId)).toBeUndefined();
    for (const permission of PERMISSIONS) expect(hasPermission(state, OWNER.userId, permission)).toBe(true);
    expect(hasPermission(state, ANA.userId, 'billing')).toBe(true);
    expect(hasPermission(state, ANA.userId, 'orders')).toBe(false);
    expect(hasPermission(state, 'u-stranger', 'billing')).toBe(false);
  });

  it('knows the contract’s phones', () => {
    expect(hasPhone(state, PHONE)).toBe(true);
    expect(hasPhone(state, OTHER_PHONE)).toBe(false);
    expect(hasPhone(notOpened, PHONE)).toBe(false);
  });

  it('lists the owner and the contacts as notification addresses', () => {
    expect(notificationAddresses(notOpened)).toEqual([]);
    expect(notificationAddresses(stateOf([opened, contact('k-1', 'fin@outro.com')]))).toEqual([
      OWNER.email,
      'fin@outro.com',
    ]);
  });

  describe('allNotificationAddressesOnDomains', () => {
    const onOwnDomain = stateOf([
      opened,
      contact('k-1', 'fin@exemplo.com.br'),
      contact('k-2', 'ti@mail.exemplo.com.br'),
    ]);

    it('is true when every address is on one of the domains or a subdomain of one', () => {
      expect(allNotificationAddressesOnDomains(onOwnDomain, ['exemplo.com.br'])).toBe(true);
      expect(allNotificationAddressesOnDomains(onOwnDomain, ['outro.com', 'EXEMPLO.com.br'])).toBe(true);
    });

    it('is false when one address is elsewhere', () => {
      const mixed = stateOf([opened, contact('k-1', 'fin@gmail.com')]);
      expect(allNotificationAddressesOnDomains(mixed, ['exemplo.com.br'])).toBe(false);
      expect(allNotificationAddressesOnDomains(mixed, ['exemplo.com.br', 'gmail.com'])).toBe(true);
    });

    it('does not take a look-alike domain for a subdomain', () => {
      expect(allNotificationAddressesOnDomains(stateOf([opened]), ['plo.com.br'])).toBe(false);
      expect(allNotificationAddressesOnDomains(stateOf([opened]), ['com.br'])).toBe(true);
    });

    it('is false without domains or before the contract is opened', () => {
      expect(allNotificationAddressesOnDomains(onOwnDomain, [])).toBe(false);
      expect(allNotificationAddressesOnDomains(notOpened, ['exemplo.com.br'])).toBe(false);
    });
  });
});
