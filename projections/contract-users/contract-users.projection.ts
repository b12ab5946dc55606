import { sql, type Compilable, type Transaction } from 'kysely';
import {
  allNotificationAddressesOnDomains,
  PERMISSIONS,
  type ContractEvent,
  type ContractState,
  type ServiceEvent,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { chunksOf, executeTogether, instant, KeyedRows } from '../shared/keyed-rows';
import type {
  ContractContactRow,
  ContractInvitationRow,
  ContractRow,
  ContractUserRow,
  ContractUsersDatabase,
} from './contract-users.table';

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

type Trx = Transaction<ContractUsersDatabase>;
type HostedDomainRow = ContractUsersDatabase['contract_hosted_domains'];

const json = (value: readonly string[]) => JSON.stringify(value) as unknown as readonly string[];

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

/** A domain service's plan names the domain it registers; ServiceOrdered has no other field for it. */
const hostedDomainOf = (event: Extract<ServiceEvent, { type: 'ServiceOrdered' }>): string | undefined =>
  event.data.kind === 'domain' ? event.data.plan.trim().toLowerCase() : undefined;

const userKey = (contractId: string, userId: string) => `${contractId}\u0000${userId}`;

/** The batch's rows in memory: every row of each contract the batch names, and the invitations it names. */
class ContractUsersFold {
  readonly contracts = new KeyedRows<ContractRow>((row) => row.contract_id);
  readonly users = new KeyedRows<ContractUserRow>((row) => userKey(row.contract_id, row.user_id));
  readonly invitations = new KeyedRows<ContractInvitationRow>((row) => row.invitation_id);
  readonly contacts = new KeyedRows<ContractContactRow>((row) => row.contact_id);
  readonly domains = new KeyedRows<HostedDomainRow>((row) => row.service_id);

  /** Whether every notification address is on a hosted domain, judged from the rows as they stand now. */
  private refreshHostedDomainsFlag(contractId: string) {
    const owner = this.users.present().find((user) => user.contract_id === contractId && user.is_owner);
    if (!owner) return;
    const contacts = this.contacts.present().filter((contact) => contact.contract_id === contractId);
    const domains = this.domains.present().filter((hosted) => hosted.contract_id === contractId);
    const flag = allNotificationAddressesOnDomains(
      stateOfAddresses(
        owner.email,
        contacts.map((contact) => contact.email),
      ),
      domains.map((hosted) => hosted.domain),
    );
    this.contracts.update(contractId, (row) => ({ ...row, notification_addresses_on_hosted_domains: flag }));
  }

  private setInvitationStatus(invitationId: string, status: 'accepted' | 'revoked' | 'expired') {
    this.invitations.update(invitationId, (row) => ({ ...row, status }));
  }

  applyService(event: ServiceEvent): void {
    switch (event.type) {
      case 'ServiceOrdered': {
        const domain = hostedDomainOf(event);
        if (domain === undefined) return;
        const { serviceId, contractId } = event.data;
        this.domains.put({ service_id: serviceId, contract_id: contractId, domain });
        return this.refreshHostedDomainsFlag(contractId);
      }
      // A cancelled or terminated domain is no longer the contract's to host.
      case 'ServiceCancelled':
      case 'ServiceTerminated': {
        const removed = this.domains.remove(event.data.serviceId);
        if (removed) this.refreshHostedDomainsFlag(removed.contract_id);
        return;
      }
      default:
        return;
    }
  }

  apply(event: ContractEvent): void {
    switch (event.type) {
      case 'ContractOpened': {
        const { contractId, owner, holderName, openedAt } = event.data;
        this.contracts.put({
          contract_id: contractId,
          holder_name: holderName,
          owner_user_id: owner.userId,
          opened_at: openedAt,
          notification_addresses_on_hosted_domains: false,
        });
        this.users.put({
          contract_id: contractId,
          user_id: owner.userId,
          email: owner.email,
          permissions: PERMISSIONS,
          is_owner: true,
        });
        return this.refreshHostedDomainsFlag(contractId);
      }
      case 'UserInvited': {
        const { invitationId, contractId, email, permissions, invitedAt, expiresAt } = event.data;
        this.invitations.put({
          invitation_id: invitationId,
          contract_id: contractId,
          email,
          permissions,
          status: 'pending',
          invited_at: invitedAt,
          expires_at: expiresAt,
        });
        return;
      }
      case 'InvitationAccepted': {
        const { invitationId, contractId, userId, email, permissions } = event.data;
        this.setInvitationStatus(invitationId, 'accepted');
        this.users.put({ contract_id: contractId, user_id: userId, email, permissions, is_owner: false });
        return;
      }
      case 'InvitationRevoked':
        return this.setInvitationStatus(event.data.invitationId, 'revoked');
      case 'InvitationExpired':
        return this.setInvitationStatus(event.data.invitationId, 'expired');
      case 'UserPermissionsChanged': {
        const { contractId, userId, permissions } = event.data;
        this.users.update(userKey(contractId, userId), (row) => ({ ...row, permissions }));
        return;
      }
      case 'UserRemoved':
        this.users.remove(userKey(event.data.contractId, event.data.userId));
        return;
      case 'ContractOwnershipTransferred': {
        const { contractId, previousOwner, newOwner } = event.data;
        // The old owner stays, as an ordinary user with every permission; the new one becomes the owner.
        this.users.update(userKey(contractId, previousOwner.userId), (row) => ({
          ...row,
          is_owner: false,
          permissions: PERMISSIONS,
        }));
        this.users.update(userKey(contractId, newOwner.userId), (row) => ({
          ...row,
          is_owner: true,
          permissions: PERMISSIONS,
        }));
        this.contracts.update(contractId, (row) => ({ ...row, owner_user_id: newOwner.userId }));
        return this.refreshHostedDomainsFlag(contractId);
      }
      case 'ContactAdded': {
        const { contactId, contractId, name, email, categories } = event.data;
        this.contacts.put({ contact_id: contactId, contract_id: contractId, name, email, categories });
        return this.refreshHostedDomainsFlag(contractId);
      }
      case 'ContactRemoved':
        this.contacts.remove(event.data.contactId);
        return this.refreshHostedDomainsFlag(event.data.contractId);
      default:
        return;
    }
  }
}

const SERVICE_EVENTS: readonly string[] = ['ServiceOrdered', 'ServiceCancelled', 'ServiceTerminated'];
const INVITATION_EVENTS: readonly string[] = ['InvitationAccepted', 'InvitationRevoked', 'InvitationExpired'];

/**
 * Every row of each contract the batch names (a cancelled domain service names its contract through its row),
 * and the invitations whose status it changes, as the database holds them before the batch: one query per table.
 */
const load = async (trx: Trx, events: readonly RecordedEvent[]): Promise<ContractUsersFold> => {
  const fold = new ContractUsersFold();
  const contractIds = new Set<string>();
  const endedServiceIds: string[] = [];
  const invitationIds: string[] = [];
  const contactIds: string[] = [];
  for (const { type, data } of events) {
    const named = data as Partial<Record<'contractId' | 'serviceId' | 'invitationId' | 'contactId', string>>;
    if (type === 'ServiceCancelled' || type === 'ServiceTerminated') endedServiceIds.push(named.serviceId!);
    // Only a domain service's order touches a contract's rows.
    else if (type === 'ServiceOrdered' && (data as { kind?: string }).kind !== 'domain') continue;
    else if (named.contractId !== undefined) contractIds.add(named.contractId);
    if (INVITATION_EVENTS.includes(type)) invitationIds.push(named.invitationId!);
    if (type === 'ContactRemoved') contactIds.push(named.contactId!);
  }
  const endedDomains =
    endedServiceIds.length === 0
      ? []
      : await trx
          .selectFrom('contract_hosted_domains')
          .selectAll()
          .where('service_id', 'in', endedServiceIds)
          .execute();
  for (const hosted of endedDomains) contractIds.add(hosted.contract_id);
  const contracts = [...contractIds];
  if (contracts.length > 0) {
    fold.contracts.load(
      await trx.selectFrom('contracts').selectAll().where('contract_id', 'in', contracts).execute(),
    );
    fold.users.load(
      await trx.selectFrom('contract_users').selectAll().where('contract_id', 'in', contracts).execute(),
    );
    fold.contacts.load(
      await trx
        .selectFrom('contract_contacts')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('contract_id', 'in', contracts),
            ...(contactIds.length === 0 ? [] : [eb('contact_id', 'in', contactIds)]),
          ]),
        )
        .execute(),
    );
    fold.domains.load(
      await trx
        .selectFrom('contract_hosted_domains')
        .selectAll()
        .where('contract_id', 'in', contracts)
        .execute(),
    );
  }
  fold.domains.load(endedDomains);
  if (invitationIds.length > 0)
    fold.invitations.load(
      await trx
        .selectFrom('contract_invitations')
        .selectAll()
        .where('invitation_id', 'in', invitationIds)
        .execute(),
    );
  return fold;
};

