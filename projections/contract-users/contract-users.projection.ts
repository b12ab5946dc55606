import type { Transaction } from 'kysely';
import {
  allNotificationAddressesOnDomains,
  PERMISSIONS,
  type ContractEvent,
  type ContractState,
  type ServiceEvent,
} from '@app/domain';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
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
  'ServiceOrdered',
  'ServiceCancelled',
  'ServiceTerminated',
] as const satisfies readonly (ContractEvent | ServiceEvent)['type'][];

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

/**
 * The domain's rule reads a contract's notification addresses off its state: the owner's e-mail and the contacts'.
 * The rows hold exactly those, so the rule gets a state made of them alone.
 */
const stateOfAddresses = (ownerEmail: string, contactEmails: readonly string[]): ContractState =>
  ({
    status: 'open',
    owner: { email: ownerEmail },
    contacts: contactEmails.map((email) => ({ email })),
  }) as unknown as ContractState;

const refreshHostedDomainsFlag = async (trx: Transaction<ContractUsersDatabase>, contractId: string) => {
  const owner = await trx
    .selectFrom('contract_users')
    .select('email')
    .where('contract_id', '=', contractId)
    .where('is_owner', '=', true)
    .executeTakeFirst();
  if (!owner) return;
  const contacts = await trx
    .selectFrom('contract_contacts')
    .select('email')
    .where('contract_id', '=', contractId)
    .execute();
  const domains = await trx
    .selectFrom('contract_hosted_domains')
    .select('domain')
    .where('contract_id', '=', contractId)
    .execute();
  const flag = allNotificationAddressesOnDomains(
    stateOfAddresses(
      owner.email,
      contacts.map((contact) => contact.email),
    ),
    domains.map((hosted) => hosted.domain),
  );
  await trx
    .updateTable('contracts')
    .set({ notification_addresses_on_hosted_domains: flag })
    .where('contract_id', '=', contractId)
    .execute();
};

/** A domain service's plan names the domain it registers; ServiceOrdered has no other field for it. */
const hostedDomainOf = (event: Extract<ServiceEvent, { type: 'ServiceOrdered' }>): string | undefined =>
  event.data.kind === 'domain' ? event.data.plan.trim().toLowerCase() : undefined;

const applyService = async (trx: Transaction<ContractUsersDatabase>, event: ServiceEvent): Promise<void> => {
  switch (event.type) {
    case 'ServiceOrdered': {
      const domain = hostedDomainOf(event);
      if (domain === undefined) return;
      const { serviceId, contractId } = event.data;
      await trx
        .insertInto('contract_hosted_domains')
        .values({ service_id: serviceId, contract_id: contractId, domain })
        .execute();
      return refreshHostedDomainsFlag(trx, contractId);
    }
    // A cancelled or terminated domain is no longer the contract's to host.
    case 'ServiceCancelled':
    case 'ServiceTerminated': {
      const removed = await trx
        .deleteFrom('contract_hosted_domains')
        .where('service_id', '=', event.data.serviceId)
        .returning('contract_id')
        .executeTakeFirst();
      if (removed) await refreshHostedDomainsFlag(trx, removed.contract_id);
      return;
    }
    default:
      return;
  }
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
          notification_addresses_on_hosted_domains: false,
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
      return refreshHostedDomainsFlag(trx, contractId);
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
      return refreshHostedDomainsFlag(trx, contractId);
    }
    case 'ContactAdded': {
      const { contactId, contractId, name, email, categories } = event.data;
      await trx
        .insertInto('contract_contacts')
        .values({ contact_id: contactId, contract_id: contractId, name, email, categories: json(categories) })
        .execute();
      return refreshHostedDomainsFlag(trx, contractId);
    }
    case 'ContactRemoved':
      await trx.deleteFrom('contract_contacts').where('contact_id', '=', event.data.contactId).execute();
      return refreshHostedDomainsFlag(trx, event.data.contractId);
    default:
      return;
  }
};

const SERVICE_EVENTS: readonly string[] = ['ServiceOrdered', 'ServiceCancelled', 'ServiceTerminated'];

/**
 * Contracts with their users (owner included), invitations and contacts: GET /me/contracts and a contract's lists,
 * and whether every notification address is on a domain the contract hosts.
 */
export const contractUsersProjection: Projection<ContractUsersDatabase> = {
  name: NAME,
  version: 2,
  handles: HANDLED,
  tables: [
    'contracts',
    'contract_users',
    'contract_invitations',
    'contract_contacts',
    'contract_hosted_domains',
  ],
  apply: applyEachNewEvent(NAME, (trx, recorded) =>
    SERVICE_EVENTS.includes(recorded.type)
      ? applyService(trx, { type: recorded.type, data: recorded.data } as ServiceEvent)
      : applyOne(trx, { type: recorded.type, data: recorded.data } as ContractEvent),
  ),
};
