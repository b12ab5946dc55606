import fc from 'fast-check';
import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { PERMISSIONS } from '../value-objects/permission';
import type { ContractCommand } from './contract.commands';
import { contractDecider } from './contract.decider';
import type { ContractEvent } from './contract.events';
import { hasPermission } from './contract.queries';
import type { ContractState } from './contract.state';
import {
  ANA,
  asAdmin,
  asSupport,
  asSystem,
  BETO,
  BOLETO,
  CARD,
  customer,
  email,
  opened,
  OTHER_PHONE,
  OWNER,
  PHONE,
} from './contract.fixtures.spec';

const people = [OWNER, ANA, BETO, { userId: 'u-carol', email: email('carol@x.com') }];
/** Mostly the owner, since most commands need them, but every kind of actor appears. */
const actor: fc.Arbitrary<Actor> = fc.oneof(
  { arbitrary: fc.constant(customer(OWNER)), weight: 4 },
  { arbitrary: fc.constantFrom(...people.slice(1)).map((person) => customer(person)), weight: 3 },
  { arbitrary: fc.constantFrom(asAdmin, asSupport, asSystem), weight: 1 },
);
/** Invitees accepting, sometimes with another person's login. */
const invitee = fc.constantFrom(...people.slice(1)).map((person) => customer(person));
const userId = fc.constantFrom(...people.map((person) => person.userId), 'u-nobody');
const address = fc.constantFrom(...people.map((person) => person.email), email('dan@x.com'));
const permissions = fc.subarray([...PERMISSIONS]);
const id = fc.constantFrom('1', '2');
const callbackIds = fc.constantFrom('cb-1', 'cb-2', 'cb-3');
const callbackOutcome = fc.constantFrom('completed' as const, 'unreachable' as const, 'cancelled' as const);

/** A command of any kind, by anyone, at `hours` after the contract was opened; user edits weigh more. */
const commandAt = (hours: number): fc.Arbitrary<ContractCommand> => {
  const now = new Date(Date.parse(opened.data.openedAt) + hours * 3_600_000).toISOString();
  const by = <Type extends ContractCommand['type']>(
    type: Type,
    actor: Actor,
    data: Extract<ContractCommand, { type: Type }>['data'],
  ) => ({ type, data, metadata: { now, actor } }) as Extract<ContractCommand, { type: Type }>;
  const invite = fc.record({ by: actor, invitationId: id, to: address, permissions });
  const onInvitation = (who: fc.Arbitrary<Actor>) => fc.record({ by: who, invitationId: id });
  const onUser = (who: fc.Arbitrary<Actor>) => fc.record({ by: who, target: userId, permissions });
  const onContact = fc.record({ by: actor, contactId: id, to: address });
  const onPhone = fc.record({ by: actor, phone: fc.constantFrom(PHONE, OTHER_PHONE) });
  const onPayment = fc.record({ by: actor, paymentMethod: fc.constantFrom(BOLETO, CARD) });
  const onCallback = fc.record({
    by: actor,
    callbackId: callbackIds,
    phone: fc.constantFrom(PHONE, OTHER_PHONE),
  });
  const weighted = (weight: number, arbitrary: fc.Arbitrary<ContractCommand>) => ({ weight, arbitrary });
  return fc.oneof(
    weighted(
      4,
      invite.map((c) =>
        by('InviteUser', c.by, { invitationId: c.invitationId, email: c.to, permissions: c.permissions }),
      ),
    ),
    weighted(
      6,
      onInvitation(invitee).map((c) => by('AcceptInvitation', c.by, { invitationId: c.invitationId })),
    ),
    weighted(
      1,
      onInvitation(actor).map((c) => by('RevokeInvitation', c.by, { invitationId: c.invitationId })),
    ),
    weighted(
      1,
      onInvitation(actor).map((c) => by('ExpireInvitation', c.by, { invitationId: c.invitationId })),
    ),
    weighted(
      4,
      onUser(actor).map((c) =>
        by('ChangeUserPermissions', c.by, { userId: c.target, permissions: c.permissions }),
      ),
    ),
    weighted(
      2,
      onUser(actor).map((c) => by('RemoveUser', c.by, { userId: c.target })),
    ),
    weighted(
      2,
      onUser(fc.oneof(actor, fc.constant(asAdmin))).map((c) =>
        by('TransferOwnership', c.by, { newOwnerUserId: c.target }),
      ),
    ),
    weighted(
      1,
      onContact.map((c) =>
        by('AddContact', c.by, {
          contactId: c.contactId,
          name: 'Contato',
          email: c.to,
          categories: ['billing'],
        }),
      ),
    ),
    weighted(
      1,
      onContact.map((c) => by('RemoveContact', c.by, { contactId: c.contactId })),
    ),
    weighted(
      1,
      onPhone.map((c) => by('AddPhone', c.by, { phone: c.phone })),
    ),
    weighted(
      1,
      onPhone.map((c) => by('RemovePhone', c.by, { phone: c.phone })),
    ),
    weighted(
      1,
      onPayment.map((c) => by('ChangeDefaultPaymentMethod', c.by, { paymentMethod: c.paymentMethod })),
    ),
    weighted(
      3,
      onCallback.map((c) =>
        by('OpenCallbackRequest', c.by, { callbackId: c.callbackId, phone: c.phone, topic: 'Assunto' }),
      ),
    ),
    weighted(
      2,
      fc
        .record({ by: actor, callbackId: callbackIds, outcome: callbackOutcome })
        .map((c) => by('CloseCallbackRequest', c.by, { callbackId: c.callbackId, outcome: c.outcome })),
    ),
  );
};

