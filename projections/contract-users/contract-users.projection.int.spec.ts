import type { Kysely } from 'kysely';
import {
  allNotificationAddressesOnDomains,
  evolveContract,
  initialContractState,
  PERMISSIONS,
  type ContractEvent,
} from '@app/domain';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { contractHostedDomainsMigration } from './contract-users.migration';
import { contractUsersProjection } from './contract-users.projection';
import {
  contactsOfContract,
  contractById,
  contractsOfUser,
  invitationsOfContract,
  usersOfContract,
} from './contract-users.queries';
import type { ContractUsersDatabase } from './contract-users.table';

const STREAM = 'contract-c-1';
const owner = { userId: 'u-owner', email: 'dona@exemplo.com.br', name: 'Dona' };
const opened = recordedEvent(STREAM, 0, 'ContractOpened', {
  contractId: 'c-1',
  owner,
  holderName: 'Maria ME',
  document: { kind: 'cpf', number: '52998224725' },
  phones: ['+5511987654321'],
  paymentMethod: { method: 'boleto' },
  openedAt: '2026-02-28T23:30:00.000Z',
});
const invited = recordedEvent(STREAM, 1, 'UserInvited', {
  contractId: 'c-1',
  invitationId: 'i-1',
  email: 'ana@exemplo.com.br',
  permissions: ['billing', 'tickets'],
  invitedAt: '2026-02-28T23:31:00.000Z',
  expiresAt: '2026-03-07T23:31:00.000Z',
});
const accepted = recordedEvent(STREAM, 2, 'InvitationAccepted', {
  contractId: 'c-1',
  invitationId: 'i-1',
  userId: 'u-ana',
  email: 'ana@exemplo.com.br',
  permissions: ['billing', 'tickets'],
  acceptedAt: '2026-03-01T10:00:00.000Z',
});
const changed = recordedEvent(STREAM, 3, 'UserPermissionsChanged', {
  contractId: 'c-1',
  userId: 'u-ana',
  permissions: ['tickets'],
  changedAt: '2026-03-02T10:00:00.000Z',
});
const contact = recordedEvent(STREAM, 4, 'ContactAdded', {
  contractId: 'c-1',
  contactId: 'k-1',
  name: 'Financeiro',
  email: 'fin@exemplo.com.br',
  categories: ['billing'],
  addedAt: '2026-03-02T11:00:00.000Z',
});
const transferred = recordedEvent(STREAM, 5, 'ContractOwnershipTransferred', {
  contractId: 'c-1',
  previousOwner: owner,
  newOwner: { userId: 'u-ana', email: 'ana@exemplo.com.br' },
  transferredAt: '2026-03-03T10:00:00.000Z',
});