/** The batch's writes, each to rows of its own: one upsert and one delete per table. */
const writes = (trx: Trx, fold: ContractUsersFold): Compilable[] => {
  const users = fold.users.writes();
  const contacts = fold.contacts.writes();
  const domains = fold.domains.writes();
  return [
    ...chunksOf(fold.contracts.writes().upserts).map((rows) =>
      trx
        .insertInto('contracts')
        .values(rows.map((row) => ({ ...row, opened_at: instant(row.opened_at) })))
        .onConflict((oc) =>
          oc.column('contract_id').doUpdateSet((eb) => ({
            holder_name: eb.ref('excluded.holder_name'),
            owner_user_id: eb.ref('excluded.owner_user_id'),
            opened_at: eb.ref('excluded.opened_at'),
            notification_addresses_on_hosted_domains: eb.ref(
              'excluded.notification_addresses_on_hosted_domains',
            ),
          })),
        ),
    ),
    ...chunksOf(users.deletes).map((rows) =>
      trx
        .deleteFrom('contract_users')
        .where(
          sql<boolean>`(contract_id, user_id) in (select * from unnest(${sql.val(
            rows.map((row) => row.contract_id),
          )}::text[], ${sql.val(rows.map((row) => row.user_id))}::text[]))`,
        ),
    ),
    ...chunksOf(users.upserts).map((rows) =>
      trx
        .insertInto('contract_users')
        .values(rows.map((row) => ({ ...row, permissions: json(row.permissions) })))
        .onConflict((oc) =>
          oc.columns(['contract_id', 'user_id']).doUpdateSet((eb) => ({
            email: eb.ref('excluded.email'),
            permissions: eb.ref('excluded.permissions'),
            is_owner: eb.ref('excluded.is_owner'),
          })),
        ),
    ),
    ...chunksOf(fold.invitations.writes().upserts).map((rows) =>
      trx
        .insertInto('contract_invitations')
        .values(
          rows.map((row) => ({
            ...row,
            permissions: json(row.permissions),
            invited_at: instant(row.invited_at),
            expires_at: instant(row.expires_at),
          })),
        )
        .onConflict((oc) =>
          oc.column('invitation_id').doUpdateSet((eb) => ({
            contract_id: eb.ref('excluded.contract_id'),
            email: eb.ref('excluded.email'),
            permissions: eb.ref('excluded.permissions'),
            status: eb.ref('excluded.status'),
            invited_at: eb.ref('excluded.invited_at'),
            expires_at: eb.ref('excluded.expires_at'),
          })),
        ),
    ),
    ...chunksOf(contacts.deletes).map((rows) =>
      trx.deleteFrom('contract_contacts').where(
        'contact_id',
        'in',
        rows.map((row) => row.contact_id),
      ),
    ),
    ...chunksOf(contacts.upserts).map((rows) =>
      trx
        .insertInto('contract_contacts')
        .values(rows.map((row) => ({ ...row, categories: json(row.categories) })))
        .onConflict((oc) =>
          oc.column('contact_id').doUpdateSet((eb) => ({
            contract_id: eb.ref('excluded.contract_id'),
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            categories: eb.ref('excluded.categories'),
          })),
        ),
    ),
    ...chunksOf(domains.deletes).map((rows) =>
      trx.deleteFrom('contract_hosted_domains').where(
        'service_id',
        'in',
        rows.map((row) => row.service_id),
      ),
    ),
    ...chunksOf(domains.upserts).map((rows) =>
      trx
        .insertInto('contract_hosted_domains')
        .values(rows)
        .onConflict((oc) =>
          oc.column('service_id').doUpdateSet((eb) => ({
            contract_id: eb.ref('excluded.contract_id'),
            domain: eb.ref('excluded.domain'),
          })),
        ),
    ),
  ];
};

/**
 * Applies a batch set-wise: its new events claimed at once, the rows of the contracts they name loaded in one
 * query per table and folded in memory in log order (the hosted-domains flag judged in memory where each event
 * asks for it), then written back in one statement: an upsert and a delete per table.
 */
const applyClaimed = async (trx: Trx, fresh: readonly RecordedEvent[]): Promise<void> => {
  const fold = await load(trx, fresh);
  for (const { type, data } of fresh) {
    if (SERVICE_EVENTS.includes(type)) fold.applyService({ type, data } as ServiceEvent);
    else fold.apply({ type, data } as ContractEvent);
  }
  await executeTogether(trx as unknown as Transaction<unknown>, writes(trx, fold));
};

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
  apply: applyNewEvents(NAME, applyClaimed),
};
