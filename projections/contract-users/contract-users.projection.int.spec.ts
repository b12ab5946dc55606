import type { Kysely } from 'kysely';
import { PERMISSIONS } from '@app/domain';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { contractUsersProjection } from './contract-users.projection';
import {
  contactsOfContract,
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

  beforeEach(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  afterEach(() => connection.close());

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
          invitations: (await invitationsOfContract(database, 'c-1')).map((row) => [
            row.invitation_id,
            row.status,
          ]),
          contacts: (await contactsOfContract(database, 'c-1')).map((row) => [row.email, row.categories]),
        }),
        {
          ofAna: [['c-1', ['billing', 'tickets']]],
          invitations: [['i-1', 'accepted']],
          contacts: [['fin@exemplo.com.br', ['billing']]],
        },
      ));
});
