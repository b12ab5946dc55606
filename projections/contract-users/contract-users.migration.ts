import { sql, type Kysely, type Migration } from 'kysely';

export const CONTRACT_USERS_MIGRATION_NAME = '2026-12-01T00-02-00_contract-users-read-model';

export const contractUsersMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table contracts (
        contract_id text primary key,
        holder_name text not null,
        owner_user_id text not null,
        opened_at timestamptz not null
      )`.execute(db);
    await sql`
      create table contract_users (
        contract_id text not null,
        user_id text not null,
        email text not null,
        permissions jsonb not null,
        is_owner boolean not null,
        primary key (contract_id, user_id)
      )`.execute(db);
    await sql`create index contract_users_by_user_idx on contract_users (user_id, contract_id)`.execute(db);
    await sql`
      create table contract_invitations (
        invitation_id text primary key,
        contract_id text not null,
        email text not null,
        permissions jsonb not null,
        status text not null,
        invited_at timestamptz not null,
        expires_at timestamptz not null
      )`.execute(db);
    await sql`create index contract_invitations_contract_idx on contract_invitations (contract_id, invitation_id)`.execute(
      db,
    );
    await sql`
      create table contract_contacts (
        contact_id text primary key,
        contract_id text not null,
        name text not null,
        email text not null,
        categories jsonb not null
      )`.execute(db);
    await sql`create index contract_contacts_contract_idx on contract_contacts (contract_id, contact_id)`.execute(
      db,
    );
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of ['contract_contacts', 'contract_invitations', 'contract_users', 'contracts']) {
      await sql`drop table if exists ${sql.id(table)}`.execute(db);
    }
  },
};

export const CONTRACT_HOSTED_DOMAINS_MIGRATION_NAME = '2026-12-01T00-09-00_contract-users-hosted-domains';

const CONTRACT_USERS_TABLES = ['contract_contacts', 'contract_invitations', 'contract_users', 'contracts'];

/**
 * Empties the contract users read model, its replay guard and its checkpoints, so that the projection's next
 * version fills every row again from the start of the log: a new version alone would find each event already
 * claimed and leave the rows as they were.
 */
const resetContractUsers = async (db: Kysely<unknown>) => {
  for (const table of CONTRACT_USERS_TABLES) await sql`delete from ${sql.id(table)}`.execute(db);
  await sql`delete from projection_stream_revisions where projection = 'contract-users'`.execute(db);
  await sql`delete from projection_checkpoints where name = 'contract-users'`.execute(db);
};

/** The flag "every notification address is on a domain this contract hosts", and the domains it is judged by. */
export const contractHostedDomainsMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      alter table contracts
        add column notification_addresses_on_hosted_domains boolean not null default false`.execute(db);
    await sql`
      create table contract_hosted_domains (
        service_id text primary key,
        contract_id text not null,
        domain text not null
      )`.execute(db);
    await sql`create index contract_hosted_domains_contract_idx on contract_hosted_domains (contract_id)`.execute(
      db,
    );
    await resetContractUsers(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists contract_hosted_domains`.execute(db);
    await sql`alter table contracts drop column if exists notification_addresses_on_hosted_domains`.execute(
      db,
    );
    await resetContractUsers(db);
  },
};
