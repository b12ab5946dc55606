import type { Kysely } from 'kysely';
import { addMonthsClamped, localDate, type LocalDate } from '@app/domain';
import type { WritePath } from '@app/command-handling';
import {
  generateDemoBook,
  type DemoBookDatabase,
  type DemoBookOptions,
  type DemoBookReport,
} from './demo-book.generator';

/** The small book `npm start` seeds on an empty store: enough for every endpoint to answer, in a few seconds. */
export const EMBEDDED_DEMO_BOOK = { contracts: 8, months: 3, seed: 1 } as const;

/** The first day of a book of `months` that ends yesterday (Sao Paulo), so its figures are about "now". */
export const demoStartDate = (months: number, now: Date): LocalDate =>
  addMonthsClamped(localDate(now.toISOString()), -months);

/**
 * Seeds a demo book on a store that has no event yet; a store with history is left alone (answers undefined).
 * The book's customers include `firstOwner`, the demo customer whose token `npm start` prints; `db` keeps the
 * billing agenda and the checkpoints of the billing clock and reactors that run while it is written.
 */
export const seedDemoBookIfEmpty = async (
  writePath: WritePath,
  db: Kysely<DemoBookDatabase>,
  options: Omit<DemoBookOptions, 'startDate'> & Readonly<{ now: Date }>,
): Promise<DemoBookReport | undefined> => {
  if ((await writePath.eventStore.headPosition()) !== undefined) return undefined;
  const { now, ...rest } = options;
  return generateDemoBook(writePath, db, { ...rest, startDate: demoStartDate(options.months, now) });
};
