import fc from 'fast-check';
import { deciderSpecification } from '@app/testing';
import type { Actor } from '../shared/actor';
import { parsePhoneNumber } from '../value-objects/phone-number';
import type {
  CallbackCommand,
  CancelCallback,
  RecordCallbackOutcome,
  RequestCallback,
} from './callback.commands';
import { CALLBACK_TEXT_MAX_LENGTH } from './callback-text';
import { callbackDecider } from './callback.decider';
import type {
  CallbackCancelled,
  CallbackCompleted,
  CallbackEvent,
  CallbackMarkedUnreachable,
  CallbackRequested,
} from './callback.events';
import type { CallbackState } from './callback.state';
import { isCallbackClosed, isCallbackOpen } from './callback.state';
import { callbackStream } from './callback-stream';

const given = deciderSpecification(callbackDecider);
const fold = (events: readonly CallbackEvent[]): CallbackState =>
  events.reduce(callbackDecider.evolve, callbackDecider.initialState());

const requestedAt = '2026-03-02T12:00:00.000Z';
const later = '2026-03-02T15:00:00.000Z';
const mobile = parsePhoneNumber('+5511987654321');
const landline = parsePhoneNumber('+551133334444');
const reference = { callbackId: 'callback-1', contractId: 'contract-1', userId: 'user-1' };

const user = (userId: string): Actor => ({
  kind: 'user',
  userId,
  email: `${userId}@exemplo.com.br`,
  roles: ['customer'],
});
const asStaff: Actor = { kind: 'user', userId: 'staff-1', email: 'suporte@provedor.com', roles: ['support'] };
const asSystem: Actor = { kind: 'system', rule: 'test' };
const command = <C extends CallbackCommand>(type: C['type'], data: C['data'], actor: Actor, now = later): C =>
  ({ type, data, metadata: { now, actor } }) as C;

const requestCallback = (
  data: Partial<RequestCallback['data']> = {},
  actor = user('user-1'),
): RequestCallback =>
  command<RequestCallback>(
    'RequestCallback',
    {
      callbackId: 'callback-1',
      contractId: 'contract-1',
      phone: '(11) 98765-4321',
      topic: '  Migração de site ',
      ...data,
    },
    actor,
    requestedAt,
  );
const callbackRequested: CallbackRequested = {
  type: 'CallbackRequested',
  data: { ...reference, phone: mobile, topic: 'Migração de site', at: requestedAt },
};
const complete = (note?: string, actor: Actor = asStaff): RecordCallbackOutcome =>
  command<RecordCallbackOutcome>(
    'RecordCallbackOutcome',
    { outcome: 'completed', ...(note === undefined ? {} : { note }) },
    actor,
  );
const completed = (note: string | null = null): CallbackCompleted => ({
  type: 'CallbackCompleted',
  data: { ...reference, staffId: 'staff-1', note, at: later },
});
const unreachable = (attempts = 3, note?: string): RecordCallbackOutcome =>
  command<RecordCallbackOutcome>(
    'RecordCallbackOutcome',
    { outcome: 'unreachable', attempts, ...(note === undefined ? {} : { note }) },
    asStaff,
  );
const markedUnreachable = (attempts = 3, note: string | null = null): CallbackMarkedUnreachable => ({
  type: 'CallbackMarkedUnreachable',
  data: { ...reference, staffId: 'staff-1', attempts, note, at: later },
});
const cancel = (userId = 'user-1'): CancelCallback =>
  command<CancelCallback>('CancelCallback', {}, user(userId));
const cancelled: CallbackCancelled = { type: 'CallbackCancelled', data: { ...reference, at: later } };

const historyOf = {
  not_requested: [],
  requested: [callbackRequested],
  completed: [callbackRequested, completed()],
  unreachable: [callbackRequested, markedUnreachable()],
  cancelled: [callbackRequested, cancelled],
} satisfies Record<CallbackState['status'], readonly CallbackEvent[]>;

const details = { ...reference, phone: mobile, topic: 'Migração de site', requestedAt };

describe('callbackStream', () => {
  it('names the stream callback-<id>', () => {
    expect(callbackStream('7')).toBe('callback-7');
  });
});

