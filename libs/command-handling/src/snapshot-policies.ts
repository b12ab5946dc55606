import { notaFiscalSeriesDecider, type NotaFiscalSeriesState } from '@app/domain';
import { snapshotPolicy, type SnapshotPolicy } from './snapshots';

type SeriesJson = Readonly<{
  lastNumber: number;
  numbersByInvoice: readonly (readonly [string, number])[];
}> | null;

/**
 * The nota fiscal series: one stream that grows with every nota ever issued. A snapshot every 500 allocations
 * keeps a load to at most 500 events; see docs/architecture.md for what still grows.
 */
export const notaFiscalSeriesSnapshotPolicy: SnapshotPolicy<NotaFiscalSeriesState> = {
  every: 500,
  schemaVersion: 1,
  toJson: (state: NotaFiscalSeriesState): SeriesJson =>
    state.status === 'numbering'
      ? { lastNumber: state.lastNumber, numbersByInvoice: [...state.numbersByInvoice] }
      : null,
  fromJson: (json: unknown): NotaFiscalSeriesState => {
    const series = json as SeriesJson;
    return series
      ? {
          status: 'numbering',
          lastNumber: series.lastNumber,
          numbersByInvoice: new Map(series.numbersByInvoice),
        }
      : { status: 'empty' };
  },
};

export const notaFiscalSeriesSnapshots = snapshotPolicy(
  notaFiscalSeriesDecider,
  notaFiscalSeriesSnapshotPolicy,
);

/** Every aggregate's snapshot policy, for the write path's {@link Snapshotting}. */
export const SNAPSHOT_POLICIES = [notaFiscalSeriesSnapshots] as const;