/** 5 to 40 commands, 1 to 16 hours apart, so invitations sometimes expire. */
const commands = fc
  .array(fc.integer({ min: 1, max: 16 }), { minLength: 5, maxLength: 40, size: 'medium' })
  .map((gaps) => gaps.map((_, i) => gaps.slice(0, i + 1).reduce((a, b) => a + b, 0)))
  .chain((times) => fc.tuple(...times.map(commandAt)));

type Step = Readonly<{
  command: ContractCommand;
  events: readonly ContractEvent[];
  before: ContractState;
  after: ContractState;
}>;

/** Runs every command on the contract, keeping the refused ones out, as the command handler does. */
const run = (sequence: readonly ContractCommand[]): readonly Step[] => {
  let state = contractDecider.evolve(contractDecider.initialState(), opened);
  const steps: Step[] = [];
  for (const command of sequence) {
    let events: readonly ContractEvent[] = [];
    try {
      events = contractDecider.decide(command, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    const after = events.reduce(contractDecider.evolve, state);
    steps.push({ command, events, before: state, after });
    state = after;
  }
  return steps;
};

const open = (state: ContractState) => {
  if (state.status !== 'open') throw new Error('the contract should be open');
  return state;
};

describe('Contract invariants', () => {
  it('the owner always has every permission and only an admin transfer changes who the owner is', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        for (const { command, before, after } of run(sequence)) {
          const owner = open(after).owner;
          for (const permission of PERMISSIONS)
            expect(hasPermission(after, owner.userId, permission)).toBe(true);
          expect(open(after).users.map((user) => user.userId)).not.toContain(owner.userId);
          if (owner.userId !== open(before).owner.userId) {
            expect(command.type).toBe('TransferOwnership');
            expect(command.metadata.actor).toMatchObject({ roles: ['admin'] });
          }
        }
      }),
    );
  });

  it('no command ever changes or removes the owner', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        for (const { events, before } of run(sequence)) {
          const ownerId = open(before).owner.userId;
          for (const event of events) {
            if (event.type === 'UserPermissionsChanged' || event.type === 'UserRemoved') {
              expect(event.data.userId).not.toBe(ownerId);
            }
          }
        }
      }),
    );
  });

  it('nobody but the owner changes users, and nobody changes their own access', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        for (const { command, events, before } of run(sequence)) {
          if (events.length === 0) continue;
          if (
            command.type === 'ChangeUserPermissions' ||
            command.type === 'RemoveUser' ||
            command.type === 'InviteUser'
          ) {
            expect(command.metadata.actor).toMatchObject({ userId: open(before).owner.userId });
          }
          if (command.type === 'ChangeUserPermissions' || command.type === 'RemoveUser') {
            expect(command.metadata.actor).not.toMatchObject({ userId: command.data.userId });
          }
        }
      }),
    );
  });

  it('keeps one pending invitation per e-mail, none to a user, and one user per login and e-mail', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        for (const { after } of run(sequence)) {
          const state = open(after);
          const pending = state.invitations.filter((invitation) => invitation.status === 'pending');
          expect(new Set(pending.map((invitation) => invitation.email)).size).toBe(pending.length);
          const members = [state.owner, ...state.users];
          expect(new Set(members.map((member) => member.userId)).size).toBe(members.length);
          expect(new Set(members.map((member) => member.email)).size).toBe(members.length);
          expect(new Set(state.contacts.map((contact) => contact.email)).size).toBe(state.contacts.length);
        }
      }),
    );
  });

  it('keeps at most one open call-back request per user, each on one of the contract’s phones then', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        for (const { command, events, before, after } of run(sequence)) {
          const openRequests = open(after).callbackRequests.filter((request) => request.status === 'open');
          const requesters = openRequests.map((request) => request.userId);
          expect(new Set(requesters).size).toBe(requesters.length);
          for (const event of events) {
            if (event.type !== 'CallbackRequestOpened') continue;
            expect(open(before).phones).toContain(event.data.phone);
            expect(command.metadata.actor).toMatchObject({ userId: event.data.userId });
          }
        }
      }),
    );
  });

  it('a command repeated after it took effect appends nothing more', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        for (const { command, events, after } of run(sequence)) {
          if (events.length === 0) continue;
          let again: readonly ContractEvent[] = [];
          try {
            again = contractDecider.decide(command, after);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
          expect(again).toEqual([]);
        }
      }),
    );
  });
});
