import type { Transaction } from 'kysely';
import type { CallbackEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type { CallbackRowUpdate, CallbacksDatabase } from './callbacks.table';

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

const applyOne = async (trx: Transaction<CallbacksDatabase>, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as CallbackEvent;
  if (event.type === 'CallbackRequested') {
    const { data } = event;
    await trx
      .insertInto('callbacks')
      .values({
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
      })
      .execute();
    return;
  }
  const change = changeOf(event);
  if (!change) return;
  await trx
    .updateTable('callbacks')
    .set({ ...change, revision: recorded.revision })
    .where('callback_id', '=', event.data.callbackId)
    .execute();
};

/** Every call-back request with its phone, topic and outcome: a contract's call-back list. */
export const callbacksProjection: Projection<CallbacksDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['callbacks'],
  apply: applyEachNewEvent(NAME, applyOne),
};