describe('requesting a call-back', () => {
  it('records the request with the phone in E.164 and the trimmed topic', () => {
    given([]).when(requestCallback()).then([callbackRequested]);
    expect(fold([callbackRequested])).toEqual({ status: 'requested', ...details });
  });

  it('records a missing or blank topic as null', () => {
    const { topic: _omitted, ...withoutTopic } = requestCallback().data;
    const noTopic = { ...callbackRequested, data: { ...callbackRequested.data, topic: null } };
    given([])
      .when({ ...requestCallback(), data: withoutTopic })
      .then([noTopic]);
    given([])
      .when(requestCallback({ topic: '   ' }))
      .then([noTopic]);
  });

  it('accepts a topic of exactly the limit and refuses one character more', () => {
    const atLimit = 'a'.repeat(CALLBACK_TEXT_MAX_LENGTH);
    given([])
      .when(requestCallback({ topic: atLimit }))
      .then([{ ...callbackRequested, data: { ...callbackRequested.data, topic: atLimit } }]);
    const error = given([])
      .when(requestCallback({ topic: `${atLimit}a` }))
      .thenFails('VALIDATION_FAILED', { field: 'topic' });
    expect(error.message).toBe(`The topic must have at most ${CALLBACK_TEXT_MAX_LENGTH} characters.`);
  });

  it('refuses a phone that is not a Brazilian number', () => {
    given([])
      .when(requestCallback({ phone: '12345' }))
      .thenFails('VALIDATION_FAILED', { field: 'phone' });
  });

  it('leaves the contract’s phones and the one-open-request rule to the contract, which decided them', () => {
    given([])
      .when(requestCallback({ phone: landline }))
      .then([{ ...callbackRequested, data: { ...callbackRequested.data, phone: landline } }]);
  });

  it('is asked for by the logged-in user, who is its requester, never by the system', () => {
    const [event] = callbackDecider.decide(requestCallback({}, user('user-7')), fold([]));
    expect(event?.data.userId).toBe('user-7');
    const error = given([]).when(requestCallback({}, asSystem)).thenFails('FORBIDDEN');
    expect(error.message).toBe('A call-back is asked for by a logged-in user.');
  });

  it('refuses a blank call-back or contract id', () => {
    for (const field of ['callbackId', 'contractId'] as const) {
      given([])
        .when(requestCallback({ [field]: '' }))
        .thenFails('VALIDATION_FAILED', { field });
    }
  });

  it('refuses to request the same call-back twice', () => {
    const error = given([callbackRequested])
      .when(requestCallback())
      .thenFails('ALREADY_EXISTS', { callbackId: 'callback-1' });
    expect(error.message).toBe('This call-back request already exists.');
  });
});

describe('a call-back that was never requested', () => {
  it.each<CallbackCommand>([complete(), unreachable(), cancel()])(
    'refuses $type with NOT_FOUND',
    (command) => {
      const error = given([]).when(command).thenFails('NOT_FOUND');
      expect(error.message).toBe('This call-back request does not exist.');
    },
  );

  it('ignores outcomes without a request', () => {
    expect(fold([completed(), cancelled])).toEqual({ status: 'not_requested' });
  });
});

describe('recording the outcome', () => {
  it('completes the request', () => {
    given([callbackRequested]).when(complete()).then([completed()]);
    expect(fold([callbackRequested, completed('Resolvido')])).toEqual({
      status: 'completed',
      ...details,
      staffId: 'staff-1',
      note: 'Resolvido',
      completedAt: later,
    });
  });

  it('marks it unreachable with the number of attempts', () => {
    given([callbackRequested])
      .when(unreachable(2))
      .then([markedUnreachable(2)]);
    expect(fold([callbackRequested, markedUnreachable(2, 'Caixa postal')])).toEqual({
      status: 'unreachable',
      ...details,
      staffId: 'staff-1',
      attempts: 2,
      note: 'Caixa postal',
      closedAt: later,
    });
  });

  it('keeps a trimmed note, and none for a blank one', () => {
    given([callbackRequested])
      .when(complete(' Cliente atendido '))
      .then([completed('Cliente atendido')]);
    given([callbackRequested])
      .when(unreachable(1, ' Caixa postal '))
      .then([markedUnreachable(1, 'Caixa postal')]);
    given([callbackRequested])
      .when(complete('  '))
      .then([completed(null)]);
    given([callbackRequested])
      .when(complete('a'.repeat(CALLBACK_TEXT_MAX_LENGTH + 1)))
      .thenFails('VALIDATION_FAILED', { field: 'note' });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %p attempts', (attempts) => {
    const error = given([callbackRequested])
      .when(unreachable(attempts))
      .thenFails('VALIDATION_FAILED', { field: 'attempts' });
    expect(error.message).toBe('The attempts must be a whole number of at least 1.');
  });

  it('is recorded by staff only, who are named in the event', () => {
    for (const actor of [user('user-1'), asSystem]) {
      const error = given([callbackRequested]).when(complete(undefined, actor)).thenFails('FORBIDDEN');
      expect(error.message).toBe('Only staff record how a call-back went.');
    }
  });

  it('marks it unreachable without a count of attempts when staff did not give one', () => {
    given([callbackRequested])
      .when(command<RecordCallbackOutcome>('RecordCallbackOutcome', { outcome: 'unreachable' }, asStaff))
      .then([{ ...markedUnreachable(), data: { ...markedUnreachable().data, attempts: null } }]);
  });

  it('accepts a single attempt', () => {
    given([callbackRequested])
      .when(unreachable(1))
      .then([markedUnreachable(1)]);
  });

  it('refuses an unknown outcome', () => {
    const error = given([callbackRequested])
      .when(
        command<RecordCallbackOutcome>('RecordCallbackOutcome', { outcome: 'voicemail' } as never, asStaff),
      )
      .thenFails('VALIDATION_FAILED', { field: 'outcome' });
    expect(error.message).toBe('The outcome must be one of: completed, unreachable.');
  });
});

