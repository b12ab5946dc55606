import type { Decider } from '../shared/decider';
import { parseIdentifier } from '../value-objects/identifier';
import type { NotaFiscalSeriesCommand } from './nota-fiscal-series.commands';
import type { NotaFiscalSeriesEvent } from './nota-fiscal-series.events';
import {
  evolveNotaFiscalSeries,
  initialNotaFiscalSeriesState,
  nextNotaFiscalNumber,
  type NotaFiscalSeriesState,
} from './nota-fiscal-series.state';

/**
 * Allocates the next number to an invoice. Send it as {@link notaFiscalAllocation} says: a repeat is answered by
 * the write path with the first allocation, never decided again.
 */
export const decideNotaFiscalSeries = (
  command: NotaFiscalSeriesCommand,
  state: NotaFiscalSeriesState,
): readonly NotaFiscalSeriesEvent[] => {
  const invoiceId = parseIdentifier(command.data.invoiceId, 'invoiceId');
  return [{ type: 'NotaFiscalNumberAllocated', data: { invoiceId, number: nextNotaFiscalNumber(state) } }];
};

/** The nota fiscal series aggregate, on the single stream `nota-fiscal-series`. */
export const notaFiscalSeriesDecider: Decider<
  NotaFiscalSeriesCommand,
  NotaFiscalSeriesEvent,
  NotaFiscalSeriesState
> = {
  initialState: initialNotaFiscalSeriesState,
  evolve: evolveNotaFiscalSeries,
  decide: decideNotaFiscalSeries,
};
