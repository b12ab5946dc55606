import { sql, type RawBuilder } from 'kysely';

/**
 * The analysts' queries, each a set-based SQL statement built here and run by the caller: executed for a JSON
 * answer, or read through a database cursor for a CSV export (see the API's analytics CSV writer). Every figure
 * is computed in the database; nothing is summed row by row in the process.
 */

/** Where a Sao Paulo calendar day or month starts and ends: the provider's day-based rules count its days. */
export const SAO_PAULO = 'America/Sao_Paulo';

/**
 * The read model's tables as table references, not bare names in the SQL text: the API's catalog then qualifies
 * each with the schema of the version queries read (see ReadModelCatalog), as it does for the query builder's.
 */
const INTERVALS = sql.table('service_status_intervals');
const INVOICES = sql.table('analytics_invoices');

/** An instant as ISO-8601 UTC with milliseconds, as the API writes every instant. */
const isoInstant = (column: RawBuilder<unknown>): RawBuilder<string> =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type TimelineIntervalRow = Readonly<{
  from_revision: string;
  status: string;
  reason: string | null;
  kind: string;
  from_at: string;
  to_at: string | null;
}>;

/** A service's status intervals in order, `afterRevision` for the next page, `limit` rows at most. */
export const serviceTimelineQuery = (
  serviceId: string,
  page: Readonly<{ afterRevision?: number; limit?: number }> = {},
): RawBuilder<TimelineIntervalRow> => sql<TimelineIntervalRow>`
  select from_revision::text as from_revision, status, reason, kind,
    ${isoInstant(sql`from_at`)} as from_at, ${isoInstant(sql`to_at`)} as to_at
  from ${INTERVALS}
  where service_id = ${serviceId}
    ${page.afterRevision === undefined ? sql`` : sql`and from_revision > ${page.afterRevision}`}
  order by from_revision
  ${page.limit === undefined ? sql`` : sql`limit ${page.limit}`}`;

/** Whether the read model knows the service at all (a service with no interval was never ordered). */
export const serviceKnownQuery = (serviceId: string): RawBuilder<{ contract_id: string }> => sql`
  select contract_id from ${INTERVALS} where service_id = ${serviceId} limit 1`;

export type StatusDurationRow = Readonly<{
  kind: string;
  status: string;
  /** Seconds spent in the status inside the window, over every service of the kind (millisecond precision). */
  seconds: number;
  /** How many services spent some of the window in the status. */
  services: number;
}>;

/**
 * Total time per service kind and status inside `[from, end)`, where `end` is the window's end or now, whichever
 * comes first: an interval that started before the window counts from `from`, one still open counts up to
 * `end`, one that ended after the window counts up to `end`.
 */
export const statusDurationsQuery = (
  window: Readonly<{ from: Date; end: Date; kind?: string }>,
): RawBuilder<StatusDurationRow> => sql<StatusDurationRow>`
  select kind, status,
    sum(extract(epoch from
      least(coalesce(to_at, ${window.end}::timestamptz), ${window.end}::timestamptz)
      - greatest(from_at, ${window.from}::timestamptz)))::float8 as seconds,
    count(distinct service_id)::int as services
  from ${INTERVALS}
  where ${window.from}::timestamptz < ${window.end}::timestamptz
    and from_at < ${window.end}::timestamptz
    and (to_at is null or to_at > ${window.from}::timestamptz)
    ${window.kind === undefined ? sql`` : sql`and kind = ${window.kind}`}
  group by kind, status
  order by kind, status`;

export type SuspensionPeriodRow = Readonly<{
  period: string;
  kind: string;
  suspensions: number;
  non_payment_suspensions: number;
  reactivations: number;
  /** Mean seconds from the invoice's overdue mark to the suspension, over non-payment suspensions. */
  avg_overdue_to_suspension_seconds: number | null;
  /** Mean seconds from the suspension to the payment of its invoice, over those already paid. */
  avg_suspension_to_payment_seconds: number | null;
  paid_after_suspension: number;
}>;

