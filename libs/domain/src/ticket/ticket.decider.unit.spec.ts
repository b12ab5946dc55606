import fc from 'fast-check';
import { deciderSpecification } from '@app/testing';
import { type Actor, isStaff } from '../shared/actor';
import type {
  CloseIdleTicket,
  CloseTicket,
  OpenTicket,
  ReplyToTicket,
  SetTicketStatus,
  TicketCommand,
} from './ticket.commands';
import {
  isIdleCloseDue,
  TICKET_IDLE_CLOSE_AFTER_MS,
  TICKET_MESSAGE_MAX_LENGTH,
  TICKET_SUBJECT_MAX_LENGTH,
  ticketDecider,
} from './ticket.decider';
import type {
  TicketAuthor,
  TicketClosed,
  TicketEvent,
  TicketOpened,
  TicketReference,
  TicketReopened,
  TicketReplied,
  TicketStatusChanged,
} from './ticket.events';
import type { TicketState } from './ticket.state';
import { ticketStream } from './ticket-stream';

const given = deciderSpecification(ticketDecider);
const fold = (events: readonly TicketEvent[]): TicketState =>
  events.reduce(ticketDecider.evolve, ticketDecider.initialState());

const openedAt = '2026-03-02T12:00:00.000Z';
const later = '2026-03-02T13:00:00.000Z';
const reference: TicketReference = {
  ticketId: 'ticket-1',
  contractId: 'contract-1',
  subject: 'Site fora do ar',
  department: 'technical',
  openedBy: { userId: 'user-1', email: 'ana@example.com' },
};
const customer = { kind: 'customer', userId: 'user-2' } as const;
const staff = { kind: 'staff', staffId: 'staff-1' } as const;
const asOpener: Actor = { kind: 'user', userId: 'user-1', email: 'ana@example.com', roles: ['customer'] };
const asCustomer: Actor = { kind: 'user', userId: 'user-2', email: 'bia@example.com', roles: ['customer'] };
const asStaff: Actor = { kind: 'user', userId: 'staff-1', email: 'suporte@provedor.com', roles: ['support'] };
const asSystem: Actor = { kind: 'system', rule: 'close-idle-tickets' };
const actorOf = (author: TicketAuthor): Actor => (author.kind === 'staff' ? asStaff : asCustomer);
const command = <C extends TicketCommand>(type: C['type'], data: C['data'], actor: Actor, now = later): C =>
  ({ type, data, metadata: { now, actor } }) as C;

const openTicket = (data: Partial<OpenTicket['data']> = {}, actor: Actor = asOpener): OpenTicket =>
  command<OpenTicket>(
    'OpenTicket',
    {
      ticketId: 'ticket-1',
      contractId: 'contract-1',
      subject: '  Site fora do ar ',
      department: 'technical',
      priority: 'high',
      serviceId: 'service-1',
      serviceContractId: 'contract-1',
      message: ' O site não abre desde ontem. ',
      ...data,
    },
    actor,
    openedAt,
  );
const ticketOpened: TicketOpened = {
  type: 'TicketOpened',
  data: {
    ...reference,
    priority: 'high',
    serviceId: 'service-1',
    message: 'O site não abre desde ontem.',
    at: openedAt,
  },
};
const reply = (author: TicketAuthor, messageId = 'message-2', at = later): ReplyToTicket =>
  command<ReplyToTicket>('ReplyToTicket', { messageId, message: ' Olá ' }, actorOf(author), at);
const replied = (
  author: TicketReplied['data']['author'],
  messageId = 'message-2',
  at = later,
): TicketReplied => ({
  type: 'TicketReplied',
  data: { ...reference, messageId, author, message: 'Olá', at },
});
const setStatus = (status: SetTicketStatus['data']['status'], actor: Actor = asStaff): SetTicketStatus =>
  command<SetTicketStatus>('SetTicketStatus', { status }, actor);
const statusChanged = (status: TicketStatusChanged['data']['status']): TicketStatusChanged => ({
  type: 'TicketStatusChanged',
  data: { ...reference, status, staffId: 'staff-1', at: later },
});
const closers = { customer: asCustomer, staff: asStaff, system: asSystem } as const;
const closeTicket = (by: keyof typeof closers = 'customer'): CloseTicket =>
  command<CloseTicket>('CloseTicket', {}, closers[by]);
