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
