import fc from 'fast-check';
import { deciderSpecification } from '@app/testing';
import type { Actor } from '../shared/actor';
import type {
  InstanceCommand,
  OpenIncident,
  PostIncidentUpdate,
  RegisterInstance,
  ResolveIncident,
} from './instance.commands';
import { INCIDENT_MESSAGE_MAX_LENGTH, INSTANCE_LABEL_MAX_LENGTH, instanceDecider } from './instance.decider';
import type {
  IncidentImpact,
  IncidentOpened,
  IncidentResolved,
  IncidentUpdated,
  InstanceEvent,
  InstanceRegistered,
} from './instance.events';
import type { InstanceState, RegisteredInstance } from './instance.state';
import { instanceStatus } from './instance.state';
import { instanceStream } from './instance-stream';

const given = deciderSpecification(instanceDecider);
const fold = (events: readonly InstanceEvent[]): InstanceState =>
  events.reduce(instanceDecider.evolve, instanceDecider.initialState());
const registeredAfter = (events: readonly InstanceEvent[]): RegisteredInstance => {
  const state = fold(events);
  if (state.status !== 'registered') throw new Error('expected a registered instance');
  return state;
};

const t0 = '2026-03-02T12:00:00.000Z';
const t1 = '2026-03-02T12:10:00.000Z';
const t2 = '2026-03-02T12:20:00.000Z';

const asAdmin: Actor = { kind: 'user', userId: 'u-admin', email: 'admin@provedor.com', roles: ['admin'] };
const command = <C extends InstanceCommand>(type: C['type'], data: C['data'], now: string): C =>
  ({ type, data, metadata: { now, actor: asAdmin } }) as C;

const registerInstance = (data: Partial<RegisterInstance['data']> = {}): RegisterInstance =>
  command<RegisterInstance>(
    'RegisterInstance',
    { instanceId: 'srv-1', name: ' web01 ', kind: 'shared', datacenter: ' São Paulo 1 ', ...data },
    t0,
  );
const registered: InstanceRegistered = {
  type: 'InstanceRegistered',
  data: { instanceId: 'srv-1', name: 'web01', kind: 'shared', datacenter: 'São Paulo 1', at: t0 },
};
const openIncident = (
  incidentId = 'inc-1',
  impact: IncidentImpact = 'degraded',
  title = ' Lentidão ',
): OpenIncident => command<OpenIncident>('OpenIncident', { incidentId, title, impact }, t1);
const incidentOpened = (incidentId = 'inc-1', impact: IncidentImpact = 'degraded'): IncidentOpened => ({
  type: 'IncidentOpened',
  data: { instanceId: 'srv-1', incidentId, title: 'Lentidão', impact, at: t1 },
});
const postUpdate = (
  incidentId = 'inc-1',
  impact?: IncidentImpact,
  message = ' Investigando ',
): PostIncidentUpdate =>
  command<PostIncidentUpdate>(
    'PostIncidentUpdate',
    { incidentId, message, ...(impact ? { impact } : {}) },
    t2,
  );
const incidentUpdated = (incidentId = 'inc-1', impact: IncidentImpact = 'degraded'): IncidentUpdated => ({
  type: 'IncidentUpdated',
  data: { instanceId: 'srv-1', incidentId, title: 'Lentidão', message: 'Investigando', impact, at: t2 },
});
const resolveIncident = (incidentId = 'inc-1', message?: string): ResolveIncident =>
  command<ResolveIncident>(
    'ResolveIncident',
    { incidentId, ...(message === undefined ? {} : { message }) },
    t2,
  );
const incidentResolved = (incidentId = 'inc-1', message: string | null = null): IncidentResolved => ({
  type: 'IncidentResolved',
  data: { instanceId: 'srv-1', incidentId, title: 'Lentidão', message, at: t2 },
});

describe('instanceStream', () => {
  it('names the stream instance-<id>', () => {
    expect(instanceStream('srv-1')).toBe('instance-srv-1');
  });
});