describe('the contract users read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<ContractUsersDatabase>;
  const spec = projectionSpecification(contractUsersProjection, db);
  const users = (database: Kysely<ContractUsersDatabase>) =>
    usersOfContract(database, 'c-1', { limit: 50 }).then((rows) =>
      rows.map(({ user_id, permissions, is_owner }) => ({ user_id, permissions, is_owner })),
    );

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('lists the owner with every permission, and an accepted invitee with theirs', () =>
    spec
      .given([opened, invited])
      .when([accepted])
      .then(users, [
        { user_id: 'u-ana', permissions: ['billing', 'tickets'], is_owner: false },
        { user_id: 'u-owner', permissions: [...PERMISSIONS], is_owner: true },
      ]));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([opened, invited, accepted])
      .when([invited, accepted, changed], { times: 3 })
      .then(users, [
        { user_id: 'u-ana', permissions: ['tickets'], is_owner: false },
        { user_id: 'u-owner', permissions: [...PERMISSIONS], is_owner: true },
      ]));

  it('makes the new owner the owner and keeps the old one as a user with every permission', () =>
    spec
      .given([opened, invited, accepted, changed])
      .when([transferred])
      .then(users, [
        { user_id: 'u-ana', permissions: [...PERMISSIONS], is_owner: true },
        { user_id: 'u-owner', permissions: [...PERMISSIONS], is_owner: false },
      ]));

  it("answers a user's contracts with their permissions, invitations with their status, and contacts", () =>
    spec
      .given([opened, invited, accepted])
      .when([contact])
      .then(
        async (database) => ({
          ofAna: (await contractsOfUser(database, 'u-ana', { limit: 10 })).map((row) => [
            row.contract_id,
            row.permissions,
          ]),
          invitations: (await invitationsOfContract(database, 'c-1', { limit: 100 })).map((row) => [
            row.invitation_id,
            row.status,
          ]),
          contacts: (await contactsOfContract(database, 'c-1', { limit: 100 })).map((row) => [
            row.email,
            row.categories,
          ]),
        }),
        {
          ofAna: [['c-1', ['billing', 'tickets']]],
          invitations: [['i-1', 'accepted']],
          contacts: [['fin@exemplo.com.br', ['billing']]],
        },
      ));

  describe('flags a contract whose every notification address is on a domain it hosts', () => {
    const ordered = (serviceId: string, kind: string, plan: string, contractId = 'c-1') =>
      recordedEvent(`service-${serviceId}`, 0, 'ServiceOrdered', {
        serviceId,
        contractId,
        kind,
        plan,
        billingCycle: 'annual',
        priceCents: 400,
        parentServiceId: null,
        parentKind: null,
        paymentMethod: null,
        orderedAt: '2026-03-01T12:00:00.000Z',
        firstDueDate: '2026-03-01',
        anchorDay: 1,
      });
    const domain = ordered('s-dom', 'domain', ' Exemplo.COM.br ');
    const contactOn = (revision: number, contactId: string, email: string) =>
      recordedEvent(STREAM, revision, 'ContactAdded', {
        contractId: 'c-1',
        contactId,
        name: contactId,
        email,
        categories: ['billing'],
        addedAt: '2026-03-02T11:00:00.000Z',
      });
    const removed = (revision: number, contactId: string) =>
      recordedEvent(STREAM, revision, 'ContactRemoved', {
        contractId: 'c-1',
        contactId,
        removedAt: '2026-03-03T11:00:00.000Z',
      });
    const ended = (type: 'ServiceCancelled' | 'ServiceTerminated') =>
      recordedEvent('service-s-dom', 1, type, { serviceId: 's-dom' });
    // The same invitation, acceptance and transfer as above, to an owner whose address is on another domain.
    const offDomain = { email: 'ana@outro.com.br' };
    const invitedOff = { ...invited, data: { ...(invited.data as object), ...offDomain } };
    const acceptedOff = { ...accepted, data: { ...(accepted.data as object), ...offDomain } };
    const transferredOff = {
      ...transferred,
      data: { ...(transferred.data as object), newOwner: { userId: 'u-ana', ...offDomain } },
    };
    const flag = (database: Kysely<ContractUsersDatabase>) =>
      contractById(database, 'c-1').then((row) => row?.notification_addresses_on_hosted_domains);

    it('is down while the contract hosts no domain', () => spec.given([]).when([opened]).then(flag, false));

    it("is up once the contract hosts the owner's domain, its plan spelt any case", () =>
      spec.given([opened]).when([domain]).then(flag, true));

    it('stays up for a contact on a subdomain of it', () =>
      spec
        .given([opened, domain])
        .when([contactOn(1, 'k-1', 'avisos@mail.exemplo.com.br')])
        .then(flag, true));

    it('goes down for a contact elsewhere, and back up once that contact is removed', () =>
      spec
        .given([opened, domain, contactOn(1, 'k-1', 'avisos@mail.exemplo.com.br')])
        .when([contactOn(2, 'k-2', 'fin@gmail.com')])
        .then(flag, false)
        .then(() =>
          spec
            .given([])
            .when([removed(3, 'k-2')])
            .then(flag, true),
        ));

    it.each(['ServiceCancelled', 'ServiceTerminated'] as const)('goes down when the domain is %s', (type) =>
      spec
        .given([opened, domain])
        .when([ended(type)])
        .then(flag, false),
    );

    it("counts only domain services, and only the contract's own", () =>
      spec
        .given([opened])
        .when([
          ordered('s-web', 'shared_hosting', 'exemplo.com.br'),
          ordered('s-x', 'domain', 'exemplo.com.br', 'c-2'),
        ])
        .then(flag, false));

    it('follows the owner: a new owner off the domain takes it down', () =>
      spec.given([opened, domain, invitedOff, acceptedOff]).when([transferredOff]).then(flag, false));

    it('changes nothing when the same events arrive again', () =>
      spec
        .given([opened, domain])
        .when([opened, domain, contactOn(1, 'k-1', 'fin@gmail.com'), removed(2, 'k-1')], { times: 2 })
        .then(flag, true));

    it('judges many contacts, one off the domain enough to take it down', () => {
      const many = Array.from({ length: 40 }, (_, index) =>
        contactOn(index + 1, `k-${index}`, `pessoa${index}@exemplo.com.br`),
      );
      return spec
        .given([opened, domain, ...many])
        .when([contactOn(41, 'k-off', 'pessoa@outro.com.br')])
        .then(flag, false);
    });

    it.each([
      ['the owner alone', [opened]],
      ['a contact elsewhere', [opened, contactOn(1, 'k-1', 'fin@gmail.com')]],
      [
        'contacts on the domain',
        [opened, contactOn(1, 'k-1', 'a@exemplo.com.br'), contactOn(2, 'k-2', 'b@x.exemplo.com.br')],
      ],
      ['a contract transferred on the domain', [opened, invited, accepted, transferred]],
      ['a contract transferred off the domain', [opened, invitedOff, acceptedOff, transferredOff]],
    ])("agrees with the domain's rule on the contract's own state: %s", async (_case, history) => {
      const state = history.reduce(
        (folded, event) => evolveContract(folded, { type: event.type, data: event.data } as ContractEvent),
        initialContractState(),
      );
      await spec
        .given(history)
        .when([domain])
        .then(flag, allNotificationAddressesOnDomains(state, ['exemplo.com.br']));
    });

    it('is refilled from the log by the version that brings it: the migration empties the read model', () =>
      spec
        .given([opened, domain, contact])
        .when([])
        .then(
          async (database) => {
            const migrating = database as unknown as Kysely<unknown>;
            await contractHostedDomainsMigration.down?.(migrating);
            await contractHostedDomainsMigration.up(migrating);
            const emptied = await contractById(database, 'c-1');
            await database
              .transaction()
              .execute((trx) => contractUsersProjection.apply([opened, domain, contact], trx));
            return {
              emptied,
              refilled: (await contactsOfContract(database, 'c-1', { limit: 100 })).map((row) => row.email),
              flag: await flag(database),
            };
          },
          { emptied: undefined, refilled: ['fin@exemplo.com.br'], flag: true },
        ));
  });
});
