import type { Kysely } from 'kysely';
import { contractDecider, contractStream, ticketDecider, ticketStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { CheckpointDatabase } from '@app/projection-runner';
import {
  billingAgendaInvoiceServicesMigration,
  servicesDueBy,
  unpaidInvoicesOfActiveServicesDueBefore,
  type BillingAgendaDatabase,
} from '@app/projections';
import { openTestDatabase } from '@app/testing';
import { BillingClock } from './billing-clock';
import { BillingBook, CUSTOMER, noon, STAFF } from './testing/billing-book';

const inv = (service: string, day: string) => `inv-${service}-${day}`;

/** Every id an agenda query gives, all its pages. */
const all = async (pages: AsyncIterable<readonly string[]>): Promise<string[]> => {
  const ids: string[] = [];
  for await (const page of pages) ids.push(...page);
  return ids;
};

describe('billing automation: reactors and the billing clock on a real database', () => {
  let book: BillingBook;

  beforeEach(async () => {
    book = await BillingBook.open(await openTestDatabase());
  });
  afterEach(async () => {
    await book.close();
    await book.connection.close();
  });

  /**
   * A shared service and its add-on ordered on January 31st 2024 and paid; the add-on's February invoice is paid,
   * the parent's is not, so the March 10th run suspends the parent for non-payment and the add-on with it.
   */
  const parentSuspendedForNonPaymentWithItsAddon = async (parent: string, addon: string) => {
    await book.order(parent, noon('2024-01-31'));
    await book.order(addon, noon('2024-01-31'), {
      kind: 'addon',
      parent: { id: parent, kind: 'shared_hosting' },
    });
    for (const id of [parent, addon]) await book.pay(inv(id, '2024-01-31'), noon('2024-01-31'));
    await book.run(noon('2024-02-19'));
    await book.pay(inv(addon, '2024-02-29'), noon('2024-02-20'));
    await book.run(noon('2024-03-10'));
  };

  it('issues the first invoice at once, due the day of the order, and activates the service once it is paid', async () => {
    await book.order('s1', noon('2024-01-31'), { cycle: 'quarterly', priceCents: 2990 });
    const first = await book.invoice(inv('s1', '2024-01-31'));
    expect(first).toMatchObject({
      status: 'open',
      dueDate: '2024-01-31',
      totalCents: 3 * 2990,
      lines: [{ serviceId: 's1', periodStart: '2024-01-31', periodEnd: '2024-04-29', amountCents: 3 * 2990 }],
    });
    expect(await book.serviceState('s1')).toMatchObject({ status: 'pending' });
    await book.pay(inv('s1', '2024-01-31'), noon('2024-01-31'));
    expect(await book.serviceState('s1')).toMatchObject({ status: 'active', nextDueDate: '2024-04-30' });
    // Paid twice by the gateway, under another transaction: refused, and the due date does not move again.
    expect(await book.pay(inv('s1', '2024-01-31'), noon('2024-02-01'), 'tx-again')).toBe(false);
    expect(await book.serviceState('s1')).toMatchObject({ nextDueDate: '2024-04-30' });
  });

  it('issues the next invoice 10 days before the due date, once, however often it runs', async () => {
    await book.order('s1', noon('2024-01-31'));
    await book.pay(inv('s1', '2024-01-31'), noon('2024-01-31'));
    expect((await book.run(noon('2024-02-18'))).counts['issue-invoices']).toBe(0);
    const report = await book.run(noon('2024-02-19'));
    expect(report).toMatchObject({ day: '2024-02-19', counts: { 'issue-invoices': 1 } });
    expect(await book.invoice(inv('s1', '2024-02-29'))).toMatchObject({
      status: 'open',
      dueDate: '2024-02-29',
      issuedAt: '2024-02-19T15:00:00.000Z',
      lines: [{ periodStart: '2024-02-29', periodEnd: '2024-03-30' }],
    });
    const events = await book.logLength();
    const again = await book.run(noon('2024-02-19'));
    expect(Object.values(again.counts).every((count) => count === 0)).toBe(true);
    await book.run('2024-02-20T02:59:00.000Z'); // still the 19th in Sao Paulo
    expect(await book.logLength()).toBe(events);
  });

  it('marks overdue the day after, suspends a shared service on the 10th day, reactivates it once paid', async () => {
    await book.order('s1', noon('2024-01-31'));
    await book.pay(inv('s1', '2024-01-31'), noon('2024-01-31'));
    await book.run(noon('2024-02-19'));
    expect((await book.run('2024-03-01T02:59:00.000Z')).counts['mark-overdue']).toBe(0); // Feb 29, 23:59 SP
    expect((await book.run('2024-03-01T03:00:00.000Z')).counts['mark-overdue']).toBe(1); // Mar 1, 00:00 SP
    await book.run(noon('2024-03-09'));
    expect(await book.serviceState('s1')).toMatchObject({ status: 'active' });
    expect((await book.run(noon('2024-03-10'))).counts['suspend-unpaid']).toBe(1);
    expect(await book.serviceState('s1')).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'non_payment', suspendedOn: '2024-03-10' },
    });
    // Still billed during retention: the March period's invoice is issued on schedule.
    await book.run(noon('2024-03-21'));
    expect(await book.invoice(inv('s1', '2024-03-31'))).toMatchObject({ status: 'open' });
    await book.pay(inv('s1', '2024-02-29'), noon('2024-03-22'));
    expect(await book.serviceState('s1')).toMatchObject({ status: 'active', nextDueDate: '2024-03-31' });
  });

  it('terminates a cloud server 7 days after its suspension on the 3rd day; staff suspensions wait for staff', async () => {
    await book.order('c1', noon('2024-02-28'), { kind: 'cloud_server' });
    await book.order('h1', noon('2024-02-28'));
    await book.order('a1', noon('2024-02-28'), {
      kind: 'addon',
      parent: { id: 'h1', kind: 'shared_hosting' },
    });
    for (const id of ['c1', 'h1', 'a1']) await book.pay(inv(id, '2024-02-28'), noon('2024-02-28'));
    await book.suspendByStaff('h1', noon('2024-03-01'));
    expect(await book.serviceState('a1')).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'parent_suspended' },
    });
    await book.run(noon('2024-03-18'));
    expect((await book.run(noon('2024-03-31'))).counts['suspend-unpaid']).toBe(1); // c1: Mar 28 + 3
    expect(await book.serviceState('c1')).toMatchObject({ status: 'suspended' });
    await book.run(noon('2024-04-06'));
    expect(await book.serviceState('c1')).toMatchObject({ status: 'suspended' });
    expect((await book.run(noon('2024-04-07'))).counts['terminate-after-retention']).toBe(1);
    expect(await book.serviceState('c1')).toMatchObject({ status: 'terminated' });
    // Administrative suspension: not billed, never terminated, not lifted by a payment.
    await book.run(noon('2024-09-01'));
    expect(await book.serviceState('h1')).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'abuse' },
    });
    expect(await book.invoice(inv('h1', '2024-03-28'))).toMatchObject({ status: 'none' });
  });

  it('a payment lifts a non-payment suspension only once nothing overdue remains, never a staff one; add-ons follow', async () => {
    await parentSuspendedForNonPaymentWithItsAddon('h1', 'a1');
    expect(await book.serviceState('h1')).toMatchObject({ suspension: { reason: 'non_payment' } });
    expect(await book.serviceState('a1')).toMatchObject({ suspension: { reason: 'parent_suspended' } });
    await book.run(noon('2024-03-21')); // h1 still billed; a1, suspended with its parent, not
    expect(await book.invoice(inv('a1', '2024-03-31'))).toMatchObject({ status: 'none' });
    expect((await book.run(noon('2024-04-01'))).counts['mark-overdue']).toBe(1); // h1's March invoice

    // February paid, March still overdue: the suspension stays, and so does the add-on's.
    await book.pay(inv('h1', '2024-02-29'), noon('2024-04-02'));
    expect(await book.serviceState('h1')).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'non_payment' },
      nextDueDate: '2024-03-31',
    });
    expect(await book.serviceState('a1')).toMatchObject({ status: 'suspended' });
    await book.pay(inv('h1', '2024-03-31'), noon('2024-04-03'));
    expect(await book.serviceState('h1')).toMatchObject({ status: 'active', nextDueDate: '2024-04-30' });
    expect(await book.serviceState('a1')).toMatchObject({ status: 'active' });

    // A staff suspension: the payment of an invoice issued before it moves the due date and lifts nothing.
    await book.run(noon('2024-04-20'));
    await book.suspendByStaff('h1', noon('2024-04-21'));
    await book.pay(inv('h1', '2024-04-30'), noon('2024-04-22'));
    expect(await book.serviceState('h1')).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'abuse' },
      nextDueDate: '2024-05-31',
    });
    expect(await book.serviceState('a1')).toMatchObject({ suspension: { reason: 'parent_suspended' } });
    await book.liftByStaff('h1', noon('2024-04-23'));
    expect(await book.serviceState('h1')).toMatchObject({ status: 'active' });
    expect(await book.serviceState('a1')).toMatchObject({ status: 'active' });
  });

  it('terminates the add-ons of a service terminated after its retention', async () => {
    await parentSuspendedForNonPaymentWithItsAddon('h2', 'a2');
    expect(await book.serviceState('h2')).toMatchObject({
      status: 'suspended',
      suspension: { suspendedOn: '2024-03-10' },
    });
    // Three calendar months of retention from March 10th.
    expect((await book.run(noon('2024-06-09'))).counts['terminate-after-retention']).toBe(0);
    expect(await book.serviceState('a2')).toMatchObject({ status: 'suspended' });
    expect((await book.run(noon('2024-06-10'))).counts['terminate-after-retention']).toBe(1);
    expect(await book.serviceState('h2')).toMatchObject({ status: 'terminated' });
    expect(await book.serviceState('a2')).toMatchObject({ status: 'terminated' });
    // Its invoices stay unpaid for good; no later run looks at them again.
    const agenda = book.connection.db as Kysely<BillingAgendaDatabase>;
    const unpaid = await agenda
      .selectFrom('billing_agenda_invoices')
      .select('invoice_id')
      .where('status', 'in', ['open', 'overdue'])
      .execute();
    expect(unpaid.map((row) => row.invoice_id)).toContain(inv('h2', '2024-02-29'));
    expect(await all(unpaidInvoicesOfActiveServicesDueBefore(agenda, '2025-01-01'))).toEqual([]);
    expect(await all(servicesDueBy(agenda, '2025-01-01'))).not.toContain('h2');
  });

  it('looks at the unpaid invoices of active services only, and bills no staff suspension', async () => {
    await book.order('h3', noon('2024-01-31'));
    await book.order('h4', noon('2024-01-31'));
    for (const id of ['h3', 'h4']) await book.pay(inv(id, '2024-01-31'), noon('2024-01-31'));
    await book.run(noon('2024-02-19'));
    await book.suspendByStaff('h4', noon('2024-02-20'));
    const agenda = book.connection.db as Kysely<BillingAgendaDatabase>;
    expect(await all(unpaidInvoicesOfActiveServicesDueBefore(agenda, '2024-03-01'))).toEqual([
      inv('h3', '2024-02-29'),
    ]);
    expect(await all(servicesDueBy(agenda, '2024-12-31'))).toEqual(['h3']);
    await book.liftByStaff('h4', noon('2024-03-05'));
    expect(await all(unpaidInvoicesOfActiveServicesDueBefore(agenda, '2024-03-01'))).toEqual(
      [inv('h3', '2024-02-29'), inv('h4', '2024-02-29')].sort(),
    );
    // Lifted past its grace: the next run suspends it for the invoice it still owes.
    await book.run(noon('2024-03-10'));
    expect(await book.serviceState('h4')).toMatchObject({ suspension: { reason: 'non_payment' } });
  });

  it('builds the agenda again from the log after the migration that gave invoices their services', async () => {
    await book.order('h5', noon('2024-01-31'));
    const agenda = book.connection.db as Kysely<BillingAgendaDatabase>;
    const rows = async () => ({
      services: await agenda.selectFrom('billing_agenda_services').select(['service_id', 'status']).execute(),
      invoices: await agenda
        .selectFrom('billing_agenda_invoices')
        .select(['invoice_id', 'status', 'service_ids'])
        .execute(),
    });
    const built = await rows();
    expect(built.invoices).toEqual([
      { invoice_id: inv('h5', '2024-01-31'), status: 'open', service_ids: ['h5'] },
    ]);
    await book.close();
    // As on a database whose agenda was built before the migration: it empties the agenda and resets its runner.
    await billingAgendaInvoiceServicesMigration.down!(book.connection.db as Kysely<unknown>);
    await billingAgendaInvoiceServicesMigration.up(book.connection.db as Kysely<unknown>);
    expect(await rows()).toEqual({ services: [], invoices: [] });
    book = await BillingBook.open(book.connection);
    await book.run(noon('2024-02-01'));
    expect(await rows()).toEqual({
      services: built.services,
      invoices: [{ invoice_id: inv('h5', '2024-01-31'), status: 'overdue', service_ids: ['h5'] }],
    });
  });

  it('closes a ticket 72 hours after staff answered it, and expires an invitation 168 hours after it was sent', async () => {
    const contract = contractStream('ctr-1');
    await book.send(
      contractDecider,
      contract,
      {
        type: 'OpenContract',
        data: {
          contractId: 'ctr-1',
          holderName: 'Maria ME',
          document: '529.982.247-25',
          phones: ['+5511987654321'],
        },
      },
      '2024-02-28T12:00:00.000Z',
      CUSTOMER,
    );
    await book.send(
      contractDecider,
      contract,
      {
        type: 'InviteUser',
        data: { invitationId: 'inv-1', email: 'ana@exemplo.com.br', permissions: ['tickets'] },
      },
      '2024-02-28T23:30:00.000Z', // 20:30 in Sao Paulo
      CUSTOMER,
    );
    const ticket = ticketStream('t-1');
    await book.send(
      ticketDecider,
      ticket,
      {
        type: 'OpenTicket',
        data: {
          ticketId: 't-1',
          contractId: 'ctr-1',
          subject: 'Site fora do ar',
          department: 'technical',
          priority: 'high',
          message: 'Meu site não abre.',
        },
      },
      '2024-02-28T13:00:00.000Z',
      CUSTOMER,
    );
    await book.send(
      ticketDecider,
      ticket,
      { type: 'ReplyToTicket', data: { messageId: 'm-1', message: 'Pode testar agora?' } },
      '2024-02-28T14:00:00.000Z',
      STAFF,
    );
    // Across February 29th: 72 hours after the answer is March 2nd, 14:00 UTC.
    expect((await book.run('2024-03-02T13:59:59.999Z')).counts['close-idle-tickets']).toBe(0);
    expect(await book.stateOf(ticketDecider, ticket)).toMatchObject({ status: 'answered' });
    expect((await book.run('2024-03-02T14:00:00.000Z')).counts['close-idle-tickets']).toBe(1);
    expect(await book.stateOf(ticketDecider, ticket)).toMatchObject({ status: 'closed' });

    expect((await book.run('2024-03-06T23:29:59.999Z')).counts['expire-invitations']).toBe(0);
    expect((await book.run('2024-03-06T23:30:00.000Z')).counts['expire-invitations']).toBe(1);
    const events = await book.store.readStream(contract);
    expect(events.at(-1)).toMatchObject({
      type: 'InvitationExpired',
      data: { invitationId: 'inv-1' },
      metadata: { actor: { kind: 'system', rule: 'expire-invitations' } },
    });
    expect((await book.run('2024-03-07T12:00:00.000Z')).counts['expire-invitations']).toBe(0);
  });

  it('cancels the open invoices of a cancelled service and completes end-of-period cancellations', async () => {
    await book.order('s1', noon('2024-01-31'));
    await book.order('s2', noon('2024-01-31'));
    await book.pay(inv('s1', '2024-01-31'), noon('2024-01-31'));
    await book.pay(inv('s2', '2024-01-31'), noon('2024-01-31'));
    await book.run(noon('2024-02-19'));
    await book.cancel('s1', noon('2024-02-20'), 'immediate');
    expect(await book.invoice(inv('s1', '2024-02-29'))).toMatchObject({ status: 'cancelled' });
    await book.pay(inv('s2', '2024-02-29'), noon('2024-02-25'));
    await book.cancel('s2', noon('2024-02-26'), 'end_of_period');
    await book.run(noon('2024-03-21'));
    expect(await book.invoice(inv('s2', '2024-03-31'))).toMatchObject({ status: 'none' });
    expect((await book.run(noon('2024-03-30'))).counts['complete-scheduled-cancellation']).toBe(0);
    expect((await book.run(noon('2024-03-31'))).counts['complete-scheduled-cancellation']).toBe(1);
    expect(await book.serviceState('s2')).toMatchObject({ status: 'cancelled' });
  });

  it('issues notas fiscais for paid invoices, numbered without gaps; a refund cancels its nota', async () => {
    for (const id of ['s1', 's2', 's3']) await book.order(id, noon('2024-01-31'));
    await book.pay(inv('s2', '2024-01-31'), noon('2024-01-31'));
    await book.pay(inv('s1', '2024-01-31'), noon('2024-01-31'));
    expect((await book.run(noon('2024-02-01'))).counts['issue-notas-fiscais']).toBe(2);
    expect(await book.invoice(inv('s1', '2024-01-31'))).toMatchObject({ notaFiscal: { number: 1 } });
    expect(await book.invoice(inv('s2', '2024-01-31'))).toMatchObject({ notaFiscal: { number: 2 } });
    await book.refund(inv('s1', '2024-01-31'), noon('2024-02-02'));
    expect(await book.pay(inv('s3', '2024-01-31'), noon('2024-02-02'))).toBe(true);
    expect((await book.run(noon('2024-02-03'))).counts['issue-notas-fiscais']).toBe(1);
    expect(await book.invoice(inv('s1', '2024-01-31'))).toMatchObject({
      status: 'refunded',
      notaFiscal: { number: 1, status: 'cancelled' },
    });
    expect(await book.invoice(inv('s3', '2024-01-31'))).toMatchObject({ notaFiscal: { number: 3 } });
  });

  it('completes a run that died half-way with the next one, applying nothing twice', async () => {
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    for (const id of ids) await book.order(id, noon('2024-01-31'));
    for (const id of ids) await book.pay(inv(id, '2024-01-31'), noon('2024-01-31'));
    // The database goes away after three appends of the run.
    let appends = 0;
    const dying = new Proxy(book.store, {
      get: (target, property, receiver) => {
        if (property === 'append') {
          return (...args: Parameters<EventStore['append']>) => {
            if (++appends > 3) return Promise.reject(new Error('Connection terminated unexpectedly'));
            return target.append(...args);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const clock = new BillingClock({
      db: book.connection.db as Kysely<BillingAgendaDatabase & CheckpointDatabase>,
      store: dying,
      writePath: { eventStore: dying },
      concurrency: 1,
    });
    await expect(clock.run(noon('2024-02-19'))).rejects.toThrow('Connection terminated');
    const next = await book.run(noon('2024-02-19'));
    expect(next.counts['issue-invoices']).toBe(3);
    for (const id of ids) {
      expect(await book.store.readStream(`invoice-${inv(id, '2024-02-29')}`)).toHaveLength(1);
    }
    expect((await book.run(noon('2024-02-20'))).counts['issue-invoices']).toBe(0);
  });
});