const closed = (
  by: TicketClosed['data']['by'] = 'customer',
  reason: TicketClosed['data']['reason'] = 'requested',
) => ({ type: 'TicketClosed', data: { ...reference, by, reason, at: later } }) satisfies TicketClosed;
const closeIdle = (at: string): CloseIdleTicket =>
  command<CloseIdleTicket>('CloseIdleTicket', {}, asSystem, at);

/** The shortest history that leaves the ticket in each status. */
const historyOf = {
  not_opened: [],
  open: [ticketOpened],
  answered: [ticketOpened, replied(staff)],
  customer_reply: [ticketOpened, replied(customer)],
  in_progress: [ticketOpened, statusChanged('in_progress')],
  on_hold: [ticketOpened, statusChanged('on_hold')],
  closed: [ticketOpened, closed()],
} satisfies Record<TicketState['status'], readonly TicketEvent[]>;

describe('ticketStream', () => {
  it('names the stream ticket-<id>', () => {
    expect(ticketStream('42')).toBe('ticket-42');
  });
});

describe('opening a ticket', () => {
  it('opens it with the trimmed subject and first message', () => {
    given([]).when(openTicket()).then([ticketOpened]);
  });

  it('names a service of its own contract only, and another contract’s as no such service', () => {
    for (const serviceContractId of ['contract-2', null, undefined]) {
      const error = given([])
        .when(openTicket({ serviceContractId }))
        .thenFails('NOT_FOUND', { serviceId: 'service-1' });
      expect(error.message).toBe('There is no such service on this contract.');
    }
  });

  it('records a missing related service as null', () => {
    const { serviceId: _omitted, serviceContractId: _none, ...withoutService } = openTicket().data;
    given([])
      .when({ ...openTicket(), data: withoutService })
      .then([{ ...ticketOpened, data: { ...ticketOpened.data, serviceId: null } }]);
  });

  it.each(['subject', 'message'] as const)('refuses a blank %s', (field) => {
    const error = given([])
      .when(openTicket({ [field]: ' \n ' }))
      .thenFails('VALIDATION_FAILED', { field });
    expect(error.message).toBe(`The ${field} must not be empty.`);
  });

  it.each([
    ['subject', TICKET_SUBJECT_MAX_LENGTH],
    ['message', TICKET_MESSAGE_MAX_LENGTH],
  ] as const)('accepts a %s of exactly the limit and refuses one character more', (field, max) => {
    const atLimit = ` ${'a'.repeat(max)} `;
    const [event] = ticketDecider.decide(openTicket({ [field]: atLimit }), fold([]));
    expect(event?.type === 'TicketOpened' && event.data[field]).toBe('a'.repeat(max));
    const error = given([])
      .when(openTicket({ [field]: 'a'.repeat(max + 1) }))
      .thenFails('VALIDATION_FAILED', { field });
    expect(error.message).toBe(`The ${field} must have at most ${max} characters.`);
  });

  it('refuses an unknown department or priority', () => {
    const department = given([])
      .when(openTicket({ department: 'legal' as never }))
      .thenFails('VALIDATION_FAILED', { field: 'department' });
    expect(department.message).toBe('The department must be one of: technical, billing, sales.');
    given([])
      .when(openTicket({ priority: 'urgent' as never }))
      .thenFails('VALIDATION_FAILED', { field: 'priority' });
  });

  it.each(['technical', 'billing', 'sales'] as const)('accepts the %s department', (department) => {
    expect(ticketDecider.decide(openTicket({ department }), fold([]))).toHaveLength(1);
  });

  it.each(['low', 'medium', 'high'] as const)('accepts %s priority', (priority) => {
    expect(ticketDecider.decide(openTicket({ priority }), fold([]))).toHaveLength(1);
  });

  it('is opened by the logged-in user, who is its opener, and never by the system', () => {
    const [event] = ticketDecider.decide(openTicket({}, asCustomer), fold([]));
    expect(event?.data.openedBy).toEqual({ userId: 'user-2', email: 'bia@example.com' });
    const error = given([]).when(openTicket({}, asSystem)).thenFails('FORBIDDEN');
    expect(error.message).toBe('A ticket is opened by a logged-in user.');
  });

  it('refuses a blank ticket, contract or service id, and an opener whose e-mail is not an address', () => {
    for (const field of ['ticketId', 'contractId', 'serviceId'] as const) {
      given([])
        .when(openTicket({ [field]: ' ' }))
        .thenFails('VALIDATION_FAILED', { field });
    }
    given([])
      .when(openTicket({}, { ...asOpener, email: 'ana' }))
      .thenFails('VALIDATION_FAILED', { field: 'email' });
  });

  it('refuses to open a ticket twice', () => {
    const error = given([ticketOpened])
      .when(openTicket())
      .thenFails('ALREADY_EXISTS', { ticketId: 'ticket-1' });
    expect(error.message).toBe('This ticket already exists.');
  });

  it('keeps the opener, department and details in the state', () => {
    expect(fold([ticketOpened])).toEqual({
      status: 'open',
      ...reference,
      priority: 'high',
      serviceId: 'service-1',
      openedAt,
      messageIds: ['ticket-1'],
    });
  });
});

