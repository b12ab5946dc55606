import type { Kysely } from 'kysely';
import type { RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { notificationsProjection } from './notifications.projection';
import type { NotificationsDatabase } from './notifications.table';

/** An event of the log with an id of its own (`recordedEvent` derives ids from revisions alone). */
let serial = 0;
const event = (
  stream: string,
  revision: number,
  type: string,
  data: unknown,
  at = '2026-03-01T12:00:00.000Z',
) => {
  serial += 1;
  return {
    ...recordedEvent(stream, revision, type, data, at),
    id: `00000000-0000-4000-9000-${serial.toString(16).padStart(12, '0')}`,
  } satisfies RecordedEvent;
};

const CONTRACT = 'contract-c-1';
const opened = event(CONTRACT, 0, 'ContractOpened', {
  contractId: 'c-1',
  owner: { userId: 'u-owner', email: 'dona@exemplo.com.br', name: 'Dona' },
  holderName: 'Maria ME',
  document: { kind: 'cpf', number: '52998224725' },
  phones: ['+5511987654321'],
  paymentMethod: { method: 'credit_card', token: 'tok_secret_123', brand: 'visa', last4: '4242' },
  openedAt: '2026-02-28T23:30:00.000Z',
});
const contact = (revision: number, contactId: string, email: string, categories: readonly string[]) =>
  event(CONTRACT, revision, 'ContactAdded', {
    contractId: 'c-1',
    contactId,
    name: contactId,
    email,
    categories,
    addedAt: '2026-03-01T10:00:00.000Z',
  });
const finance = contact(1, 'k-fin', 'financeiro@exemplo.com.br', ['billing']);
const tech = contact(2, 'k-tech', 'ti@exemplo.com.br', ['technical']);
const sales = contact(3, 'k-sales', 'vendas@exemplo.com.br', ['commercial', 'billing']);
const contacts = [finance, tech, sales];

const ticket = {
  ticketId: 't-1',
  contractId: 'c-1',
  subject: 'Site fora do ar',
  department: 'technical',
  openedBy: { userId: 'u-ana', email: 'ana@exemplo.com.br' },
};
const ticketOpened = event('ticket-t-1', 0, 'TicketOpened', {
  ...ticket,
  priority: 'high',
  serviceId: null,
  message: 'Minha senha é hunter2 e o site caiu',
  at: '2026-03-01T12:00:00.000Z',
});
const staffReply = event('ticket-t-1', 1, 'TicketReplied', {
  ...ticket,
  messageId: 'm-2',
  author: { kind: 'staff', staffId: 'st-1' },
  message: 'Já estamos verificando.',
  at: '2026-03-01T13:00:00.000Z',
});

const ordered = event('service-s-1', 0, 'ServiceOrdered', {
  serviceId: 's-1',
  contractId: 'c-1',
  kind: 'shared_hosting',
  plan: 'Hospedagem Plus',
  billingCycle: 'monthly',
  priceCents: 2990,
  parentServiceId: null,
  parentKind: null,
  paymentMethod: null,
  orderedAt: '2026-03-01T12:00:00.000Z',
  firstDueDate: '2026-03-01',
  anchorDay: 1,
});
const invoiceIssued = event('invoice-i-1', 0, 'InvoiceIssued', {
  invoiceId: 'i-1',
  contractId: 'c-1',
  lines: [
    {
      serviceId: 's-1',
      description: 'Hospedagem Plus',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      amountCents: 123456,
    },
  ],
  totalCents: 123456,
  dueDate: '2026-03-10',
  issuedAt: '2026-03-01T02:00:00.000Z',
});
const overdue = event('invoice-i-1', 1, 'InvoiceMarkedOverdue', {
  invoiceId: 'i-1',
  dueDate: '2026-03-10',
  markedAt: '2026-03-11T03:00:00.000Z',
});
const suspended = (reason: string) =>
  event('service-s-1', 1, 'ServiceSuspended', {
    serviceId: 's-1',
    reason,
    invoiceId: reason === 'non_payment' ? 'i-1' : null,
    note: reason === 'non_payment' ? null : 'nota interna: senha root123',
    suspendedAt: '2026-03-11T03:00:00.000Z',
    suspendedOn: '2026-03-11',
  });
const reactivated = event('service-s-1', 2, 'ServiceReactivated', {
  serviceId: 's-1',
  by: 'payment',
  previousReason: 'non_payment',
  reactivatedAt: '2026-03-12T15:00:00.000Z',
});

const registered = event('instance-n-1', 0, 'InstanceRegistered', {
  instanceId: 'n-1',
  name: 'br-sp-01',
  kind: 'shared',
  datacenter: 'sp',
  at: '2026-01-01T00:00:00.000Z',
});
const provisioned = (serviceStream: string, serviceId: string, revision: number) =>
  event(serviceStream, revision, 'ServiceProvisioned', {
    serviceId,
    instanceId: 'n-1',
    provisionedAt: '2026-03-01T12:30:00.000Z',
  });
const incidentOpened = event('instance-n-1', 1, 'IncidentOpened', {
  instanceId: 'n-1',
  incidentId: 'inc-1',
  title: 'Lentidão no armazenamento',
  impact: 'degraded',
  at: '2026-03-05T14:00:00.000Z',
});
const incidentResolved = event('instance-n-1', 2, 'IncidentResolved', {
  instanceId: 'n-1',
  incidentId: 'inc-1',
  title: 'Lentidão no armazenamento',
  message: null,
  at: '2026-03-05T16:00:00.000Z',
});

/** Asymmetric matchers typed as the strings they stand for. */
const containing = (text: string): string => expect.stringContaining(text) as string;
const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

type Outbox = Kysely<NotificationsDatabase>;
const recipients = (db: Outbox) =>
  db
    .selectFrom('notification_outbox')
    .select(['kind', 'recipient_email', 'recipient_reasons', 'contract_id'])
    .orderBy('seq')
    .execute()
    .then((rows) => rows.map((row): unknown[] => [row.kind, row.recipient_email, row.recipient_reasons]));
const texts = (db: Outbox) =>
  db.selectFrom('notification_outbox').select(['kind', 'subject', 'body']).orderBy('seq').execute();

describe('the notifications projection', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Outbox;
  const spec = projectionSpecification(notificationsProjection, db);

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it("notifies a ticket's opening to its opener, the owner and the contacts of the department's category", () =>
    spec
      .given([opened, ...contacts])
      .when([ticketOpened])
      .then(recipients, [
        ['ticket_opened', 'ana@exemplo.com.br', ['opener']],
        ['ticket_opened', 'dona@exemplo.com.br', ['owner']],
        ['ticket_opened', 'ti@exemplo.com.br', ['contact:technical']],
      ]));

  it.each([
    ['billing', ['financeiro@exemplo.com.br', 'vendas@exemplo.com.br'], 'contact:billing'],
    ['sales', ['vendas@exemplo.com.br'], 'contact:commercial'],
  ])('routes a %s ticket to the contacts of its category', (department, emails, reason) =>
    spec
      .given([opened, ...contacts])
      .when([event('ticket-t-2', 0, 'TicketOpened', { ...(ticketOpened.data as object), department })])
      .then(recipients, [
        ['ticket_opened', 'ana@exemplo.com.br', ['opener']],
        ['ticket_opened', 'dona@exemplo.com.br', ['owner']],
        ...emails.map((email) => ['ticket_opened', email, [reason]]),
      ]),
  );

  it('writes to an address once, with every reason it has, when the owner opened the ticket', () =>
    spec
      .given([opened, contact(1, 'k-own', 'DONA@exemplo.com.br', ['technical'])])
      .when([
        event('ticket-t-3', 0, 'TicketOpened', {
          ...(ticketOpened.data as object),
          openedBy: { userId: 'u-owner', email: 'dona@exemplo.com.br' },
        }),
      ])
      .then(recipients, [
        ['ticket_opened', 'dona@exemplo.com.br', ['opener', 'owner', 'contact:technical']],
      ]));

  it('notifies every interaction, a reopening through the reply that follows it', () =>
    spec
      .given([opened, tech, ticketOpened])
      .when([
        staffReply,
        event('ticket-t-1', 2, 'TicketStatusChanged', {
          ...ticket,
          status: 'on_hold',
          staffId: 'st-1',
          at: '2026-03-01T14:00:00.000Z',
        }),
        event('ticket-t-1', 3, 'TicketClosed', {
          ...ticket,
          by: 'system',
          reason: 'idle',
          at: '2026-03-04T14:00:00.000Z',
        }),
        event('ticket-t-1', 4, 'TicketReopened', {
          ...ticket,
          by: { kind: 'customer', userId: 'u-ana' },
          at: '2026-03-05T14:00:00.000Z',
        }),
        event('ticket-t-1', 5, 'TicketReplied', {
          ...ticket,
          messageId: 'm-6',
          author: { kind: 'customer', userId: 'u-ana' },
          message: 'Voltou a cair',
          at: '2026-03-05T14:00:00.000Z',
        }),
      ])
      .then(
        async (database) =>
          (await texts(database)).filter((row) => row.kind !== 'ticket_opened').map((row) => row.subject),
        [
          'Nova resposta no chamado #t-1: Site fora do ar',
          'Nova resposta no chamado #t-1: Site fora do ar',
          'Nova resposta no chamado #t-1: Site fora do ar',
          'Chamado #t-1 em espera: Site fora do ar',
          'Chamado #t-1 em espera: Site fora do ar',
          'Chamado #t-1 em espera: Site fora do ar',
          'Chamado #t-1 fechado: Site fora do ar',
          'Chamado #t-1 fechado: Site fora do ar',
          'Chamado #t-1 fechado: Site fora do ar',
          'Nova resposta no chamado #t-1: Site fora do ar',
          'Nova resposta no chamado #t-1: Site fora do ar',
          'Nova resposta no chamado #t-1: Site fora do ar',
        ],
      ));

  it('sends invoices issued and overdue to the owner and the billing contacts, in Portuguese, with R$ and Sao Paulo dates', () =>
    spec
      .given([opened, ...contacts, ordered])
      .when([invoiceIssued, overdue])
      .then(
        async (database) => ({
          recipients: await recipients(database),
          texts: (await texts(database)).filter((_row, index) => index % 3 === 0),
        }),
        {
          recipients: [
            ['invoice_issued', 'dona@exemplo.com.br', ['owner']],
            ['invoice_issued', 'financeiro@exemplo.com.br', ['contact:billing']],
            ['invoice_issued', 'vendas@exemplo.com.br', ['contact:billing']],
            ['invoice_overdue', 'dona@exemplo.com.br', ['owner']],
            ['invoice_overdue', 'financeiro@exemplo.com.br', ['contact:billing']],
            ['invoice_overdue', 'vendas@exemplo.com.br', ['contact:billing']],
          ],
          texts: [
            {
              kind: 'invoice_issued',
              subject: 'Fatura #i-1 de R$ 1.234,56 vence em 10/03/2026',
              body: containing('Hospedagem Plus (01/03/2026 a 31/03/2026): R$ 1.234,56'),
            },
            {
              kind: 'invoice_overdue',
              subject: 'Fatura #i-1 vencida em 10/03/2026',
              body: containing('no valor de R$ 1.234,56, venceu em 10/03/2026'),
            },
          ],
        },
      ));

  it('sends a suspension for non-payment and its reactivation to the billing contacts, naming service and invoice', () =>
    spec
      .given([opened, ...contacts, ordered, invoiceIssued])
      .when([suspended('non_payment'), reactivated])
      .then(
        async (database) =>
          (await texts(database))
            .filter((row) => row.kind.startsWith('service_'))
            .filter((_row, i) => i % 3 === 0),
        [
          {
            kind: 'service_suspended',
            subject: 'Serviço Hospedagem Plus suspenso',
            body: matching(
              /^O serviço Hospedagem Plus \(#s-1\) foi suspenso em 11\/03\/2026 às 00:00 \(horário de Brasília\) por falta de pagamento\. Pague a fatura #i-1/,
            ),
          },
          {
            kind: 'service_reactivated',
            subject: 'Serviço Hospedagem Plus reativado',
            body: containing('12/03/2026 às 12:00'),
          },
        ],
      ));

  it('sends an administrative suspension to the technical contacts, without the staff note', () =>
    spec
      .given([opened, ...contacts, ordered])
      .when([suspended('abuse')])
      .then(
        async (database) => ({
          recipients: await recipients(database),
          leaks: (await texts(database)).filter((row) => /root123|nota interna/.test(row.subject + row.body)),
        }),
        {
          recipients: [
            ['service_suspended', 'dona@exemplo.com.br', ['owner']],
            ['service_suspended', 'ti@exemplo.com.br', ['contact:technical']],
          ],
          leaks: [],
        },
      ));

  it('sends an incident to the owner and technical contacts of each contract with a live service on the instance', () => {
    const other = event('contract-c-2', 0, 'ContractOpened', {
      ...(opened.data as object),
      contractId: 'c-2',
      owner: { userId: 'u-2', email: 'outro@cliente.com', name: null },
    });
    const otherService = event('service-s-2', 0, 'ServiceOrdered', {
      ...(ordered.data as object),
      serviceId: 's-2',
      contractId: 'c-2',
      plan: 'Cloud VPS',
    });
    const cancelledService = event('service-s-3', 0, 'ServiceOrdered', {
      ...(ordered.data as object),
      serviceId: 's-3',
      contractId: 'c-3',
    });
    const third = event('contract-c-3', 0, 'ContractOpened', {
      ...(opened.data as object),
      contractId: 'c-3',
      owner: { userId: 'u-3', email: 'terceiro@cliente.com', name: null },
    });
    return spec
      .given([
        registered,
        opened,
        ...contacts,
        other,
        third,
        ordered,
        otherService,
        cancelledService,
        provisioned('service-s-1', 's-1', 1),
        provisioned('service-s-2', 's-2', 1),
        provisioned('service-s-3', 's-3', 1),
        event('service-s-3', 2, 'ServiceCancelled', {
          serviceId: 's-3',
          when: 'immediate',
          reason: 'não preciso mais',
          protocolNumber: 'P-1',
          requestedAt: '2026-03-02T00:00:00.000Z',
          cancelledAt: '2026-03-02T00:00:00.000Z',
        }),
      ])
      .when([incidentOpened, incidentResolved])
      .then(
        async (database) => ({
          recipients: await recipients(database),
          first: (await texts(database))[0],
        }),
        {
          recipients: [
            ['incident_opened', 'dona@exemplo.com.br', ['owner']],
            ['incident_opened', 'ti@exemplo.com.br', ['contact:technical']],
            ['incident_opened', 'outro@cliente.com', ['owner']],
            ['incident_resolved', 'dona@exemplo.com.br', ['owner']],
            ['incident_resolved', 'ti@exemplo.com.br', ['contact:technical']],
            ['incident_resolved', 'outro@cliente.com', ['owner']],
          ],
          first: {
            kind: 'incident_opened',
            subject: 'Incidente no servidor br-sp-01: Lentidão no armazenamento',
            body: containing('- serviço Hospedagem Plus (#s-1)'),
          },
        },
      );
  });

  it('follows the directory as of each event: a removed contact and a new owner', () =>
    spec
      .given([opened, tech])
      .when([
        event(CONTRACT, 3, 'ContactRemoved', {
          contractId: 'c-1',
          contactId: 'k-tech',
          removedAt: '2026-03-01T11:00:00.000Z',
        }),
        event(CONTRACT, 4, 'ContractOwnershipTransferred', {
          contractId: 'c-1',
          previousOwner: { userId: 'u-owner', email: 'dona@exemplo.com.br', name: 'Dona' },
          newOwner: { userId: 'u-ana', email: 'nova@exemplo.com.br' },
          transferredAt: '2026-03-01T11:30:00.000Z',
        }),
        ticketOpened,
      ])
      .then(recipients, [
        ['ticket_opened', 'ana@exemplo.com.br', ['opener']],
        ['ticket_opened', 'nova@exemplo.com.br', ['owner']],
      ]));

  it('adds nothing when the same events arrive again, and leaves what the sender made of the rows', async () => {
    const history = [opened, ...contacts, ordered, ticketOpened, invoiceIssued];
    const database = db();
    await database.transaction().execute((trx) => notificationsProjection.apply(history, trx));
    await database.updateTable('notification_outbox').set({ status: 'sent', attempts: 1 }).execute();
    const before = await database.selectFrom('notification_outbox').selectAll().orderBy('seq').execute();
    for (let time = 0; time < 2; time++) {
      await database
        .transaction()
        .execute((trx) => notificationsProjection.apply([...history, staffReply], trx));
    }
    const after = await database.selectFrom('notification_outbox').selectAll().orderBy('seq').execute();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((row) => [row.kind, row.status])).toEqual([
      ['ticket_replied', 'queued'],
      ['ticket_replied', 'queued'],
      ['ticket_replied', 'queued'],
    ]);
  });

  it('derives the same message ids from the same events in another database (a rebuild queues nothing new)', async () => {
    const history = [opened, ...contacts, ordered, ticketOpened, invoiceIssued, overdue];
    const ids = async (database: Outbox) =>
      (
        await database.selectFrom('notification_outbox').select('message_id').orderBy('message_id').execute()
      ).map((row) => row.message_id);
    await db()
      .transaction()
      .execute((trx) => notificationsProjection.apply(history, trx));
    const second = await openTestDatabase();
    try {
      await migrateToLatest(second.db);
      const secondDb = second.db as Outbox;
      await secondDb.transaction().execute((trx) => notificationsProjection.apply(history, trx));
      expect(await ids(secondDb)).toEqual(await ids(db()));
      expect(await ids(db())).toHaveLength(9);
    } finally {
      await second.close();
    }
  });

  it('never puts a secret, a card token or what a person wrote into a message', () =>
    spec
      .given([opened, ...contacts, ordered])
      .when([ticketOpened, staffReply, invoiceIssued, suspended('terms_of_service')])
      .then(
        async (database) =>
          (await texts(database)).filter((row) =>
            /hunter2|tok_secret|4242|Já estamos|root123/.test(`${row.subject}\n${row.body}`),
          ),
        [],
      ));
});
