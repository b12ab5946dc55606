import type { Decider } from '../shared/decider';
import { InvalidValueError } from '../shared/domain-error';
import type { NotaFiscalSeriesCommand } from './nota-fiscal-series.commands';
import type { NotaFiscalSeriesEvent } from './nota-fiscal-series.events';
import {
  evolveNotaFiscalSeries,
  initialNotaFiscalSeriesState,
  nextNotaFiscalNumber,
  numberAllocatedTo,
  type NotaFiscalSeriesState,
} from './nota-fiscal-series.state';

/**
 * Allocates the next number to an invoice. An invoice that already has one gets `[]` (read it with
 * {@link numberAllocatedTo}), so retries never burn a number.
 */
export const decideNotaFiscalSeries = (
  command: NotaFiscalSeriesCommand,
  state: NotaFiscalSeriesState,
): readonly NotaFiscalSeriesEvent[] => {
  const { invoiceId } = command.data;
  if (invoiceId.length === 0) throw new InvalidValueError('invoiceId', 'invoiceId must not be empty');
  if (numberAllocatedTo(state, invoiceId) !== null) return [];
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
