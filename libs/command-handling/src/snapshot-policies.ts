import { notaFiscalSeriesDecider, type NotaFiscalSeriesState } from '@app/domain';
import { snapshotPolicy, type SnapshotPolicy } from './snapshots';

type SeriesJson = Readonly<{ lastNumber: number }> | null;

/**
 * The nota fiscal series: one stream that grows with every nota ever issued. A snapshot every 500 allocations
 * keeps a load to at most 500 events, and the state is its last number alone, so both stay the same size at the
 * millionth nota (schema 1 also kept every invoice's number: it is ignored, and rebuilt by the next load).
 */
export const notaFiscalSeriesSnapshotPolicy: SnapshotPolicy<NotaFiscalSeriesState> = {
  every: 500,
  schemaVersion: 2,
  toJson: (state: NotaFiscalSeriesState): SeriesJson =>
    state.status === 'numbering' ? { lastNumber: state.lastNumber } : null,
  fromJson: (json: unknown): NotaFiscalSeriesState => {
    const series = json as SeriesJson;
    return series ? { status: 'numbering', lastNumber: series.lastNumber } : { status: 'empty' };
  },
};

export const notaFiscalSeriesSnapshots = snapshotPolicy(
  notaFiscalSeriesDecider,
  notaFiscalSeriesSnapshotPolicy,
);

/** Every aggregate's snapshot policy, for the write path's {@link Snapshotting}. */
export const SNAPSHOT_POLICIES = [notaFiscalSeriesSnapshots] as const;
