import type { Kysely } from 'kysely';
import { addDays, localDate, type BillingCycle, type ServiceKind } from '@app/domain';
import type { BillingAgendaDatabase } from '@app/projections';
import { openTestDatabase } from '@app/testing';
import { BillingBook } from './testing/billing-book';

/**
 * A year in the life of a small book, every service ordered on 2024-01-31 (anchor day 31, a leap year), driven
 * through 366 daily billing clock runs at 00:30 in Sao Paulo (each run twice: the second must change nothing),
 * with the customers' payments, staff actions and cancellations at 11:00. Checked against the expectation below,
 * written by hand from domain.md.
 */
const FIRST_DAY = '2024-01-31';
const LAST_DAY = '2025-01-30';
const runAt = (day: string) => `${day}T03:30:00.000Z`; // 00:30 in Sao Paulo
const againAt = (day: string) => `${day}T03:45:00.000Z`;
const officeHours = (day: string) => `${day}T14:00:00.000Z`; // 11:00 in Sao Paulo

type Book = Readonly<
  Record<
    string,
    Readonly<{ kind: ServiceKind; cycle: BillingCycle; parent?: string; pays: 'on-time' | 'first-only' }>
  >
>;

const BOOK: Book = {
  A: { kind: 'shared_hosting', cycle: 'monthly', pays: 'on-time' },
  B: { kind: 'cloud_server', cycle: 'monthly', pays: 'first-only' },
  C: { kind: 'shared_hosting', cycle: 'quarterly', pays: 'on-time' },
  D: { kind: 'domain', cycle: 'annual', pays: 'on-time' },
  E: { kind: 'addon', cycle: 'monthly', parent: 'G', pays: 'on-time' },
  F: { kind: 'addon', cycle: 'monthly', parent: 'H', pays: 'on-time' },
  G: { kind: 'shared_hosting', cycle: 'monthly', pays: 'on-time' },
  H: { kind: 'reseller_hosting', cycle: 'semiannual', pays: 'on-time' },
  I: { kind: 'shared_hosting', cycle: 'monthly', pays: 'on-time' },
  J: { kind: 'shared_hosting', cycle: 'monthly', pays: 'on-time' },
  K: { kind: 'shared_hosting', cycle: 'monthly', pays: 'first-only' },
  L: { kind: 'dedicated_server', cycle: 'quarterly', pays: 'on-time' },
};

/** Late payers: the invoice, and the day it is paid instead of its due date. */
const LATE: Readonly<Record<string, string>> = {
  'inv-C-2024-04-30': '2024-05-15', // past the 10-day grace: suspended on May 10th, reactivated on payment
  'inv-L-2024-04-30': '2024-05-02', // within the 3-day grace of a dedicated server: overdue, never suspended
};

/** The Sao Paulo day of each transition of each service. */
const TRANSITIONS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  A: [['active', FIRST_DAY]],
  B: [
    ['active', FIRST_DAY],
    ['suspended', '2024-03-03'], // Feb 29 + 3 days (cloud)
    ['terminated', '2024-03-10'], // 7 days of retention
  ],
  C: [
    ['active', FIRST_DAY],
    ['suspended', '2024-05-10'],
    ['reactivated', '2024-05-15'],
  ],
  D: [['active', FIRST_DAY]],
  E: [
    ['active', FIRST_DAY],
    ['cancelled', '2024-06-25'], // with its parent
  ],
  F: [
    ['active', FIRST_DAY],
    ['suspended', '2024-03-15'], // with its parent, by staff
  ],
  G: [
    ['active', FIRST_DAY],
    ['cancelled', '2024-06-25'], // immediately, on request
  ],
  H: [
    ['active', FIRST_DAY],
    ['suspended', '2024-03-15'], // by staff: never terminated, never billed again
  ],
  I: [
    ['active', FIRST_DAY],
    ['cancelled', '2024-04-30'], // requested on Apr 5th for the end of the paid period
  ],
  J: [['active', FIRST_DAY]],
  K: [
    ['active', FIRST_DAY],
    ['suspended', '2024-03-10'], // Feb 29 + 10 days
    ['terminated', '2024-06-10'], // 3 months of retention
  ],
  L: [['active', FIRST_DAY]],
};

