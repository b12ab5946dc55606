import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import type { Kysely } from 'kysely';
import {
  advisoryLockLease,
  ProjectionRunner,
  projectionStatuses,
  pruneRetiredVersions,
  soleLease,
  type ProjectionStatus,
} from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import { BILLING_REACTOR_FOLLOWERS } from '@app/reactors';
import type { CliCommand, CliContext } from '../cli-context';
import { withProjectionsInfrastructure, type ProjectionsInfrastructure } from './projections-infrastructure';

const NAMES = READ_MODEL_PROJECTIONS.map((projection) => projection.name);

const parseName = (value: string): string => {
  if (!NAMES.includes(value))
    throw new InvalidArgumentError(`"${value}" is not a projection: expected one of ${NAMES.join(', ')}.`);
  return value;
};

const shortPosition = (position: string | null) =>
  position === null ? '-' : position.replace(/^0+(?=.)/, '');

/** Rows as a table of left-aligned columns, one line each, the header first. */
export const formatTable = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
};

const STATUS_HEADER = [
  'projection',
  'version',
  'state',
  'health',
  'checkpoint',
  'head',
  'lag events',
  'lag s',
  'applied',
  'last error',
];

const statusRow = (status: ProjectionStatus): string[] => [
  status.name,
  String(status.version),
  status.state,
  status.health,
  shortPosition(status.checkpoint),
  shortPosition(status.head),
  status.lagEvents === null ? '?' : String(status.lagEvents),
  status.lagSeconds.toFixed(1),
  String(status.eventsApplied),
  status.lastError ?? '',
];

const statusesOf = ({ db, store, countEvents }: ProjectionsInfrastructure) =>
  projectionStatuses({
    db,
    store,
    projections: [...READ_MODEL_PROJECTIONS, ...BILLING_REACTOR_FOLLOWERS],
    ...(countEvents ? { countEvents } : {}),
  });

/** How a rebuild shows where it is: a bar on a terminal, a line every few seconds elsewhere (logs, CI). */
type Progress = Readonly<{ update: (done: number) => void; stop: () => void }>;

const formatSeconds = (seconds: number) =>
  !Number.isFinite(seconds)
    ? '?'
    : seconds < 90
      ? `${Math.ceil(seconds)} s`
      : `${Math.ceil(seconds / 60)} min`;

const progressOf = (context: CliContext, label: string, total: number | null): Progress => {
  const started = Date.now();
  const rate = (done: number) => done / Math.max(0.001, (Date.now() - started) / 1000);
  if (context.progressStream) {
    const bar = new SingleBar({
      stream: context.progressStream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {eta_formatted} left`,
      hideCursor: true,
    });
    bar.start(total ?? 0, 0, { rate: '0' });
    return {
      update: (done) => {
        if (total === null) bar.setTotal(done);
        bar.update(done, { rate: rate(done).toFixed(0) });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  const line = (done: number) => {
    const perSecond = rate(done);
    const left = total === null ? '' : `, ${formatSeconds((total - done) / perSecond)} left`;
    context.write(`${label}: ${done}/${total ?? '?'} events, ${perSecond.toFixed(0)} events/s${left}`);
  };
  return {
    update: (done) => {
      if (Date.now() - lastLine < 2_000) return;
      lastLine = Date.now();
      line(done);
    },
    stop: () => undefined,
  };
};

const rebuild = async (context: CliContext, infrastructure: ProjectionsInfrastructure, names: string[]) => {
  const { db, store, countEvents, database } = infrastructure;
  const projections = READ_MODEL_PROJECTIONS.filter((projection) => names.includes(projection.name));
  const head = await store.headPosition();
  const before = await statusesOf(infrastructure);
  const current = (name: string, version: number) =>
    before.find((status) => status.name === name && status.version === version);
  const pending = projections.filter((projection) => {
    const status = current(projection.name, projection.version);
    return !(status?.state === 'active' && status.lagEvents === 0);
  });
  for (const projection of projections.filter((candidate) => !pending.includes(candidate))) {
    context.write(
      `${projection.name} v${projection.version} serves queries and is at the head: nothing to rebuild (a new version rebuilds it from the start, beside this one)`,
    );
  }
  if (pending.length === 0) return;
  if (head === undefined) {
    context.write('the event log is empty: nothing to rebuild');
    return;
  }
  const total = countEvents
    ? (
        await Promise.all(
          pending.map((projection) =>
            countEvents(
              current(projection.name, projection.version)?.checkpoint ?? null,
              head,
              projection.handles,
            ),
          ),
        )
      ).reduce((sum, events) => sum + events, 0)
    : null;
  const label = pending.map((projection) => `${projection.name} v${projection.version}`).join(', ');
  const progress = progressOf(context, label, total);
  let done = 0;
  const runner = new ProjectionRunner<ReadModelDatabase>({
    db: db as Kysely<ReadModelDatabase>,
    store,
    projections: pending,
    // The worker may hold a projection: the rebuild then waits for it rather than racing it.
    lease: database.kind === 'server' ? advisoryLockLease(db) : soleLease(),
    onApplied: ({ events }) => {
      done += events;
      progress.update(done);
    },
  });
  const started = Date.now();
  runner.start();
  try {
    while (!(await runner.caughtUpTo(head, 1_000))) {
      const failing = (await runner.status()).find(
        (row) =>
          row.status === 'failing' && pending.some((p) => p.name === row.name && p.version === row.version),
      );
      if (failing)
        throw new Error(
          `${failing.name} v${failing.version} cannot apply the event at ${failing.error_position}: ${failing.last_error}`,
        );
    }
  } finally {
    await runner.stop();
    progress.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  context.write(
    `rebuilt ${label}: ${done} events in ${seconds.toFixed(1)} s (${(done / Math.max(seconds, 0.001)).toFixed(0)} events/s); queries read ${pending.length === 1 ? 'it' : 'them'} now`,
  );
};

/**
 * `projections status | rebuild [name] | prune`: how far each read model's versions are behind the log, a rebuild
 * in the foreground with its progress, and dropping the versions a newer one replaced.
 */
export const projectionsCommand: CliCommand = (context) => {
  const command = new Command('projections').description('operate the read models: status, rebuild, prune');
  command
    .command('status')
    .description('per projection version: state, checkpoint, head, lag in events and seconds, last error')
    .action(() =>
      withProjectionsInfrastructure(context.config(), async (infrastructure) => {
        for (const line of formatTable(STATUS_HEADER, (await statusesOf(infrastructure)).map(statusRow)))
          context.write(line);
      }),
    );
  command
    .command('rebuild')
    .description(
      'bring a projection (or every one) at the version this code runs up to the head, beside the version queries read, and switch them to it',
    )
    .argument('[name]', `one of ${NAMES.join(', ')}`, parseName)
    .action((name: string | undefined) =>
      withProjectionsInfrastructure(context.config(), (infrastructure) =>
        rebuild(context, infrastructure, name === undefined ? NAMES : [name]),
      ),
    );
  command
    .command('prune')
    .description('drop the versions a newer one has replaced (their schemas, checkpoints and guards)')
    .action(() =>
      withProjectionsInfrastructure(context.config(), async ({ db }) => {
        const dropped = await pruneRetiredVersions(db, READ_MODEL_PROJECTIONS);
        context.write(
          dropped.length === 0
            ? 'nothing to prune: no retired versions'
            : `dropped: ${dropped.map((row) => `${row.name} v${row.version}`).join(', ')}`,
        );
      }),
    );
  return command;
};