describe('registering an instance', () => {
  it('refuses a blank instance id', () => {
    given([])
      .when(registerInstance({ instanceId: '' }))
      .thenFails('VALIDATION_FAILED', { field: 'instanceId' });
  });

  it('registers it with trimmed name and datacenter, operational and without incidents', () => {
    given([]).when(registerInstance()).then([registered]);
    const state = registeredAfter([registered]);
    expect(state).toEqual({
      status: 'registered',
      instanceId: 'srv-1',
      name: 'web01',
      kind: 'shared',
      datacenter: 'São Paulo 1',
      registeredAt: t0,
      openIncidents: [],
      resolvedIncidents: [],
    });
    expect(instanceStatus(state)).toBe('operational');
  });

  it.each(['shared', 'cloud', 'dedicated'] as const)('accepts a %s instance', (kind) => {
    given([])
      .when(registerInstance({ kind }))
      .then([{ ...registered, data: { ...registered.data, kind } }]);
  });

  it('refuses an unknown kind', () => {
    const error = given([])
      .when(registerInstance({ kind: 'vps' as never }))
      .thenFails('VALIDATION_FAILED', { field: 'kind' });
    expect(error.message).toBe('The kind must be one of: shared, cloud, dedicated.');
  });

  it.each(['name', 'datacenter'] as const)('refuses a blank %s, and one over the limit', (field) => {
    const blank = given([])
      .when(registerInstance({ [field]: '  ' }))
      .thenFails('VALIDATION_FAILED', { field });
    expect(blank.message).toBe(`The ${field} must not be empty.`);
    const long = given([])
      .when(registerInstance({ [field]: 'a'.repeat(INSTANCE_LABEL_MAX_LENGTH + 1) }))
      .thenFails('VALIDATION_FAILED', { field });
    expect(long.message).toBe(`The ${field} must have at most ${INSTANCE_LABEL_MAX_LENGTH} characters.`);
    given([])
      .when(registerInstance({ [field]: 'a'.repeat(INSTANCE_LABEL_MAX_LENGTH) }))
      .then([
        { ...registered, data: { ...registered.data, [field]: 'a'.repeat(INSTANCE_LABEL_MAX_LENGTH) } },
      ]);
  });

  it('refuses to register it twice', () => {
    const error = given([registered])
      .when(registerInstance())
      .thenFails('ALREADY_EXISTS', { instanceId: 'srv-1' });
    expect(error.message).toBe('This instance is already registered.');
  });
});

describe('an instance that was never registered', () => {
  it.each<InstanceCommand>([openIncident(), postUpdate(), resolveIncident()])(
    'refuses $type with NOT_FOUND',
    (command) => {
      const error = given([]).when(command).thenFails('NOT_FOUND');
      expect(error.message).toBe('This instance does not exist.');
    },
  );

  it('ignores incident events before the registration', () => {
    expect(fold([incidentOpened(), incidentResolved()])).toEqual({ status: 'unregistered' });
  });
});

describe('opening an incident', () => {
  it('refuses a blank incident id', () => {
    given([registered]).when(openIncident(' ')).thenFails('VALIDATION_FAILED', { field: 'incidentId' });
  });

  it('opens it with the trimmed title', () => {
    given([registered]).when(openIncident()).then([incidentOpened()]);
    expect(registeredAfter([registered, incidentOpened()]).openIncidents).toEqual([
      { incidentId: 'inc-1', title: 'Lentidão', impact: 'degraded', openedAt: t1, updates: [] },
    ]);
  });

  it('a degraded incident makes the instance Degraded, an outage makes it Outage', () => {
    expect(instanceStatus(registeredAfter([registered, incidentOpened('inc-1', 'degraded')]))).toBe(
      'degraded',
    );
    expect(instanceStatus(registeredAfter([registered, incidentOpened('inc-1', 'outage')]))).toBe('outage');
    expect(
      instanceStatus(
        registeredAfter([registered, incidentOpened('inc-1', 'outage'), incidentOpened('inc-2', 'degraded')]),
      ),
    ).toBe('outage');
    expect(
      instanceStatus(
        registeredAfter([registered, incidentOpened('inc-1', 'degraded'), incidentOpened('inc-2', 'outage')]),
      ),
    ).toBe('outage');
  });

  it('opening an incident id again changes nothing, open or resolved', () => {
    given([registered, incidentOpened()]).when(openIncident()).thenNothingHappens();
    given([registered, incidentOpened(), incidentResolved()]).when(openIncident()).thenNothingHappens();
  });

  it('refuses a blank or too long title and an unknown impact', () => {
    given([registered])
      .when(openIncident('inc-1', 'degraded', ' '))
      .thenFails('VALIDATION_FAILED', { field: 'title' });
    given([registered])
      .when(openIncident('inc-1', 'degraded', 'a'.repeat(INSTANCE_LABEL_MAX_LENGTH + 1)))
      .thenFails('VALIDATION_FAILED', { field: 'title' });
    const error = given([registered])
      .when(openIncident('inc-1', 'down' as never))
      .thenFails('VALIDATION_FAILED', { field: 'impact' });
    expect(error.message).toBe('The impact must be one of: degraded, outage.');
  });
});