const MONTHLY_DUE = [
  '2024-01-31',
  '2024-02-29',
  '2024-03-31',
  '2024-04-30',
  '2024-05-31',
  '2024-06-30',
  '2024-07-31',
  '2024-08-31',
  '2024-09-30',
  '2024-10-31',
  '2024-11-30',
  '2024-12-31',
  '2025-01-31',
];
const issuedOn = (due: string) => (due === FIRST_DAY ? FIRST_DAY : addDays(due, -10));
const paid = (service: string, dues: readonly string[]) =>
  dues.map((due) => [`inv-${service}-${due}`, issuedOn(due), 'paid'] as const);
const open = (service: string, due: string) => [`inv-${service}-${due}`, issuedOn(due), 'open'] as const;

/** Every invoice of the year: its id (service and due date), the Sao Paulo day it was issued, its status. */
const INVOICES: readonly (readonly [string, string, string])[] = [
  ...paid('A', MONTHLY_DUE.slice(0, 12)).map(([id, day, status]) =>
    id === 'inv-A-2024-03-31' ? ([id, day, 'refunded'] as const) : ([id, day, status] as const),
  ),
  open('A', '2025-01-31'),
  ...paid('B', ['2024-01-31']),
  ['inv-B-2024-02-29', '2024-02-19', 'overdue'],
  ...paid('C', ['2024-01-31', '2024-04-30', '2024-07-31', '2024-10-31']),
  open('C', '2025-01-31'),
  ...paid('D', ['2024-01-31']),
  open('D', '2025-01-31'),
  ...paid('E', MONTHLY_DUE.slice(0, 5)),
  ['inv-E-2024-06-30', '2024-06-20', 'cancelled'],
  ...paid('F', MONTHLY_DUE.slice(0, 2)),
  ...paid('G', MONTHLY_DUE.slice(0, 5)),
  ['inv-G-2024-06-30', '2024-06-20', 'cancelled'],
  ...paid('H', ['2024-01-31']),
  ...paid('I', MONTHLY_DUE.slice(0, 3)),
  ...paid('J', MONTHLY_DUE.slice(0, 12)),
  open('J', '2025-01-31'),
  ...paid('K', ['2024-01-31']),
  ['inv-K-2024-02-29', '2024-02-19', 'overdue'],
  ['inv-K-2024-03-31', '2024-03-21', 'overdue'], // still billed during retention
  ['inv-K-2024-04-30', '2024-04-20', 'overdue'],
  ['inv-K-2024-05-31', '2024-05-21', 'overdue'],
  ...paid('L', ['2024-01-31', '2024-04-30', '2024-07-31', '2024-10-31']),
  open('L', '2025-01-31'),
];

const STATUS_OF_EVENT: Readonly<Record<string, string>> = {
  ServiceActivated: 'active',
  ServiceSuspended: 'suspended',
  ServiceReactivated: 'reactivated',
  ServiceCancelled: 'cancelled',
  ServiceTerminated: 'terminated',
};

