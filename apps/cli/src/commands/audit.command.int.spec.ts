import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { handleCommand } from '@app/command-handling';
import { readConfig } from '@app/config';
import { contractDecider, contractStream, serviceDecider, serviceStream, type Actor } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projection-runner';
import { auditLogProjection, READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import { migrateToLatest, openDatabase } from '@app/read-store';
import { cliProgram } from '../cli-program';

const owner: Actor = { kind: 'user', userId: 'u-dona', email: 'dona@exemplo.com.br', roles: ['customer'] };

describe('npm run cli -- audit replay', () => {
  it("prints a contract's history, one line per event with its changed fields, then the state at --at", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-audit-'));
    const contractId = randomUUID();
    const serviceId = randomUUID();
    try {
      const connection = await openDatabase({ kind: 'embedded', dataDir });
      await migrateToLatest(connection.db);
      const store = PostgresEventStore.open(connection.db);
      const send = (
        now: string,
        stream: string,
        command: object,
        decider: typeof contractDecider | typeof serviceDecider,
      ) =>
        handleCommand({ eventStore: store }, decider as typeof contractDecider, stream, {
          command: { ...command, metadata: { now, actor: owner } } as never,
          commandId: randomUUID(),
        });
      await send(
        '2026-03-01T12:00:00.000Z',
        contractStream(contractId),
        {
          type: 'OpenContract',
          data: { contractId, holderName: 'Loja', document: '529.982.247-25', phones: ['+5511987654321'] },
        },
        contractDecider,
      );
      await send(
        '2026-03-02T12:00:00.000Z',
        serviceStream(serviceId),
        {
          type: 'OrderService',
          data: {
            serviceId,
            contractId,
            kind: 'domain',
            plan: 'exemplo.com.br',
            billingCycle: 'annual',
            priceCents: 500,
          },
        },
        serviceDecider,
      );
      await send(
        '2026-03-03T12:00:00.000Z',
        contractStream(contractId),
        {
          type: 'InviteUser',
          data: { invitationId: 'inv-1', email: 'socio@exemplo.com.br', permissions: ['billing'] },
        },
        contractDecider,
      );
      // What the worker does: the audit log indexes the contract's streams, in its version's own tables.
      const runner = new ProjectionRunner({
        db: connection.db as Kysely<ReadModelDatabase>,
        store,
        projections: READ_MODEL_PROJECTIONS.filter(({ name }) => name === auditLogProjection.name),
        idleMs: 5,
      });
      runner.start();
      expect(await runner.caughtUpTo((await store.headPosition())!, 60_000)).toBe(true);
      await runner.stop();
      await connection.close();

      const lines: string[] = [];
      await cliProgram({
        config: () => readConfig({ DATA_DIR: dataDir }),
        jwtSecret: () => 'unused-secret-of-32-characters-long',
        write: (line) => lines.push(line),
      }).parseAsync(['node', 'cli', 'audit', 'replay', contractId, '--at', '2026-03-02T23:59:59.999Z']);

      expect(lines[0]).toMatch(
        new RegExp(
          `^2026-03-01T12:00:00.000Z  dona@exemplo.com.br \\(u-dona\\)  contract-${contractId}  ContractOpened  .*contractId, .*holderName, .*status`,
        ),
      );
      expect(lines[1]).toMatch(
        new RegExp(`^2026-03-02T12:00:00.000Z  .*  service-${serviceId}  ServiceOrdered  .*status`),
      );
      expect(lines[2]).toBe('');
      expect(lines[3]).toBe('state at 2026-03-02T23:59:59.999Z:');
      const state = JSON.parse(lines.slice(4).join('\n')) as Record<
        string,
        { status: string; invitations?: unknown[] }
      >;
      expect(state[contractStream(contractId)]).toEqual(
        expect.objectContaining({ status: 'open', invitations: [] }),
      );
      expect(state[serviceStream(serviceId)]?.status).toBe('pending');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
