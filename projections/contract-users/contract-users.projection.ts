import type { Transaction } from 'kysely';
import { PERMISSIONS, type ContractEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { claimEvent, type Projection } from '@app/projection-runner';
import type { ContractUsersDatabase } from './contract-users.table';

const NAME = 'contract-users';

const HANDLED = [
  'ContractOpened',
  'UserInvited',
  'InvitationAccepted',
  'InvitationRevoked',
  'InvitationExpired',
  'UserPermissionsChanged',
  'UserRemoved',
  'ContractOwnershipTransferred',
  'ContactAdded',
  'ContactRemoved',
] as const satisfies readonly ContractEvent['type'][];

const json = (value: readonly string[]) => JSON.stringify(value) as unknown as readonly string[];

const invitationStatus = async (
  trx: Transaction<ContractUsersDatabase>,
  invitationId: string,
  status: 'accepted' | 'revoked' | 'expired',
) => {
  await trx
    .updateTable('contract_invitations')
    .set({ status })
    .where('invitation_id', '=', invitationId)
    .execute();
};

const applyOne = async (trx: Transaction<ContractUsersDatabase>, event: ContractEvent): Promise<void> => {
  switch (event.type) {
    case 'ContractOpened': {
      const { contractId, owner, holderName, openedAt } = event.data;
      await trx
        .insertInto('contracts')
        .values({
          contract_id: contractId,
          holder_name: holderName,
          owner_user_id: owner.userId,
          opened_at: openedAt,
        })
        .execute();
      await trx
        .insertInto('contract_users')
        .values({
          contract_id: contractId,
          user_id: owner.userId,
          email: owner.email,
          permissions: json(PERMISSIONS),
          is_owner: true,
        })
        .execute();
      return;
    }
    case 'UserInvited': {
      const { invitationId, contractId, email, permissions, invitedAt, expiresAt } = event.data;
      await trx
        .insertInto('contract_invitations')
        .values({
          invitation_id: invitationId,
          contract_id: contractId,
          email,
          permissions: json(permissions),
          status: 'pending',
          invited_at: invitedAt,
          expires_at: expiresAt,
        })
        .execute();
      return;
    }
    case 'InvitationAccepted': {
      const { invitationId, contractId, userId, email, permissions } = event.data;
      await invitationStatus(trx, invitationId, 'accepted');
      await trx
        .insertInto('contract_users')
        .values({
          contract_id: contractId,
          user_id: userId,
          email,
          permissions: json(permissions),
          is_owner: false,
        })
        .execute();
      return;
    }
    case 'InvitationRevoked':
      return invitationStatus(trx, event.data.invitationId, 'revoked');
    case 'InvitationExpired':
      return invitationStatus(trx, event.data.invitationId, 'expired');
    case 'UserPermissionsChanged': {
      const { contractId, userId, permissions } = event.data;
      await trx
        .updateTable('contract_users')
        .set({ permissions: json(permissions) })
        .where('contract_id', '=', contractId)
        .where('user_id', '=', userId)
        .execute();
      return;
    }
    case 'UserRemoved':
      await trx
        .deleteFrom('contract_users')
        .where('contract_id', '=', event.data.contractId)
        .where('user_id', '=', event.data.userId)
        .execute();
      return;
    case 'ContractOwnershipTransferred': {
      const { contractId, previousOwner, newOwner } = event.data;
      // The old owner stays, as an ordinary user with every permission; the new one becomes the owner.
      await trx
        .updateTable('contract_users')
        .set({ is_owner: false, permissions: json(PERMISSIONS) })
        .where('contract_id', '=', contractId)
        .where('user_id', '=', previousOwner.userId)
        .execute();
      await trx
        .updateTable('contract_users')
        .set({ is_owner: true, permissions: json(PERMISSIONS) })
        .where('contract_id', '=', contractId)
        .where('user_id', '=', newOwner.userId)
        .execute();
      await trx
        .updateTable('contracts')
        .set({ owner_user_id: newOwner.userId })
        .where('contract_id', '=', contractId)
        .execute();
      return;
    }
    case 'ContactAdded': {
      const { contactId, contractId, name, email, categories } = event.data;
      await trx
        .insertInto('contract_contacts')
        .values({ contact_id: contactId, contract_id: contractId, name, email, categories: json(categories) })
        .execute();
      return;
    }
    case 'ContactRemoved':
      await trx.deleteFrom('contract_contacts').where('contact_id', '=', event.data.contactId).execute();
      return;
    default:
      return;
  }
};

/** Contracts with their users (owner included), invitations and contacts: GET /me/contracts and a contract's lists. */
export const contractUsersProjection: Projection<ContractUsersDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  apply: async (events: readonly RecordedEvent[], trx) => {
    for (const recorded of events) {
      if (!(await claimEvent(trx as Transaction<unknown>, NAME, recorded))) continue;
      await applyOne(trx, { type: recorded.type, data: recorded.data } as ContractEvent);
    }
  },
};
