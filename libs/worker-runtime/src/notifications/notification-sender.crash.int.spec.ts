import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { fixedClock } from '@app/command-handling';
import { notificationsProjection, type NotificationsDatabase } from '@app/projections';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase, recordedEvent } from '@app/testing';
import { NotificationSender } from './notification-sender';
import { smtpTransport } from './notification-transport';

const ROOT = resolve(__dirname, '../../../..');
const CHILD = join(__dirname, 'testing', 'crashing-sender.child.spec.ts');
const LEASE_MS = 60_000;
const FROM = 'avisos@hospedagem.example';

/** Runs a TypeScript file of this repository in a plain Node process: SWC compiles it, `@app/*` resolve as in tsconfig. */
const BOOTSTRAP = `
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const root = process.env.CRASH_ROOT;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@app/projections') request = join(root, 'projections/index.ts');
  else if (/^@app\\/[a-z-]+$/.test(request)) request = join(root, 'libs', request.slice(5), 'src/index.ts');
  return resolveFilename.call(this, request, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  });
  module._compile(code, filename);
};
require(process.argv[1]);
`;

const opened = {
  ...recordedEvent('contract-c-1', 0, 'ContractOpened', {
    contractId: 'c-1',
    owner: { userId: 'u-owner', email: 'dona@exemplo.com.br', name: 'Dona' },
    holderName: 'Maria ME',
    document: { kind: 'cpf', number: '52998224725' },
    phones: [],
    paymentMethod: { method: 'boleto' },
    openedAt: new Date().toISOString(),
  }),
  id: '00000000-0000-4000-b000-000000000001',
};
const issued = {
  ...recordedEvent(
    'invoice-i-1',
    0,
    'InvoiceIssued',
    {
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
      issuedAt: new Date().toISOString(),
    },
    new Date().toISOString(),
  ),
  id: '00000000-0000-4000-b000-000000000002',
};

describe('a worker killed (SIGKILL) while the SMTP server holds its message', () => {
  it('leaves the message queued under its lease; the next sender sends it again with the same Message-ID', async () => {
    const received: string[] = [];
    let child: ReturnType<typeof spawn> | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push(/^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '');
          // The first copy is the server's; its sender dies before hearing the 250 (and before recording it).
          if (received.length === 1 && child) child.kill('SIGKILL');
          else callback();
        });
      },
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

    const dataDir = mkdtempSync(join(tmpdir(), 'notify-crash-'));
    const serverUrl = process.env.DATABASE_URL;
    let connection: DatabaseConnection = serverUrl
      ? await openTestDatabase()
      : await openDatabase({ kind: 'embedded', dataDir });
    try {
      await migrateToLatest(connection.db);
      const db = () => connection.db as Kysely<NotificationsDatabase>;
      await db()
        .transaction()
        .execute((trx) => notificationsProjection.apply([opened, issued], trx));
      const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(connection.db))
        .rows[0]?.schema;
      // PGlite is one process's: the worker opens the same folder once the test has let go of it.
      if (!serverUrl) await connection.close();

      child = spawn(process.execPath, ['-e', BOOTSTRAP, CHILD], {
        env: {
          ...process.env,
          CRASH_ROOT: ROOT,
          CRASH_DATABASE_URL: serverUrl ?? '',
          CRASH_SCHEMA: schema ?? 'public',
          CRASH_DATA_DIR: dataDir,
          CRASH_SMTP_URL: smtpUrl,
          CRASH_FROM: FROM,
          CRASH_LEASE_MS: String(LEASE_MS),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((done) =>
        child?.on('exit', (_code, exitSignal) => done(exitSignal)),
      );
      expect({ signal, settled: output.includes('settled') }).toEqual({ signal: 'SIGKILL', settled: false });

      if (!serverUrl) connection = await openDatabase({ kind: 'embedded', dataDir });
      const row = () =>
        (connection.db as Kysely<NotificationsDatabase>)
          .selectFrom('notification_outbox')
          .select(['message_id', 'status', 'attempts', 'lease_owner'])
          .where('recipient_email', '=', 'dona@exemplo.com.br')
          .executeTakeFirstOrThrow();
      expect(await row()).toMatchObject({
        status: 'queued',
        attempts: 1,
        lease_owner: 'worker-killed-mid-send',
      });

      const clock = fixedClock(new Date());
      const survivor = new NotificationSender({
        db: connection.db as Kysely<NotificationsDatabase>,
        transport: smtpTransport(smtpUrl),
        clock,
        policy: { maxAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 60_000, leaseMs: LEASE_MS },
        from: FROM,
        pollIntervalMs: 50,
      });
      expect(await survivor.sendDue()).toMatchObject({ claimed: 0 });
      clock.set(new Date(Date.now() + LEASE_MS + 1_000));
      expect(await survivor.sendDue()).toMatchObject({ claimed: 1, sent: 1 });
      await survivor.stop();

      const { message_id } = await row();
      expect(received).toEqual([`<${message_id}@hospedagem.example>`, `<${message_id}@hospedagem.example>`]);
      expect(await row()).toMatchObject({ status: 'sent', attempts: 2, lease_owner: null });
    } finally {
      child?.kill('SIGKILL');
      await connection.close();
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
