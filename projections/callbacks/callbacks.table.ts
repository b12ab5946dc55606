import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CallbackStatus } from '@app/domain';
import type { InstantColumn, NullableInstantColumn } from '../shared';

/** One row per call-back request: a contract's "Nós ligamos para você" list. */
export interface CallbacksTable {
  callback_id: string;
  contract_id: string;
  /** The requester. */
  user_id: string;
  /** E.164. */
  phone: string;
  topic: string | null;
  status: Exclude<CallbackStatus, 'not_requested'>;
  requested_at: InstantColumn;
  /** When it was completed, given up as unreachable or cancelled. */
  closed_at: NullableInstantColumn;
  /** Calls nobody answered, for an unreachable request. */
  attempts: number | null;
  /** What staff wrote on the outcome. */
  note: string | null;
  /** Log position of the request: the key of the list, newest first. */
  requested_position: string;
  /** Revision of the last event applied to the row. */
  revision: number;
}

export type CallbackRow = Selectable<CallbacksTable>;
export type NewCallbackRow = Insertable<CallbacksTable>;
export type CallbackRowUpdate = Updateable<CallbacksTable>;

export interface CallbacksDatabase {
  callbacks: CallbacksTable;
}
