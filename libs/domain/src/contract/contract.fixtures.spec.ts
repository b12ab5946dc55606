/** Test data for the Contract specifications (named `.spec.ts` so it is neither mutated nor shipped). */
import type { Actor } from '../shared/actor';
import type { Instant } from '../value-objects/calendar';
import type { Email } from '../value-objects/email';
import type { PaymentMethod } from '../value-objects/payment-method';
import { PERMISSIONS, type Permission } from '../value-objects/permission';
import type { PhoneNumber } from '../value-objects/phone-number';
import type { ContractCommand } from './contract.commands';
import type {
  CallbackRequestClosed,
  CallbackRequestOpened,
  ContractEvent,
  ContractOpened,
  InvitationAccepted,
  UserInvited,
} from './contract.events';

export const CONTRACT_ID = 'c-1';
export const T0 = '2025-03-01T12:00:00.000Z';
export const T1 = '2025-03-02T12:00:00.000Z';
export const T2 = '2025-03-03T12:00:00.000Z';
/** Exactly 168 hours after T1: the invitation sent at T1 expires then. */
export const T1_PLUS_168_HOURS = '2025-03-09T12:00:00.000Z';

export const email = (address: string): Email => address as Email;
export const phone = (number: string): PhoneNumber => number as PhoneNumber;

export const OWNER = { userId: 'u-owner', email: email('dona@exemplo.com.br'), name: 'Dona Maria' };
export const ANA = { userId: 'u-ana', email: email('ana@exemplo.com.br') };
export const BETO = { userId: 'u-beto', email: email('beto@outro.com') };
export const PHONE = phone('+5511987654321');
export const OTHER_PHONE = phone('+552134567890');
export const BOLETO: PaymentMethod = { method: 'boleto' };
export const CARD: Extract<PaymentMethod, { method: 'credit_card' }> = {
  method: 'credit_card',
  cardToken: 'tok_1',
  brand: 'visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2030,
};

export const customer = (who: { userId: string; email: string }): Actor => ({
  kind: 'user',
  userId: who.userId,
  email: who.email,
  roles: ['customer'],
});
export const asOwner = customer(OWNER);
export const asAna = customer(ANA);
export const asBeto = customer(BETO);
export const asStranger = customer({ userId: 'u-stranger', email: 'x@y.com' });
export const asAdmin: Actor = {
  kind: 'user',
  userId: 'u-admin',
  email: 'admin@provider.com',
  roles: ['admin'],
};
export const asSupport: Actor = {
  kind: 'user',
  userId: 'u-support',
  email: 'support@provider.com',
  roles: ['support'],
};
export const asSystem: Actor = { kind: 'system', rule: 'expire-invitations' };

export const opened: ContractOpened = {
  type: 'ContractOpened',
  data: {
    contractId: CONTRACT_ID,
    owner: OWNER,
    holderName: 'Maria Ltda',
    document: { kind: 'cpf', number: '12345678909' },
    phones: [PHONE],
    paymentMethod: BOLETO,
    openedAt: T0,
  },
};

export const invited = (
  invitationId: string,
  to: Email,
  permissions: readonly Permission[] = ['billing', 'tickets'],
  invitedAt = T1,
  expiresAt = T1_PLUS_168_HOURS,
): UserInvited => ({
  type: 'UserInvited',
  data: { contractId: CONTRACT_ID, invitationId, email: to, permissions, invitedAt, expiresAt },
});

export const accepted = (
  invitationId: string,
  who: { userId: string; email: Email },
  permissions: readonly Permission[] = ['billing', 'tickets'],
): InvitationAccepted => ({
  type: 'InvitationAccepted',
  data: {
    contractId: CONTRACT_ID,
    invitationId,
    userId: who.userId,
    email: who.email,
    permissions,
    acceptedAt: T1,
  },
});

/** The contract opened, with Ana a user holding billing and tickets. */
export const withAna: readonly ContractEvent[] = [
  opened,
  invited('i-ana', ANA.email),
  accepted('i-ana', ANA),
];

/** Ana and Beto are users; Beto holds every permission but is not the owner. */
export const withAnaAndBeto: readonly ContractEvent[] = [
  ...withAna,
  invited('i-beto', BETO.email, PERMISSIONS),
  accepted('i-beto', BETO, PERMISSIONS),
];

/** `who` asked to be called on the contract's phone (at T1, about a migration). */
export const callbackRequestOpened = (
  callbackId: string,
  who: { userId: string } = ANA,
  topic: string | null = 'Migração de site',
): CallbackRequestOpened => ({
  type: 'CallbackRequestOpened',
  data: { contractId: CONTRACT_ID, callbackId, userId: who.userId, phone: PHONE, topic, openedAt: T1 },
});

/** The request ended on its own stream (at T2). */
export const callbackRequestClosed = (
  callbackId: string,
  who: { userId: string } = ANA,
  outcome: CallbackRequestClosed['data']['outcome'] = 'cancelled',
): CallbackRequestClosed => ({
  type: 'CallbackRequestClosed',
  data: { contractId: CONTRACT_ID, callbackId, userId: who.userId, outcome, closedAt: T2 },
});

/** Builds a command sent by `actor` (the owner unless told) at `now` (T2 unless told). */
export const command = <C extends ContractCommand>(
  type: C['type'],
  data: C['data'],
  actor: Actor = asOwner,
  now: Instant = T2,
): C => ({ type, data, metadata: { now, actor } }) as C;
