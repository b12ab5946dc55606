import type { Insertable, Selectable } from 'kysely';

/** One row per contract: who holds it. */
export interface ContractsTable {
  contract_id: string;
  holder_name: string;
  owner_user_id: string;
  opened_at: Date | string;
  /**
   * Every notification address (the owner's and each contact's) is on a domain the contract itself hosts: if that
   * hosting is suspended, the reminders about it stop arriving.
   */
  notification_addresses_on_hosted_domains: boolean;
}

/** Every user of a contract, the owner included (`is_owner`), with their permissions on it. */
export interface ContractUsersTable {
  contract_id: string;
  user_id: string;
  email: string;
  permissions: readonly string[];
  is_owner: boolean;
}

/** Every invitation ever sent, whatever became of it. */
export interface ContractInvitationsTable {
  invitation_id: string;
  contract_id: string;
  email: string;
  permissions: readonly string[];
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  invited_at: Date | string;
  expires_at: Date | string;
}

/** Notification-only addresses. */
export interface ContractContactsTable {
  contact_id: string;
  contract_id: string;
  name: string;
  email: string;
  categories: readonly string[];
}

/** The domains the contract hosts: its live services of kind `domain`, named by their plan. */
export interface ContractHostedDomainsTable {
  service_id: string;
  contract_id: string;
  /** Trimmed and lower-cased. */
  domain: string;
}

export type ContractRow = Selectable<ContractsTable>;
export type ContractUserRow = Selectable<ContractUsersTable>;
export type NewContractUserRow = Insertable<ContractUsersTable>;
export type ContractInvitationRow = Selectable<ContractInvitationsTable>;
export type ContractContactRow = Selectable<ContractContactsTable>;

export interface ContractUsersDatabase {
  contracts: ContractsTable;
  contract_users: ContractUsersTable;
  contract_invitations: ContractInvitationsTable;
  contract_contacts: ContractContactsTable;
  contract_hosted_domains: ContractHostedDomainsTable;
}
