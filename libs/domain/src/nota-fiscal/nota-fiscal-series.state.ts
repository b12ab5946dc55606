import type { NotaFiscalSeriesEvent } from './nota-fiscal-series.events';

/**
 * The nota fiscal series: numbers are sequential from 1 and never reused, even when a nota is later cancelled by
 * a refund. `empty` before the first allocation.
 */
export type NotaFiscalSeriesState =
  | Readonly<{ status: 'empty' }>
  | Readonly<{ status: 'numbering'; lastNumber: number; numbersByInvoice: ReadonlyMap<string, number> }>;

/** The state of the series before any number was allocated. */
export const initialNotaFiscalSeriesState = (): NotaFiscalSeriesState => ({ status: 'empty' });

/** Folds one allocation into the series; unknown events change nothing. */
export const evolveNotaFiscalSeries = (
  state: NotaFiscalSeriesState,
  event: NotaFiscalSeriesEvent,
): NotaFiscalSeriesState => {
  switch (event.type) {
    case 'NotaFiscalNumberAllocated': {
      const { invoiceId, number } = event.data;
      const previous = state.status === 'numbering' ? state.numbersByInvoice : new Map<string, number>();
      return {
        status: 'numbering',
        lastNumber: number,
        numbersByInvoice: new Map(previous).set(invoiceId, number),
      };
    }
    default: {
      // Unknown at compile time is a bug; unknown at run time is a newer event this version ignores.
      const _unhandled: never = event.type;
      return state;
    }
  }
};

/** The number already allocated to `invoiceId`, or `null`: how the write path reads the number after a `[]`. */
export const numberAllocatedTo = (state: NotaFiscalSeriesState, invoiceId: string): number | null =>
  state.status === 'numbering' ? (state.numbersByInvoice.get(invoiceId) ?? null) : null;

/** The number the next allocation will get. */
export const nextNotaFiscalNumber = (state: NotaFiscalSeriesState): number =>
  state.status === 'numbering' ? state.lastNumber + 1 : 1;