describe('a ticket that was never opened', () => {
  it.each<TicketCommand>([reply(customer), setStatus('on_hold'), closeTicket(), closeIdle(later)])(
    'refuses $type with NOT_FOUND',
    (command) => {
      const error = given([]).when(command).thenFails('NOT_FOUND');
      expect(error.message).toBe('This ticket does not exist.');
    },
  );

  it('ignores events that come before the opening', () => {
    expect(fold([replied(staff), closed()])).toEqual({ status: 'not_opened' });
  });
});

describe('replying', () => {
  it('a staff reply makes the ticket Answered', () => {
    given([ticketOpened])
      .when(reply(staff))
      .then([replied(staff)]);
    expect(fold([ticketOpened, replied(staff)])).toMatchObject({ status: 'answered', answeredAt: later });
  });

  it('a customer reply makes the ticket Customer-Reply', () => {
    given([ticketOpened, replied(staff)])
      .when(reply(customer, 'message-3'))
      .then([replied(customer, 'message-3')]);
    expect(fold([ticketOpened, replied(staff), replied(customer, 'message-3')])).toEqual({
      status: 'customer_reply',
      ...reference,
      priority: 'high',
      serviceId: 'service-1',
      openedAt,
      messageIds: ['ticket-1', 'message-2', 'message-3'],
    });
  });

  it.each(['open', 'answered', 'customer_reply', 'in_progress', 'on_hold'] as const)(
    'staff and customers may reply to a %s ticket',
    (status) => {
      given(historyOf[status])
        .when(reply(staff, 'new'))
        .then([replied(staff, 'new')]);
      given(historyOf[status])
        .when(reply(customer, 'new'))
        .then([replied(customer, 'new')]);
    },
  );

  it('a customer reply to a closed ticket reopens it, then adds the message', () => {
    const reopened: TicketReopened = {
      type: 'TicketReopened',
      data: { ...reference, by: { kind: 'customer', userId: 'user-2' }, at: later },
    };
    given(historyOf.closed)
      .when(reply(customer))
      .then([reopened, replied(customer)]);
    expect(fold([...historyOf.closed, reopened])).toMatchObject({ status: 'open' });
    expect(fold([...historyOf.closed, reopened, replied(customer)])).toMatchObject({
      status: 'customer_reply',
    });
  });

  it('takes the author from the actor: staff by their role, and never the system', () => {
    const supportCustomer: Actor = { ...asCustomer, roles: ['customer', 'support'] };
    given([ticketOpened])
      .when({ ...reply(customer), metadata: { now: later, actor: supportCustomer } })
      .then([replied({ kind: 'staff', staffId: 'user-2' })]);
    const error = given([ticketOpened])
      .when({ ...reply(customer), metadata: { now: later, actor: asSystem } })
      .thenFails('FORBIDDEN');
    expect(error.message).toBe('A ticket message is written by a logged-in user.');
  });

  it('refuses a staff reply to a closed ticket', () => {
    const error = given(historyOf.closed)
      .when(reply(staff))
      .thenFails('INVALID_TRANSITION', { from: 'closed', command: 'ReplyToTicket' });
    expect(error.message).toBe("Staff can't reply to a closed ticket.");
  });

  it('a repeated message id changes nothing, even once the ticket has moved on', () => {
    given([ticketOpened, replied(staff)])
      .when(reply(staff))
      .thenNothingHappens();
    given([ticketOpened, replied(customer), closed()])
      .when(reply(customer))
      .thenNothingHappens();
    given([ticketOpened]).when(reply(customer, 'ticket-1')).thenNothingHappens();
  });

  it('refuses a blank message id', () => {
    given([ticketOpened]).when(reply(customer, '')).thenFails('VALIDATION_FAILED', { field: 'messageId' });
  });

  it('refuses a blank or too long message', () => {
    given([ticketOpened])
      .when({ ...reply(staff), data: { ...reply(staff).data, message: '   ' } })
      .thenFails('VALIDATION_FAILED', { field: 'message' });
    given([ticketOpened])
      .when({
        ...reply(staff),
        data: { ...reply(staff).data, message: 'a'.repeat(TICKET_MESSAGE_MAX_LENGTH + 1) },
      })
      .thenFails('VALIDATION_FAILED', { field: 'message' });
  });
});