describe('updating an incident', () => {
  it('posts the message and keeps the impact when none is given', () => {
    given([registered, incidentOpened('inc-1', 'outage')])
      .when(postUpdate())
      .then([incidentUpdated('inc-1', 'outage')]);
  });

  it('changes the impact when one is given, and the instance status with it', () => {
    given([registered, incidentOpened('inc-1', 'degraded')])
      .when(postUpdate('inc-1', 'outage'))
      .then([incidentUpdated('inc-1', 'outage')]);
    const state = registeredAfter([
      registered,
      incidentOpened('inc-1', 'outage'),
      incidentOpened('inc-2', 'degraded'),
      incidentUpdated('inc-1', 'degraded'),
    ]);
    expect(instanceStatus(state)).toBe('degraded');
    expect(state.openIncidents).toEqual([
      {
        incidentId: 'inc-1',
        title: 'Lentidão',
        impact: 'degraded',
        openedAt: t1,
        updates: [{ message: 'Investigando', impact: 'degraded', at: t2 }],
      },
      { incidentId: 'inc-2', title: 'Lentidão', impact: 'degraded', openedAt: t1, updates: [] },
    ]);
  });

  it('refuses an unknown incident with NOT_FOUND', () => {
    const error = given([registered, incidentOpened()])
      .when(postUpdate('inc-9'))
      .thenFails('NOT_FOUND', { incidentId: 'inc-9' });
    expect(error.message).toBe('This incident does not exist on this instance.');
  });

  it('refuses an update to a resolved incident', () => {
    const error = given([registered, incidentOpened(), incidentResolved()])
      .when(postUpdate())
      .thenFails('INVALID_TRANSITION', { from: 'resolved', command: 'PostIncidentUpdate' });
    expect(error.message).toBe('A resolved incident takes no more updates.');
  });

  it('refuses a blank or too long message and an unknown impact', () => {
    given([registered, incidentOpened()])
      .when(postUpdate('inc-1', undefined, '  '))
      .thenFails('VALIDATION_FAILED', { field: 'message' });
    given([registered, incidentOpened()])
      .when(postUpdate('inc-1', undefined, 'a'.repeat(INCIDENT_MESSAGE_MAX_LENGTH + 1)))
      .thenFails('VALIDATION_FAILED', { field: 'message' });
    given([registered, incidentOpened()])
      .when(postUpdate('inc-1', undefined, 'a'.repeat(INCIDENT_MESSAGE_MAX_LENGTH)))
      .then([
        {
          ...incidentUpdated(),
          data: { ...incidentUpdated().data, message: 'a'.repeat(INCIDENT_MESSAGE_MAX_LENGTH) },
        },
      ]);
    given([registered, incidentOpened()])
      .when(postUpdate('inc-1', 'gone' as never))
      .thenFails('VALIDATION_FAILED', { field: 'impact' });
  });
});

