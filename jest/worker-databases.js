/**
 * With DATABASE_URL, each jest worker gets a database of its own on that server, named after the run's
 * (`<database>_<jest pid>_w<worker>`): test files that run at the same time in two workers then share no
 * database. In one database they got in each other's way: Kysely's migrator reads the columns of every schema of
 * the database (naming each table to `pg_get_serial_sequence`), so a schema another file dropped at that moment
 * failed the migration (`schema "test_…" does not exist`), and each file's open transactions held the others'
 * log readers back. The files of one worker run one after the other, each in schemas of its own, as before.
 */
/** Set by the global setup for the workers: the database the run was given, and the run's id. */
const RUN_URL = 'JEST_RUN_DATABASE_URL';
const RUN_ID = 'JEST_RUN_DATABASE_ID';

const databaseName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));
const workerDatabase = (url, runId, worker) => `${databaseName(url)}_${runId}_w${worker}`;
const withDatabase = (url, database) => {
  const changed = new URL(url);
  changed.pathname = `/${encodeURIComponent(database)}`;
  return changed.toString();
};
const quoted = (name) => `"${name.replace(/"/g, '""')}"`;

const withClient = async (url, use) => {
  // Required here, not at the top: each test file's setup loads this module and needs no driver.
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
};

/**
 * The global setup: one database per worker jest may start, created empty. A role that may not create databases
 * keeps every worker on DATABASE_URL's, as one worker ran before.
 */
const createWorkerDatabases = async (globalConfig) => {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const runId = String(process.pid);
  try {
    await withClient(url, async (client) => {
      for (let worker = 1; worker <= Math.max(1, globalConfig.maxWorkers); worker++) {
        const name = workerDatabase(url, runId, worker);
        await client.query(`drop database if exists ${quoted(name)}`);
        await client.query(`create database ${quoted(name)}`);
      }
    });
  } catch (error) {
    if (error?.code !== '42501') throw error;
    process.stderr.write(
      `jest: DATABASE_URL's role may not create databases; every worker uses ${databaseName(url)}\n`,
    );
    return;
  }
  // Read by each test file's setup (workers start after the global setup, with this environment).
  process.env[RUN_URL] = url;
  process.env[RUN_ID] = runId;
};

/** The global teardown: the workers' databases dropped, with any connection a test left open. */
const dropWorkerDatabases = async (globalConfig) => {
  const url = process.env[RUN_URL];
  const runId = process.env[RUN_ID];
  if (!url || !runId) return;
  await withClient(url, async (client) => {
    for (let worker = 1; worker <= Math.max(1, globalConfig.maxWorkers); worker++) {
      await client.query(
        `drop database if exists ${quoted(workerDatabase(url, runId, worker))} with (force)`,
      );
    }
  });
};

/** Each test file's setup: DATABASE_URL names its worker's database. */
const useWorkerDatabase = () => {
  const url = process.env[RUN_URL];
  const runId = process.env[RUN_ID];
  const worker = process.env.JEST_WORKER_ID;
  if (!url || !runId || !worker) return;
  process.env.DATABASE_URL = withDatabase(url, workerDatabase(url, runId, worker));
};

module.exports = { createWorkerDatabases, dropWorkerDatabases, useWorkerDatabase };
