import { CompiledQuery, sql, type Kysely } from 'kysely';
import { PostgresEventStore, READABLE_BOUND, encodePosition } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { compare, duration, median, type BenchOptions, type BenchResult } from './bench-harness';
import { benchMetadata } from './store-append';

const PAGE_SIZE = 100;
const EVENTS_PER_STREAM = 100;
/** Rows per generating transaction: the log then spans several transaction ids, as a real one does. */
const ROWS_PER_TRANSACTION = 50_000;

/** Fills es_events with `count` events in streams of a hundred, straight in SQL (the port is not measured here). */
const generateLog = async (db: Kysely<unknown>, count: number): Promise<void> => {
  const metadata = JSON.stringify(benchMetadata());
  for (let from = 0; from < count; from += ROWS_PER_TRANSACTION) {
    const to = Math.min(count, from + ROWS_PER_TRANSACTION) - 1;
    await sql`
      insert into es_events (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
      select 'readbench-' || (g / ${EVENTS_PER_STREAM}), 'readbench', g % ${EVENTS_PER_STREAM}, gen_random_uuid(),
        'BenchEventAppended', jsonb_build_object('n', g), ${metadata}::jsonb, now()
      from generate_series(${from}::bigint, ${to}::bigint) as g`.execute(db);
  }
  await sql`analyze es_events`.execute(db);
};

const RAW_PAGE = `select event_id::text, type, data, metadata, stream_name, revision,
    transaction_id::text as transaction_text, global_position::text as sequence_text
  from es_events
  where (transaction_id, global_position) > ($1::xid8, $2::bigint)
    and transaction_id < ${READABLE_BOUND}
  order by transaction_id, global_position
  limit ${PAGE_SIZE}`;

/**
 * read.all.page: ms to read a 100-event page from the middle of a 1,000,000-event log (200,000 with --quick)
 * through the port, against the same page read with one raw query. A page that stops using the log's index
 * shows here as a ratio far above 1.
 */
export const readAllBenchmarks = async (
  connection: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const db = connection.db as Kysely<unknown>;
  const store = await PostgresEventStore.create(db, { directQuery: connection.query });
  const logSize = options.quick ? 200_000 : 1_000_000;
  await generateLog(db, logSize);
  const { rows } = await db.executeQuery<{ transaction_text: string; sequence_text: string }>(
    CompiledQuery.raw(
      `select transaction_id::text as transaction_text, global_position::text as sequence_text
       from es_events order by transaction_id, global_position offset $1 limit 1`,
      [Math.floor(logSize / 2)],
    ),
  );
  const middle = rows[0]!;
  const after = encodePosition(BigInt(middle.transaction_text), BigInt(middle.sequence_text));
  const pagesPerRound = options.quick ? 100 : 300;

  const perPage = (readPage: () => Promise<unknown>) => async () => {
    const times: number[] = [];
    for (let n = 0; n < pagesPerRound; n++) times.push(await duration(readPage));
    return median(times);
  };
  const result = await compare(
    options.quick ? 3 : 5,
    perPage(async () => {
      const page = await store.readAll({ after, maxCount: PAGE_SIZE });
      if (page.length !== PAGE_SIZE) throw new Error(`read.all.page read ${page.length} events`);
    }),
    perPage(() =>
      connection.query(RAW_PAGE, [middle.transaction_text, middle.sequence_text], 'bench_raw_page'),
    ),
  );
  await store.close();
  return [
    {
      name: 'read.all.page',
      unit: 'ms',
      ...result,
      note: `${PAGE_SIZE}-event page from the middle of a ${logSize.toLocaleString('en')}-event log; baseline raw pg; lower is better`,
    },
  ];
};