describe('resolving an incident', () => {
  it('resolves it and keeps it in the history', () => {
    given([registered, incidentOpened()]).when(resolveIncident()).then([incidentResolved()]);
    const state = registeredAfter([
      registered,
      incidentOpened('inc-1', 'outage'),
      incidentOpened('inc-2', 'degraded'),
      incidentUpdated('inc-1', 'outage'),
      incidentResolved('inc-1'),
    ]);
    expect(instanceStatus(state)).toBe('degraded');
    expect(state.openIncidents.map((incident) => incident.incidentId)).toEqual(['inc-2']);
    expect(state.resolvedIncidents).toEqual([
      {
        incidentId: 'inc-1',
        title: 'Lentidão',
        impact: 'outage',
        openedAt: t1,
        updates: [{ message: 'Investigando', impact: 'outage', at: t2 }],
        resolvedAt: t2,
        resolutionMessage: null,
      },
    ]);
    expect(instanceStatus(registeredAfter([registered, incidentOpened(), incidentResolved()]))).toBe(
      'operational',
    );
  });

  it('keeps what the admin said on resolving it, trimmed, and none for a blank message', () => {
    given([registered, incidentOpened()])
      .when(resolveIncident('inc-1', ' Disco substituído '))
      .then([incidentResolved('inc-1', 'Disco substituído')]);
    given([registered, incidentOpened()]).when(resolveIncident('inc-1', '  ')).then([incidentResolved()]);
    given([registered, incidentOpened()])
      .when(resolveIncident('inc-1', 'a'.repeat(INCIDENT_MESSAGE_MAX_LENGTH + 1)))
      .thenFails('VALIDATION_FAILED', { field: 'message' });
    const state = registeredAfter([
      registered,
      incidentOpened(),
      incidentResolved('inc-1', 'Disco substituído'),
    ]);
    expect(state.resolvedIncidents[0]?.resolutionMessage).toBe('Disco substituído');
  });

  it('resolving it twice changes nothing', () => {
    given([registered, incidentOpened(), incidentResolved()]).when(resolveIncident()).thenNothingHappens();
  });

  it('refuses an unknown incident with NOT_FOUND', () => {
    given([registered, incidentOpened()])
      .when(resolveIncident('inc-9'))
      .thenFails('NOT_FOUND', { incidentId: 'inc-9' });
  });

  it('ignores a resolution of an incident it does not hold', () => {
    const state = fold([registered, incidentOpened()]);
    expect(instanceDecider.evolve(state, incidentResolved('inc-9'))).toBe(state);
  });
});

describe('evolve', () => {
  it('ignores events it does not know', () => {
    const state = fold([registered]);
    expect(instanceDecider.evolve(state, { type: 'InstanceRenamed', data: {} } as never)).toBe(state);
  });
});

describe('decide', () => {
  it('fails loudly on a command type it was never written for', () => {
    expect(() =>
      instanceDecider.decide(command('RenameInstance' as never, {} as never, t2), fold([registered])),
    ).toThrow('Unhandled case');
  });
});

describe('invariants', () => {
  const ids = ['inc-1', 'inc-2', 'inc-3'];
  const impactArb = fc.constantFrom<IncidentImpact>('degraded', 'outage');
  const commandArb: fc.Arbitrary<OpenIncident | PostIncidentUpdate | ResolveIncident> = fc.oneof(
    fc.tuple(fc.constantFrom(...ids), impactArb).map(([id, impact]) => openIncident(id, impact)),
    fc
      .tuple(fc.constantFrom(...ids), fc.option(impactArb, { nil: undefined }))
      .map(([id, impact]) => postUpdate(id, impact)),
    fc.constantFrom(...ids).map((id) => resolveIncident(id)),
  );

  const play = (commands: readonly InstanceCommand[]): RegisteredInstance => {
    let state = fold([registered]);
    for (const command of commands) {
      try {
        state = instanceDecider.decide(command, state).reduce(instanceDecider.evolve, state);
      } catch {
        // Refused commands change nothing.
      }
    }
    if (state.status !== 'registered') throw new Error('expected a registered instance');
    return state;
  };

  it('the status is the worst impact among open incidents, computed independently', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 30 }), (commands) => {
        const open = new Map<string, IncidentImpact>();
        const resolved = new Set<string>();
        for (const command of commands) {
          const id = command.data.incidentId;
          if (command.type === 'OpenIncident' && !open.has(id) && !resolved.has(id))
            open.set(id, command.data.impact);
          if (command.type === 'PostIncidentUpdate' && open.has(id) && command.data.impact)
            open.set(id, command.data.impact);
          if (command.type === 'ResolveIncident' && open.has(id)) {
            open.delete(id);
            resolved.add(id);
          }
        }
        const impacts = [...open.values()];
        const expected = impacts.includes('outage')
          ? 'outage'
          : impacts.length > 0
            ? 'degraded'
            : 'operational';
        const state = play(commands);
        expect(instanceStatus(state)).toBe(expected);
        expect(state.resolvedIncidents.map((incident) => incident.incidentId).sort()).toEqual(
          [...resolved].sort(),
        );
      }),
    );
  });

  it('an incident is never both open and resolved', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 30 }), (commands) => {
        const state = play(commands);
        const all = [...state.openIncidents, ...state.resolvedIncidents].map(
          (incident) => incident.incidentId,
        );
        expect(new Set(all).size).toBe(all.length);
      }),
    );
  });
});
