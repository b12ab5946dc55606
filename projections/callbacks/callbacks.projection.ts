import type { Transaction } from 'kysely';
import type { CallbackEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { foldIntoTable, type FoldedTable, type RowStep } from '../shared';
import type { CallbackRowUpdate, CallbacksDatabase, NewCallbackRow } from './callbacks.table';

const NAME = 'callbacks';

const HANDLED = [
  'CallbackRequested',
  'CallbackCompleted',
  'CallbackMarkedUnreachable',
  'CallbackCancelled',
] as const satisfies readonly CallbackEvent['type'][];

/** What an outcome changes on its request's row; CallbackRequested creates the row instead. */
const changeOf = (event: CallbackEvent): CallbackRowUpdate | undefined => {
  switch (event.type) {
    case 'CallbackCompleted':
      return { status: 'completed', closed_at: event.data.at, note: event.data.note };
    case 'CallbackMarkedUnreachable':
      return {
        status: 'unreachable',
        closed_at: event.data.at,
        attempts: event.data.attempts,
        note: event.data.note,
      };
    case 'CallbackCancelled':
      return { status: 'cancelled', closed_at: event.data.at };
    default:
      return undefined;
  }
};

const CALLBACKS: FoldedTable<NewCallbackRow> = {
  name: 'callbacks',
  key: 'callback_id',
  columns: {
    callback_id: 'value',
    contract_id: 'value',
    user_id: 'value',
    phone: 'value',
    topic: 'value',
    status: 'value',
    requested_at: 'value',
    closed_at: 'value',
    attempts: 'value',
    note: 'value',
    requested_position: 'value',
    revision: 'value',
  },
};

const stepOf = (recorded: RecordedEvent): RowStep<NewCallbackRow> | undefined => {
  const event = { type: recorded.type, data: recorded.data } as CallbackEvent;
  const key = event.data.callbackId;
  if (event.type === 'CallbackRequested') {
    const { data } = event;
    return {
      key,
      creates: {
        callback_id: data.callbackId,
        contract_id: data.contractId,
        user_id: data.userId,
        phone: data.phone,
        topic: data.topic,
        status: 'requested',
        requested_at: data.at,
        closed_at: null,
        attempts: null,
        note: null,
        requested_position: recorded.position,
        revision: recorded.revision,
      },
    };
  }
  const change = changeOf(event);
  if (!change) return undefined;
  return { key, changes: () => ({ ...change, revision: recorded.revision }) };
};

const applyAll = async (
  trx: Transaction<CallbacksDatabase>,
  events: readonly RecordedEvent[],
): Promise<void> =>
  foldIntoTable(
    trx as unknown as Transaction<unknown>,
    CALLBACKS,
    events.map(stepOf).filter((step) => step !== undefined),
  );

/** Every call-back request with its phone, topic and outcome: a contract's call-back list. */
export const callbacksProjection: Projection<CallbacksDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['callbacks'],
  apply: applyNewEvents(NAME, applyAll),
};