describe('a year in the life of a book of services', () => {
  let book: BillingBook;

  beforeAll(async () => {
    book = await BillingBook.open(await openTestDatabase());
  });
  afterAll(async () => {
    await book.close();
    await book.connection.close();
  });

  const unpaidInvoices = async () =>
    (book.connection.db as Kysely<BillingAgendaDatabase>)
      .selectFrom('billing_agenda_invoices')
      .select(['invoice_id', 'due_date'])
      .where('status', 'in', ['open', 'overdue'])
      .orderBy('invoice_id')
      .execute();

  const dayEvents = async (day: string): Promise<void> => {
    const at = officeHours(day);
    if (day === FIRST_DAY) {
      for (const [id, service] of Object.entries(BOOK)) {
        const parent = service.parent;
        await book.order(id, `${day}T13:00:00.000Z`, {
          kind: service.kind,
          cycle: service.cycle,
          priceCents: 1990,
          ...(parent ? { parent: { id: parent, kind: BOOK[parent]!.kind } } : {}),
        });
      }
    }
    for (const { invoice_id: invoiceId, due_date: due } of await unpaidInvoices()) {
      const service = invoiceId.split('-')[1]!;
      const payDay =
        LATE[invoiceId] ?? (BOOK[service]!.pays === 'first-only' && due !== FIRST_DAY ? null : due);
      if (payDay !== day) continue;
      expect(await book.pay(invoiceId, at)).toBe(true);
      if (invoiceId === 'inv-J-2024-01-31') {
        expect(await book.pay(invoiceId, at)).toBe(true); // the gateway reports the same payment again: a repeat…
        expect(await book.pay(invoiceId, at, 'tx-second-capture')).toBe(false); // …and a second capture
      }
    }
    if (day === '2024-03-15') await book.suspendByStaff('H', at);
    if (day === '2024-04-05') await book.cancel('I', at, 'end_of_period');
    if (day === '2024-04-10') await book.refund('inv-A-2024-03-31', at);
    if (day === '2024-06-25') await book.cancel('G', at, 'immediate');
  };

  it(
    'goes through twelve months as domain.md says, and running any day twice changes nothing',
    async () => {
      for (let day = FIRST_DAY; day <= LAST_DAY; day = addDays(day, 1)) {
        await book.run(runAt(day));
        const length = await book.logLength();
        const again = await book.run(againAt(day));
        expect({ day, counts: Object.values(again.counts).filter((count) => count > 0) }).toEqual({
          day,
          counts: [],
        });
        expect(await book.logLength()).toBe(length);
        await dayEvents(day);
      }

      const transitions: Record<string, (readonly [string, string])[]> = {};
      for (const id of Object.keys(BOOK)) {
        transitions[id] = (await book.store.readStream(`service-${id}`))
          .filter((event) => STATUS_OF_EVENT[event.type] !== undefined)
          .map((event) => [STATUS_OF_EVENT[event.type]!, localDate(event.metadata.occurredAt)] as const);
      }
      expect(transitions).toEqual(TRANSITIONS);

      const invoiceIds = (
        await (book.connection.db as Kysely<BillingAgendaDatabase>)
          .selectFrom('billing_agenda_invoices')
          .select('invoice_id')
          .orderBy('invoice_id')
          .execute()
      ).map((row) => row.invoice_id);
      const invoices: (readonly [string, string, string])[] = [];
      const notas: number[] = [];
      for (const id of invoiceIds) {
        const state = await book.invoice(id);
        if (state.status === 'none') throw new Error(`no invoice ${id}`);
        const { dueDate, lines } = state;
        expect({ id, dueDate, periodStart: lines[0]?.periodStart }).toEqual({
          id,
          dueDate: id.slice(-10),
          periodStart: id.slice(-10),
        });
        invoices.push([id, localDate(state.issuedAt), state.status]);
        if (state.status === 'paid' || state.status === 'refunded') {
          expect(state.notaFiscal).not.toBeNull();
          notas.push(state.notaFiscal!.number);
          expect(state.notaFiscal!.status).toBe(state.status === 'refunded' ? 'cancelled' : 'issued');
        }
      }
      const byId = (a: readonly string[], b: readonly string[]) => (a[0]! < b[0]! ? -1 : 1);
      expect(invoices.sort(byId)).toEqual([...INVOICES].sort(byId));
      // Notas fiscais: one per paid invoice, numbered from 1 without a gap, none reused.
      expect([...notas].sort((a, b) => a - b)).toEqual(notas.map((_, index) => index + 1));
      // Paid twice by the gateway, J moved its due date once per paid invoice: it is due on Jan 31st again.
      expect(await book.serviceState('J')).toMatchObject({ status: 'active', nextDueDate: '2025-01-31' });
      expect(await book.serviceState('A')).toMatchObject({ nextDueDate: '2025-01-31' });
      expect(await book.serviceState('C')).toMatchObject({ nextDueDate: '2025-01-31' });
    },
    60 * 60 * 1000,
  );
});
