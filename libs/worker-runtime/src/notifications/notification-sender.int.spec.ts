import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { fixedClock } from '@app/command-handling';
import type { RecordedEvent } from '@app/event-store';
import {
  claimDueNotifications,
  NOTIFICATION_TABLES,
  notificationsProjection,
  requeueNotification,
  type NotificationsDatabase,
} from '@app/projections';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase, recordedEvent } from '@app/testing';
import { NotificationSender, retryDelayMs, type RetryPolicy } from './notification-sender';
import { logTransport, smtpTransport } from './notification-transport';

/** What the SMTP server answers a message with: accept it, or refuse it with this reply code. */
type Verdict = 'accept' | 451 | 550;

/** A message the SMTP server took: its envelope and the headers the tests look at. */
type Received = Readonly<{ to: readonly string[]; messageId: string; subject: string; text: string }>;

const header = (raw: string, name: string): string => {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim() ?? '';
};

/** A real SMTP server in this process, on a loopback port, answering each message by `verdicts` in turn. */
const startSmtpServer = async () => {
  const received: Received[] = [];
  const verdicts: Verdict[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const verdict = verdicts.shift() ?? 'accept';
        if (verdict !== 'accept') {
          callback(
            Object.assign(new Error(verdict === 451 ? 'Tente mais tarde' : 'Caixa inexistente'), {
              responseCode: verdict,
            }),
          );
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          messageId: header(raw, 'Message-ID'),
          subject: header(raw, 'Subject'),
          text: raw
            .split(/\r?\n\r?\n/)
            .slice(1)
            .join('\n\n'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The next messages' answers, in order; every later one is accepted. */
    answer: (...next: Verdict[]) => verdicts.push(...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

let serial = 0;
const event = (stream: string, revision: number, type: string, data: unknown): RecordedEvent => {
  serial += 1;
  return {
    ...recordedEvent(stream, revision, type, data, '2026-03-01T12:00:00.000Z'),
    id: `00000000-0000-4000-a000-${serial.toString(16).padStart(12, '0')}`,
  };
};

const opened = event('contract-c-1', 0, 'ContractOpened', {
  contractId: 'c-1',
  owner: { userId: 'u-owner', email: 'dona@exemplo.com.br', name: 'Dona' },
  holderName: 'Maria ME',
  document: { kind: 'cpf', number: '52998224725' },
  phones: [],
  paymentMethod: { method: 'boleto' },
  openedAt: '2026-02-28T23:30:00.000Z',
});
const contact = (revision: number, email: string, categories: readonly string[]) =>
  event('contract-c-1', revision, 'ContactAdded', {
    contractId: 'c-1',
    contactId: `k-${revision}`,
    name: email,
    email,
    categories,
    addedAt: '2026-03-01T10:00:00.000Z',
  });
const ticketOpened = event('ticket-t-1', 0, 'TicketOpened', {
  ticketId: 't-1',
  contractId: 'c-1',
  subject: 'Site fora do ar',
  department: 'technical',
  openedBy: { userId: 'u-ana', email: 'ana@exemplo.com.br' },
  priority: 'high',
  serviceId: null,
  message: 'O site caiu',
  at: '2026-03-01T12:00:00.000Z',
});
const invoiceIssued = event('invoice-i-1', 0, 'InvoiceIssued', {
  invoiceId: 'i-1',
  contractId: 'c-1',
  lines: [
    {
      serviceId: 's-1',
      description: 'Hospedagem',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      amountCents: 2990,
    },
  ],
  totalCents: 2990,
  dueDate: '2026-03-10',
  issuedAt: '2026-03-01T12:00:00.000Z',
});
const HISTORY = [
  opened,
  contact(1, 'financeiro@exemplo.com.br', ['billing']),
  contact(2, 'ti@exemplo.com.br', ['technical']),
  contact(3, 'vendas@exemplo.com.br', ['commercial']),
];

const POLICY: RetryPolicy = { maxAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 60_000, leaseMs: 30_000 };
const FROM = 'Área do Cliente <avisos@hospedagem.example>';

describe('the notification sender, against a real SMTP server', () => {
  let connection: DatabaseConnection;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const db = () => connection.db as Kysely<NotificationsDatabase>;
  const senders: NotificationSender[] = [];
  const sender = (options: Partial<{ policy: RetryPolicy; owner: string; batchSize: number }> = {}) => {
    const created = new NotificationSender({
      db: db(),
      transport: smtpTransport(smtp.url),
      clock,
      policy: options.policy ?? POLICY,
      from: FROM,
      pollIntervalMs: 50,
      ...(options.owner === undefined ? {} : { owner: options.owner }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    senders.push(created);
    return created;
  };
  const project = (events: readonly RecordedEvent[]) =>
    db()
      .transaction()
      .execute((trx) => notificationsProjection.apply(events, trx));
  const outbox = () =>
    db()
      .selectFrom('notification_outbox')
      .select([
        'message_id',
        'recipient_email',
        'status',
        'channel',
        'attempts',
        'last_error',
        'next_attempt_at',
      ])
      .orderBy('seq')
      .execute();
  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  afterAll(() => connection.close());

  beforeEach(async () => {
    clock.set('2026-03-01T12:00:00.000Z');
    for (const table of [...NOTIFICATION_TABLES, 'projection_stream_revisions']) {
      await sql`delete from ${sql.id(table)}`.execute(connection.db);
    }
    smtp = await startSmtpServer();
    await project(HISTORY);
  });
  afterEach(async () => {
    for (const created of senders.splice(0)) await created.stop();
    await smtp.close();
  });

  it('delivers every message once, to the recipients of its category, with its own Message-ID', async () => {
    await project([ticketOpened, invoiceIssued]);
    const report = await sender().sendDue();

    expect(report).toEqual({ claimed: 5, sent: 5, retried: 0, failed: 0 });
    expect(smtp.received.map((message) => [message.to, message.subject])).toEqual([
      [['ana@exemplo.com.br'], 'Chamado #t-1 aberto: Site fora do ar'],
      [['dona@exemplo.com.br'], 'Chamado #t-1 aberto: Site fora do ar'],
      [['ti@exemplo.com.br'], 'Chamado #t-1 aberto: Site fora do ar'],
      [['dona@exemplo.com.br'], 'Fatura #i-1 de R$ 29,90 vence em 10/03/2026'],
      [['financeiro@exemplo.com.br'], 'Fatura #i-1 de R$ 29,90 vence em 10/03/2026'],
    ]);
    const rows = await outbox();
    expect(smtp.received.map((message) => message.messageId)).toEqual(
      rows.map((row) => `<${row.message_id}@hospedagem.example>`),
    );
    expect(rows.map((row) => [row.status, row.channel, row.attempts])).toEqual(
      Array.from({ length: 5 }, () => ['sent', 'smtp', 1]),
    );
    expect(await sender().sendDue()).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(5);
  });

  it('retries while the server refuses, waiting twice as long each time, then delivers', async () => {
    await project([invoiceIssued]);
    await db()
      .deleteFrom('notification_outbox')
      .where('recipient_email', '!=', 'dona@exemplo.com.br')
      .execute();
    smtp.answer(451, 451);
    const worker = sender();

    expect(await worker.sendDue()).toMatchObject({ claimed: 1, retried: 1 });
    const [afterFirst] = await outbox();
    expect(afterFirst).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: expect.stringContaining('451') as string,
    });
    expect(afterFirst?.next_attempt_at).toEqual(new Date('2026-03-01T12:00:01.000Z'));

    later(999);
    expect(await worker.sendDue()).toMatchObject({ claimed: 0 });
    later(1);
    expect(await worker.sendDue()).toMatchObject({ claimed: 1, retried: 1 });
    expect((await outbox())[0]?.next_attempt_at).toEqual(new Date('2026-03-01T12:00:03.000Z'));

    later(2_000);
    expect(await worker.sendDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await outbox()).toMatchObject([{ status: 'sent', attempts: 3, last_error: null }]);
    expect(smtp.received.map((message) => message.to)).toEqual([['dona@exemplo.com.br']]);
  });

  it('gives up after the last attempt and keeps the message, which staff can send again', async () => {
    await project([invoiceIssued]);
    await db()
      .deleteFrom('notification_outbox')
      .where('recipient_email', '!=', 'dona@exemplo.com.br')
      .execute();
    smtp.answer(451, 451, 451);
    const worker = sender();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await worker.sendDue();
      later(retryDelayMs(POLICY, attempt));
    }
    const [dead] = await outbox();
    expect(dead).toMatchObject({ status: 'failed', attempts: 3, next_attempt_at: null });
    later(3_600_000);
    expect(await worker.sendDue()).toMatchObject({ claimed: 0 });
    expect(smtp.received).toEqual([]);

    expect(await requeueNotification(db(), dead!.message_id, clock.now())).toMatchObject({
      status: 'queued',
      attempts: 0,
    });
    expect(await worker.sendDue()).toMatchObject({ sent: 1 });
    expect(smtp.received.map((message) => message.messageId)).toEqual([
      `<${dead!.message_id}@hospedagem.example>`,
    ]);
  });

  it('gives up at once on a permanent refusal (5xx), the other messages delivered', async () => {
    await project([invoiceIssued]);
    smtp.answer(550);
    expect(await sender().sendDue()).toEqual({ claimed: 2, sent: 1, retried: 0, failed: 1 });
    expect((await outbox()).map((row) => [row.recipient_email, row.status, row.attempts])).toEqual([
      ['dona@exemplo.com.br', 'failed', 1],
      ['financeiro@exemplo.com.br', 'sent', 1],
    ]);
  });

  it('sends again, with the same Message-ID, a message whose sender died after the server took it', async () => {
    await project([invoiceIssued]);
    await db()
      .deleteFrom('notification_outbox')
      .where('recipient_email', '!=', 'dona@exemplo.com.br')
      .execute();
    // The first sender claims the message and hands it to the server, then dies before recording it.
    const dying = sender({ owner: 'worker-that-dies' });
    const [claimed] = await claimDueNotifications(db(), {
      owner: dying.owner,
      now: clock.now(),
      leaseMs: POLICY.leaseMs,
      limit: 10,
      maxAttempts: POLICY.maxAttempts,
    });
    await smtpTransport(smtp.url).deliver({
      notificationId: claimed!.message_id,
      messageId: dying.messageIdOf(claimed!.message_id),
      kind: claimed!.kind,
      from: FROM,
      to: claimed!.recipient_email,
      subject: claimed!.subject,
      text: claimed!.body,
    });

    const survivor = sender({ owner: 'survivor' });
    expect(await survivor.sendDue()).toMatchObject({ claimed: 0 });
    later(POLICY.leaseMs);
    expect(await survivor.sendDue()).toMatchObject({ claimed: 1, sent: 1 });

    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]?.messageId).toBe(smtp.received[0]?.messageId);
    expect(await outbox()).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  it('gives up on a message whose last attempt was cut short', async () => {
    await project([invoiceIssued]);
    await db()
      .deleteFrom('notification_outbox')
      .where('recipient_email', '!=', 'dona@exemplo.com.br')
      .execute();
    const policy = { ...POLICY, maxAttempts: 1 };
    await claimDueNotifications(db(), {
      owner: 'gone',
      now: clock.now(),
      leaseMs: 1_000,
      limit: 1,
      maxAttempts: 1,
    });
    later(1_000);
    expect(await sender({ policy }).sendDue()).toMatchObject({ claimed: 0 });
    expect(await outbox()).toMatchObject([
      { status: 'failed', attempts: 1, last_error: 'the last attempt was cut short (its sender stopped)' },
    ]);
  });

  it('does not send what was already old news when first due, and tells why', async () => {
    await project([invoiceIssued]);
    later(7 * 24 * 3_600_000 + 1);
    const worker = new NotificationSender({
      db: db(),
      transport: smtpTransport(smtp.url),
      clock,
      policy: POLICY,
      from: FROM,
      pollIntervalMs: 50,
      maxAgeMs: 7 * 24 * 3_600_000,
    });
    senders.push(worker);
    expect(await worker.sendDue()).toMatchObject({ claimed: 0 });
    expect(smtp.received).toEqual([]);
    expect((await outbox()).map((row) => [row.status, row.attempts, row.last_error])).toEqual([
      ['failed', 0, 'not sent: its cause was already older than NOTIFICATION_MAX_AGE_HOURS'],
      ['failed', 0, 'not sent: its cause was already older than NOTIFICATION_MAX_AGE_HOURS'],
    ]);
  });

  it('never hands one message to two senders working at once', async () => {
    for (let ticket = 0; ticket < 8; ticket++) {
      await project([
        event(`ticket-x-${ticket}`, 0, 'TicketOpened', {
          ...(ticketOpened.data as object),
          ticketId: `x-${ticket}`,
        }),
      ]);
    }
    const first = sender({ owner: 'first', batchSize: 5 });
    const second = sender({ owner: 'second', batchSize: 5 });
    for (let pass = 0; pass < 4; pass++) await Promise.all([first.sendDue(), second.sendDue()]);

    const ids = smtp.received.map((message) => message.messageId);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    expect((await outbox()).every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  it('runs on its own once started, until stopped', async () => {
    await project([ticketOpened]);
    const worker = sender();
    worker.start();
    while (smtp.received.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await worker.stop();
    expect((await outbox()).map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('without SMTP, writes each message to the log without its text and a masked address, as sent to the log', async () => {
    await project([ticketOpened]);
    const lines: Record<string, unknown>[] = [];
    const logged = new NotificationSender({
      db: db(),
      transport: logTransport((fields) => lines.push(fields)),
      clock,
      policy: POLICY,
      from: FROM,
      pollIntervalMs: 50,
    });
    expect(await logged.sendDue()).toMatchObject({ sent: 3 });
    expect(lines.map((line) => line.to)).toEqual([
      'a***@exemplo.com.br',
      'd***@exemplo.com.br',
      't***@exemplo.com.br',
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/Recebemos|ana@/);
    expect((await outbox()).map((row) => [row.status, row.channel])).toEqual([
      ['sent', 'log'],
      ['sent', 'log'],
      ['sent', 'log'],
    ]);
  });
});