describe('staff setting a status', () => {
  it.each(['open', 'answered', 'customer_reply', 'in_progress', 'on_hold'] as const)(
    'staff may set a %s ticket In Progress or On Hold',
    (status) => {
      for (const target of ['in_progress', 'on_hold'] as const) {
        if (target === status) continue;
        given(historyOf[status])
          .when(setStatus(target))
          .then([statusChanged(target)]);
        expect(fold([...historyOf[status], statusChanged(target)])).toMatchObject({ status: target });
      }
    },
  );

  it.each(['in_progress', 'on_hold'] as const)('setting %s again changes nothing', (status) => {
    given(historyOf[status]).when(setStatus(status)).thenNothingHappens();
  });

  it('refuses to change the status of a closed ticket', () => {
    const error = given(historyOf.closed)
      .when(setStatus('in_progress'))
      .thenFails('INVALID_TRANSITION', { from: 'closed', command: 'SetTicketStatus' });
    expect(error.message).toBe("A closed ticket can't take SetTicketStatus.");
  });

  it('is refused to customers and to the system', () => {
    for (const actor of [asCustomer, asOpener, asSystem]) {
      const error = given([ticketOpened]).when(setStatus('on_hold', actor)).thenFails('FORBIDDEN');
      expect(error.message).toBe('Only staff set a ticket In Progress or On Hold.');
    }
  });

  it('refuses a status staff may not set by hand', () => {
    const error = given([ticketOpened])
      .when(setStatus('answered' as never))
      .thenFails('VALIDATION_FAILED', { field: 'status' });
    expect(error.message).toBe('The status must be one of: in_progress, on_hold.');
  });
});

describe('closing', () => {
  it.each(['open', 'answered', 'customer_reply', 'in_progress', 'on_hold'] as const)(
    'a %s ticket can be closed by the customer, staff or the system',
    (status) => {
      for (const by of ['customer', 'staff', 'system'] as const) {
        given(historyOf[status])
          .when(closeTicket(by))
          .then([closed(by)]);
      }
    },
  );

  it('keeps who closed it, when and why', () => {
    expect(fold([ticketOpened, replied(staff), closed('staff')])).toEqual({
      status: 'closed',
      ...reference,
      priority: 'high',
      serviceId: 'service-1',
      openedAt,
      messageIds: ['ticket-1', 'message-2'],
      closedAt: later,
      closedBy: 'staff',
      closeReason: 'requested',
    });
  });

  it('closing a closed ticket changes nothing', () => {
    given(historyOf.closed).when(closeTicket('staff')).thenNothingHappens();
  });
});

