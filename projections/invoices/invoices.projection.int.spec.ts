import type { Kysely } from 'kysely';
import { parseCents, type InvoiceLine } from '@app/domain';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { inLog } from '../shared/in-log.fixtures.spec';
import { invoicesProjection } from './invoices.projection';
import { invoicesOfContract, notaFiscalOf, notasFiscaisOfContract } from './invoices.queries';
import type { InvoiceRow, InvoicesDatabase } from './invoices.table';

const line: InvoiceLine = {
  serviceId: 's-1',
  description: 'Plano M (mensal)',
  periodStart: '2026-02-28',
  periodEnd: '2026-03-30',
  amountCents: parseCents(2990, 'amountCents'),
};
const issued = (invoiceId: string, contractId = 'c-1', dueDate = '2026-02-28') =>
  recordedEvent(`invoice-${invoiceId}`, 0, 'InvoiceIssued', {
    invoiceId,
    contractId,
    lines: [line],
    totalCents: 2990,
    dueDate,
    issuedAt: '2026-02-18T12:00:00.000Z',
  });
const issuedOne = issued('inv-1');
const STREAM = 'invoice-inv-1';
// 23:30 on Feb 28th in Sao Paulo is already March 1st in UTC: the payment belongs to the last day of February.
const paid = recordedEvent(STREAM, 1, 'InvoicePaid', {
  invoiceId: 'inv-1',
  transactionId: 'tx-1',
  amountCents: 2990,
  method: 'boleto',
  paidAt: '2026-03-01T02:30:00.000Z',
  wasOverdue: false,
});
const notaIssued = recordedEvent(STREAM, 2, 'NotaFiscalIssued', {
  invoiceId: 'inv-1',
  number: 41,
  issuedAt: '2026-03-01T03:00:00.000Z',
});
const refunded = recordedEvent(STREAM, 3, 'InvoiceRefunded', {
  invoiceId: 'inv-1',
  amountCents: 2990,
  reason: 'cobrança em duplicidade',
  refundedAt: '2026-03-02T10:00:00.000Z',
});
const notaCancelled = recordedEvent(STREAM, 4, 'NotaFiscalCancelled', {
  invoiceId: 'inv-1',
  number: 41,
  reason: 'cobrança em duplicidade',
  cancelledAt: '2026-03-02T10:00:00.000Z',
});
const overdue = recordedEvent(STREAM, 1, 'InvoiceMarkedOverdue', {
  invoiceId: 'inv-1',
  dueDate: '2026-02-28',
  markedAt: '2026-03-01T03:00:00.000Z',
});
const cancelled = recordedEvent(STREAM, 2, 'InvoiceCancelled', {
  invoiceId: 'inv-1',
  reason: 'serviço cancelado',
  cancelledAt: '2026-03-05T10:00:00.000Z',
});

const shown = (row: InvoiceRow) => ({
  id: row.invoice_id,
  status: row.status,
  totalCents: row.total_cents,
  dueDate: row.due_date,
  paidOn: row.paid_on,
  notaFiscal: notaFiscalOf(row),
});

describe('the invoices read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<InvoicesDatabase>;
  const spec = projectionSpecification(invoicesProjection, db);
  const invoices = (database: Kysely<InvoicesDatabase>) =>
    invoicesOfContract(database, 'c-1', { limit: 50 }).then((rows) => rows.map(shown));
  const notas = (database: Kysely<InvoicesDatabase>) =>
    Promise.all([
      notasFiscaisOfContract(database, 'c-1', 'pending', { limit: 50 }),
      notasFiscaisOfContract(database, 'c-1', 'issued', { limit: 50 }),
    ]).then(([pending, issuedNotas]) => ({
      pending: pending.map((row) => row.invoice_id),
      issued: issuedNotas.map((row) => row.invoice_id),
    }));

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('shows an issued invoice as open, with its month-end due date and lines as issued, and no nota', () =>
    spec
      .given([])
      .when([issuedOne])
      .then(
        async (database) => ({
          invoices: await invoices(database),
          lines: (await invoicesOfContract(database, 'c-1', { limit: 1 }))[0]?.lines,
        }),
        {
          invoices: [
            {
              id: 'inv-1',
              status: 'open',
              totalCents: 2990,
              dueDate: '2026-02-28',
              paidOn: null,
              notaFiscal: null,
            },
          ],
          lines: [line],
        },
      ));

  it('dates a payment on its Sao Paulo day and lists the invoice as waiting for its nota', () =>
    spec
      .given([issuedOne])
      .when([paid])
      .then(async (database) => ({ invoices: await invoices(database), notas: await notas(database) }), {
        invoices: [
          {
            id: 'inv-1',
            status: 'paid',
            totalCents: 2990,
            dueDate: '2026-02-28',
            paidOn: '2026-02-28',
            notaFiscal: null,
          },
        ],
        notas: { pending: ['inv-1'], issued: [] },
      }));

  it('moves the invoice to the issued notas once its nota is issued', () =>
    spec
      .given([issuedOne, paid])
      .when([notaIssued])
      .then(async (database) => ({ invoices: await invoices(database), notas: await notas(database) }), {
        invoices: [
          {
            id: 'inv-1',
            status: 'paid',
            totalCents: 2990,
            dueDate: '2026-02-28',
            paidOn: '2026-02-28',
            notaFiscal: { number: 41, status: 'issued' },
          },
        ],
        notas: { pending: [], issued: ['inv-1'] },
      }));

  it('shows a refund with its cancelled nota, which is neither pending nor issued any more', () =>
    spec
      .given([issuedOne, paid, notaIssued])
      .when([refunded, notaCancelled])
      .then(
        async (database) => ({
          nota: (await invoices(database)).map((row) => [row.status, row.notaFiscal]),
          notas: await notas(database),
        }),
        { nota: [['refunded', { number: 41, status: 'cancelled' }]], notas: { pending: [], issued: [] } },
      ));

  it('follows an unpaid invoice to overdue and then cancelled', () =>
    spec
      .given([issuedOne])
      .when([overdue, cancelled])
      .then(
        async (database) => ({
          statuses: (await invoices(database)).map((row) => row.status),
          notas: await notas(database),
        }),
        { statuses: ['cancelled'], notas: { pending: [], issued: [] } },
      ));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([issuedOne, paid])
      .when([issuedOne, paid, notaIssued, refunded], { times: 2 })
      .then(invoices, [
        {
          id: 'inv-1',
          status: 'refunded',
          totalCents: 2990,
          dueDate: '2026-02-28',
          paidOn: '2026-02-28',
          notaFiscal: { number: 41, status: 'issued' },
        },
      ]));

  it("pages through a contract's many invoices newest first, without another contract's", () => {
    const history = inLog(
      Array.from({ length: 130 }, (_, index) =>
        issued(`inv-${String(index).padStart(3, '0')}`, index % 10 === 9 ? 'c-2' : 'c-1'),
      ),
    );
    const ofContractOne = history
      .map((event) => event.data as { invoiceId: string; contractId: string })
      .filter((data) => data.contractId === 'c-1')
      .map((data) => data.invoiceId)
      .reverse();
    return spec
      .given(history)
      .when([])
      .then(
        async (database) => {
          const pages: string[][] = [];
          let after: string | undefined;
          for (;;) {
            const rows = await invoicesOfContract(database, 'c-1', { limit: 50, after });
            if (rows.length === 0) return pages;
            pages.push(rows.map((row) => row.invoice_id));
            after = rows.at(-1)?.issued_position;
          }
        },
        [ofContractOne.slice(0, 50), ofContractOne.slice(50, 100), ofContractOne.slice(100)],
      );
  });
});