/**
 * Suspensions (a service entering `suspended` from another status; a staff escalation of one already suspended
 * is not a new one) and reactivations (leaving `suspended` for `active`) per Sao Paulo day or month and kind,
 * inside `[from, to)`, with the time from the unpaid invoice's overdue mark to the suspension and from the
 * suspension to that invoice's payment.
 */
export const suspensionsQuery = (
  window: Readonly<{ from: Date; to: Date; groupBy: 'day' | 'month'; kind?: string }>,
): RawBuilder<SuspensionPeriodRow> => {
  const unit = window.groupBy === 'day' ? sql.lit('day') : sql.lit('month');
  const format = window.groupBy === 'day' ? sql.lit('YYYY-MM-DD') : sql.lit('YYYY-MM');
  return sql<SuspensionPeriodRow>`
  with moves as (
    select s.kind, s.from_at, s.reason, i.overdue_at, i.paid_at,
      (s.status = 'suspended') as is_suspension
    from ${INTERVALS} as s
    left join ${INVOICES} as i on i.invoice_id = s.invoice_id
    where s.from_at >= ${window.from}::timestamptz and s.from_at < ${window.to}::timestamptz
      and ((s.status = 'suspended' and s.previous_status is distinct from 'suspended')
        or (s.status = 'active' and s.previous_status = 'suspended'))
      ${window.kind === undefined ? sql`` : sql`and s.kind = ${window.kind}`}
  )
  select to_char(date_trunc(${unit}, from_at at time zone ${SAO_PAULO}), ${format}) as period, kind,
    (count(*) filter (where is_suspension))::int as suspensions,
    (count(*) filter (where is_suspension and reason = 'non_payment'))::int as non_payment_suspensions,
    (count(*) filter (where not is_suspension))::int as reactivations,
    (avg(extract(epoch from from_at - overdue_at))
      filter (where is_suspension and overdue_at is not null))::float8 as avg_overdue_to_suspension_seconds,
    (avg(extract(epoch from paid_at - from_at))
      filter (where is_suspension and paid_at >= from_at))::float8 as avg_suspension_to_payment_seconds,
    (count(*) filter (where is_suspension and paid_at >= from_at))::int as paid_after_suspension
  from moves
  group by 1, 2
  order by 1, 2`;
};

/** The invoice-aging buckets, by whole Sao Paulo days past the due date. */
export const AGING_BUCKETS = [
  { bucket: '0', minDays: null, maxDays: 0 },
  { bucket: '1-3', minDays: 1, maxDays: 3 },
  { bucket: '4-10', minDays: 4, maxDays: 10 },
  { bucket: '11-30', minDays: 11, maxDays: 30 },
  { bucket: '31+', minDays: 31, maxDays: null },
] as const;

export type AgingBucket = (typeof AGING_BUCKETS)[number]['bucket'];

export type InvoiceAgingRow = Readonly<{
  bucket: AgingBucket;
  invoices: number;
  amount_cents: number;
}>;

/**
 * Invoices open at `at` (issued by then, and not yet paid or cancelled then) by how many Sao Paulo days `at`'s
 * date is past their due date: `0` holds those not yet past due. Every bucket is answered, empty ones with zero.
 */
export const invoiceAgingQuery = (at: Date): RawBuilder<InvoiceAgingRow> => sql<InvoiceAgingRow>`
  with open_invoices as (
    select total_cents,
      (timezone(${SAO_PAULO}, ${at}::timestamptz)::date - due_date::date) as days
    from ${INVOICES}
    where issued_at <= ${at}::timestamptz
      and (paid_at is null or paid_at > ${at}::timestamptz)
      and (cancelled_at is null or cancelled_at > ${at}::timestamptz)
  ),
  bucketed as (
    select total_cents, case
      when days <= 0 then '0' when days <= 3 then '1-3' when days <= 10 then '4-10'
      when days <= 30 then '11-30' else '31+' end as bucket
    from open_invoices
  )
  select b.bucket, count(o.total_cents)::int as invoices, coalesce(sum(o.total_cents), 0)::bigint::float8 as amount_cents
  from (values ('0', 1), ('1-3', 2), ('4-10', 3), ('11-30', 4), ('31+', 5)) as b(bucket, ord)
  left join bucketed o on o.bucket = b.bucket
  group by b.bucket, b.ord
  order by b.ord`;