describe('cancelling', () => {
  it('the requester cancels an open request', () => {
    given([callbackRequested]).when(cancel()).then([cancelled]);
    expect(fold([callbackRequested, cancelled])).toEqual({
      status: 'cancelled',
      ...details,
      cancelledAt: later,
    });
  });

  it.each(['requested', 'completed', 'unreachable', 'cancelled'] as const)(
    'anyone else is forbidden to cancel a %s request',
    (status) => {
      const error = given(historyOf[status]).when(cancel('user-2')).thenFails('FORBIDDEN');
      expect(error.message).toBe('Only the user who asked for the call-back can cancel it.');
      given(historyOf[status])
        .when({ ...cancel(), metadata: { now: later, actor: asSystem } })
        .thenFails('FORBIDDEN');
    },
  );
});

describe('final states refuse every change', () => {
  it.each(
    (['completed', 'unreachable', 'cancelled'] as const).flatMap((status) =>
      [complete(), unreachable(), cancel()].map(
        (command) =>
          [
            status,
            command.type === 'RecordCallbackOutcome' ? command.data.outcome : 'cancel',
            command.type,
            command,
          ] as const,
      ),
    ),
  )('a %s request refuses %s', (status, _label, type, command) => {
    const error = given(historyOf[status])
      .when(command)
      .thenFails('INVALID_TRANSITION', { from: status, command: type });
    expect(error.message).toBe(`A ${status} call-back request can't take ${type}.`);
  });

  it.each(['completed', 'unreachable', 'cancelled'] as const)(
    'a %s request ignores later events',
    (status) => {
      const state = fold(historyOf[status]);
      expect(fold([...historyOf[status], completed(), markedUnreachable(), cancelled])).toEqual(state);
    },
  );
});

describe('isCallbackOpen', () => {
  it.each([
    ['not_requested', false],
    ['requested', true],
    ['completed', false],
    ['unreachable', false],
    ['cancelled', false],
  ] as const)('a %s request is open: %p', (status, open) => {
    expect(isCallbackOpen(fold(historyOf[status]))).toBe(open);
  });
});

describe('isCallbackClosed', () => {
  it.each([
    ['not_requested', false],
    ['requested', false],
    ['completed', true],
    ['unreachable', true],
    ['cancelled', true],
  ] as const)('a %s request is closed: %p', (status, closed) => {
    expect(isCallbackClosed(fold(historyOf[status]))).toBe(closed);
  });
});

describe('evolve', () => {
  it('ignores events it does not know', () => {
    const state = fold([callbackRequested]);
    expect(callbackDecider.evolve(state, { type: 'CallbackRescheduled', data: {} } as never)).toBe(state);
  });
});

describe('decide', () => {
  it('fails loudly on a command type it was never written for', () => {
    expect(() =>
      callbackDecider.decide(command('RescheduleCallback' as never, {}, asStaff), fold([callbackRequested])),
    ).toThrow('Unhandled case');
  });
});

describe('invariants', () => {
  const commandArb: fc.Arbitrary<CallbackCommand> = fc.oneof(
    fc.constant(requestCallback()),
    fc.constant(complete()),
    fc.integer({ min: 1, max: 9 }).map((attempts) => unreachable(attempts)),
    fc.constantFrom('user-1', 'user-2').map((userId) => cancel(userId)),
  );

  it('once it leaves Requested, nothing more is accepted', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 20 }), (commands) => {
        let state = fold([]);
        let accepted = 0;
        for (const command of commands) {
          const before = state;
          try {
            const events = callbackDecider.decide(command, state);
            state = events.reduce(callbackDecider.evolve, state);
            accepted += 1;
          } catch {
            continue;
          }
          expect(['not_requested', 'requested']).toContain(before.status);
        }
        expect(accepted).toBeLessThanOrEqual(2);
      }),
    );
  });
});
