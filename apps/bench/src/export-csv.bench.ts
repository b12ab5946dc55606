import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { AppConfig } from '@app/config';
import { contractStream } from '@app/domain';
import { PostgresEventStore, type Position } from '@app/event-store';
import { registerVersion } from '@app/projection-runner';
import { auditLogProjection } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import type { BenchOptions, BenchResult } from './bench-harness';
import { startApi } from './http-api';

const MB = 1024 * 1024;
/** The audit history rows go in this many per statement, so even PGlite builds a million of them quickly. */
const ROWS_PER_INSERT = 100_000;
/** Synthetic positions lie past any real one of the run (the transaction id part starts at 2^40). */
const SYNTHETIC_MAJOR = 2n ** 40n;

/** A field of /proc/<pid>/status, in bytes (Linux): `VmRSS` now, `VmHWM` the peak so far. */
const memoryOf = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kilobytes === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kilobytes) * 1024;
};

/**
 * A contract in the log and `rows` rows of its audit history (the read model the export reads), in bulk, in the
 * tables of the audit log's version the worker then builds and the API serves.
 */
const prepareHistory = async (
  database: DatabaseConnection,
  contractId: string,
  rows: number,
): Promise<Position> => {
  const version = await registerVersion(database.db, auditLogProjection);
  const store = PostgresEventStore.open(database.db, { directQuery: database.query });
  const { position } = await store.append(
    contractStream(contractId),
    [
      {
        id: randomUUID(),
        type: 'ContractOpened',
        data: {
          contractId,
          owner: { userId: 'bench-export-owner', email: 'dona@exemplo.com.br', name: null },
          holderName: 'Exportadora, "Aspas" e Vírgulas Ltda',
          document: { kind: 'cpf', value: '52998224725' },
          phones: ['+5511987654321'],
          paymentMethod: { method: 'boleto' },
          openedAt: '2020-01-01T00:00:00.000Z',
        },
        metadata: {
          actor: { kind: 'system', rule: 'bench' },
          occurredAt: '2020-01-01T00:00:00.000Z',
          correlationId: randomUUID(),
          causationId: randomUUID(),
          schemaVersion: 1,
        },
      },
    ],
    'no_stream',
  );
  for (let from = 1; from <= rows; from += ROWS_PER_INSERT) {
    const to = Math.min(rows, from + ROWS_PER_INSERT - 1);
    // Ticket-like rows whose subject holds a comma, quotes and a newline: the quoting is part of the cost.
    await sql`
      insert into ${sql.id(version.schema_name, 'audit_events')} (position, event_id, stream_name, category, revision, contract_id, type,
        occurred_at, actor_id, actor_email, correlation_id, causation_id, data, metadata, changes)
      select
        lpad(to_hex(${SYNTHETIC_MAJOR.toString()}::bigint + n), 16, '0') || '-' || lpad(to_hex(n), 16, '0'),
        md5(n::text), 'ticket-' || (n / 10), 'ticket', n % 10, ${contractId}, 'TicketReplied',
        timestamptz '2020-01-01' + n * interval '1 second', 'bench-export-owner', 'dona@exemplo.com.br',
        md5('c' || n), md5('k' || n),
        jsonb_build_object('ticketId', 'ticket-' || (n / 10), 'message', 'Olá, "suporte",' || chr(10) || 'nº ' || n),
        jsonb_build_object('actor', jsonb_build_object('kind', 'user', 'userId', 'bench-export-owner'),
          'occurredAt', '2020-01-01T00:00:00.000Z', 'schemaVersion', 1),
        jsonb_build_array(jsonb_build_object('path', 'status', 'before', 'open', 'after', 'answered'))
      from generate_series(${from}::bigint, ${to}::bigint) as n`.execute(database.db);
  }
  return position;
};

/**
 * `export.csv.rss`: peak RSS of the API process (VmHWM) while a client downloads a contract's whole audit
 * history (1,000,000 rows; 250,000 quick) as CSV, against its RSS just before: the export streams from a database
 * cursor with backpressure, so the peak must not grow with the rows. Linux only (/proc).
 */
export const exportCsvBenchmarks = async (
  config: AppConfig,
  database: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const rows = options.quick ? 250_000 : 1_000_000;
  const contractId = randomUUID();
  let opened: Position | undefined;
  const prepareStarted = performance.now();
  const api = await startApi(
    config,
    database,
    { userId: 'bench-auditor', email: 'auditoria@exemplo.com.br', roles: ['auditor'] },
    {
      prepare: async (prepared) => {
        opened = await prepareHistory(prepared, contractId, rows);
      },
    },
  );
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;
  try {
    const before = memoryOf(api.pid, 'VmRSS');
    const started = performance.now();
    const response = await fetch(`${api.url}/audit/contracts/${contractId}/events`, {
      // Once the worker has built the version the rows are in, and the API reads it.
      headers: { ...api.headers, accept: 'text/csv', 'x-min-position': opened! },
    });
    if (response.status !== 200 || response.body === null) {
      throw new Error(`the CSV export answered ${response.status}: ${await response.text()}`);
    }
    let bytes = 0;
    let records = 0;
    let quoted = false;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      // Counts records, not lines: a newline inside a quoted field is part of the field.
      for (const byte of chunk) {
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) records++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const peak = memoryOf(api.pid, 'VmHWM');
    // The header, the synthetic rows and the contract's own opening event.
    if (records < rows + 1) throw new Error(`the CSV export held ${records} records, ${rows + 1} expected`);
    return [
      {
        name: 'export.csv.rss',
        unit: 'MB',
        value: Math.round(peak / MB),
        baseline: Math.round(before / MB),
        ratio: peak / before,
        note:
          `GET /audit/contracts/:id/events as text/csv: ${records - 1} rows, ${Math.round(bytes / MB)} MB in ` +
          `${seconds.toFixed(1)} s (${Math.round((records - 1) / seconds)} rows/s), API in a child process ` +
          `(history written in ${prepareSeconds.toFixed(0)} s); value: its peak RSS (VmHWM, since its start), ` +
          `baseline: its RSS before the export; target value <= 150 MB`,
      },
    ];
  } finally {
    await api.stop();
  }
};