describe('closing idle tickets (billing clock)', () => {
  const answeredAt = later;
  const plus = (ms: number): string => new Date(Date.parse(answeredAt) + ms).toISOString();
  const answered = [ticketOpened, replied(staff, 'message-2', answeredAt)];

  it('closes an Answered ticket 72 hours after the answer', () => {
    given(answered)
      .when(closeIdle(plus(TICKET_IDLE_CLOSE_AFTER_MS)))
      .then([
        {
          type: 'TicketClosed',
          data: { ...reference, by: 'system', reason: 'idle', at: plus(TICKET_IDLE_CLOSE_AFTER_MS) },
        },
      ]);
    expect(TICKET_IDLE_CLOSE_AFTER_MS).toBe(259_200_000);
  });

  it('leaves it alone one millisecond before', () => {
    given(answered)
      .when(closeIdle(plus(TICKET_IDLE_CLOSE_AFTER_MS - 1)))
      .thenNothingHappens();
  });

  it('counts from the latest staff answer', () => {
    const answeredAgain = [...answered, replied(staff, 'message-3', plus(TICKET_IDLE_CLOSE_AFTER_MS))];
    given(answeredAgain)
      .when(closeIdle(plus(TICKET_IDLE_CLOSE_AFTER_MS)))
      .thenNothingHappens();
    expect(isIdleCloseDue(fold(answeredAgain), plus(2 * TICKET_IDLE_CLOSE_AFTER_MS))).toBe(true);
  });

  it.each(['open', 'customer_reply', 'in_progress', 'on_hold', 'closed'] as const)(
    'leaves a %s ticket alone, however old',
    (status) => {
      given(historyOf[status]).when(closeIdle('2030-01-01T00:00:00.000Z')).thenNothingHappens();
      expect(isIdleCloseDue(fold(historyOf[status]), '2030-01-01T00:00:00.000Z')).toBe(false);
    },
  );

  it('isIdleCloseDue is false for a ticket never opened and for an unreadable instant', () => {
    expect(isIdleCloseDue(fold([]), '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(isIdleCloseDue(fold(answered), 'not an instant')).toBe(false);
  });

  it('isIdleCloseDue looks at the status, not only at the time of the last answer', () => {
    const answeredState = fold(answered);
    const onHoldSinceAnswer = { ...answeredState, status: 'on_hold' } as TicketState;
    expect(isIdleCloseDue(onHoldSinceAnswer, '2030-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('evolve', () => {
  it('ignores events it does not know', () => {
    const state = fold([ticketOpened]);
    expect(ticketDecider.evolve(state, { type: 'TicketArchived', data: {} } as never)).toBe(state);
  });
});

describe('decide', () => {
  it('fails loudly on a command type it was never written for', () => {
    expect(() =>
      ticketDecider.decide(command('ArchiveTicket' as never, {}, asStaff), fold([ticketOpened])),
    ).toThrow('Unhandled case');
  });
});

describe('invariants', () => {
  const authorArb = fc.constantFrom(staff, customer);
  const commandArb: fc.Arbitrary<TicketCommand> = fc.oneof(
    fc.constant(openTicket()),
    fc.tuple(authorArb, fc.constantFrom('m1', 'm2', 'm3')).map(([author, id]) => reply(author, id)),
    fc.constantFrom('in_progress', 'on_hold' as const).map((status) => setStatus(status)),
    fc.constantFrom('customer', 'staff', 'system' as const).map((by) => closeTicket(by)),
    fc.constantFrom(closeIdle(later), closeIdle('2030-01-01T00:00:00.000Z')),
  );

  /** Runs commands in order, skipping refused ones, and returns each accepted command with its events. */
  const run = (commands: readonly TicketCommand[]) => {
    let state = fold([]);
    const steps: { before: TicketState; command: TicketCommand; events: readonly TicketEvent[] }[] = [];
    for (const command of commands) {
      let events: readonly TicketEvent[];
      try {
        events = ticketDecider.decide(command, state);
      } catch {
        continue;
      }
      steps.push({ before: state, command, events });
      state = events.reduce(ticketDecider.evolve, state);
    }
    return steps;
  };

  it('a closed ticket only leaves closed through a customer reply', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), (commands) => {
        for (const { before, command, events } of run(commands)) {
          if (before.status !== 'closed' || events.length === 0) continue;
          expect(command.type).toBe('ReplyToTicket');
          expect(isStaff(command.metadata.actor)).toBe(false);
          expect(events.map((event) => event.type)).toEqual(['TicketReopened', 'TicketReplied']);
        }
      }),
    );
  });

  it('every event names the ticket, its contract, department and opener', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), (commands) => {
        for (const { events } of run(commands)) {
          for (const event of events) expect(event.data).toMatchObject(reference);
        }
      }),
    );
  });

  it('deciding again on the resulting state never repeats a message', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), (commands) => {
        const replies = run(commands).flatMap(({ events }) =>
          events.filter((event) => event.type === 'TicketReplied'),
        );
        const ids = replies.map((event) => (event.type === 'TicketReplied' ? event.data.messageId : ''));
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
