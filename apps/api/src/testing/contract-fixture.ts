import { randomUUID } from 'node:crypto';
import { handleCommand, type WritePath } from '@app/command-handling';
import {
  contractDecider,
  contractStream,
  type Actor,
  type ContractCommand,
  type Permission,
  type Role,
} from '@app/domain';
import { WRITE_PATH, type Caller } from '@app/platform';
import type { ApiTestApp } from './api-test-app';

export type TestMember = Readonly<{ userId: string; email: string; permissions: readonly Permission[] }>;

/** The kinds of caller every authorization matrix walks, and their tokens. */
export type CallerKind =
  | 'owner'
  | 'memberWithPermission'
  | 'memberWithoutPermission'
  | 'nonMember'
  | 'support'
  | 'billing'
  | 'admin'
  | 'auditor'
  | 'analyst';

export const CALLER_KINDS: readonly CallerKind[] = [
  'owner',
  'memberWithPermission',
  'memberWithoutPermission',
  'nonMember',
  'support',
  'billing',
  'admin',
  'auditor',
  'analyst',
];

export type TestContract = Readonly<{
  contractId: string;
  owner: Caller;
  /** A bearer token per kind of caller; members hold `permission`, or every permission but it. */
  tokens: Readonly<Record<CallerKind, string>>;
  callers: Readonly<Record<CallerKind, Caller>>;
}>;

const send = (
  writePath: WritePath,
  contractId: string,
  command: Omit<ContractCommand, 'metadata'>,
  actor: Actor,
) =>
  handleCommand(writePath, contractDecider, contractStream(contractId), {
    command: { ...command, metadata: { now: new Date().toISOString(), actor } } as ContractCommand,
    commandId: randomUUID(),
  });

const userActor = (caller: Caller): Actor => ({ kind: 'user', ...caller });

/**
 * A contract opened and populated through the app's own write path (the real deciders, no shortcut), with a
 * member holding `permission` and one holding everything else, so a test can walk every kind of caller without
 * depending on the invitation endpoints.
 */
export const givenContract = async (api: ApiTestApp, permission: Permission): Promise<TestContract> => {
  const writePath = api.app.get<WritePath>(WRITE_PATH);
  const tag = randomUUID().slice(0, 8);
  const caller = (name: string, roles: readonly Role[]): Caller => ({
    userId: `${name}-${tag}`,
    email: `${name}-${tag}@exemplo.com.br`,
    roles,
  });
  const callers: Record<CallerKind, Caller> = {
    owner: caller('owner', ['customer']),
    memberWithPermission: caller('with', ['customer']),
    memberWithoutPermission: caller('without', ['customer']),
    nonMember: caller('stranger', ['customer']),
    support: caller('support', ['support']),
    billing: caller('billing', ['billing']),
    admin: caller('admin', ['admin']),
    auditor: caller('auditor', ['auditor']),
    analyst: caller('analyst', ['analyst']),
  };
  const contractId = randomUUID();
  const owner = callers.owner;
  await send(
    writePath,
    contractId,
    {
      type: 'OpenContract',
      data: {
        contractId,
        holderName: `Contrato ${tag}`,
        document: '529.982.247-25',
        phones: ['+5511987654321', '+5521987654321'],
      },
    },
    userActor(owner),
  );
  const allButIt = (
    [
      'main-account',
      'contacts',
      'services.view',
      'services.manage',
      'services.sso',
      'domains.view',
      'domains.manage',
      'billing',
      'quotes',
      'tickets',
      'affiliate',
      'communications',
      'orders',
    ] as const
  ).filter((p) => p !== permission);
  for (const [member, permissions] of [
    [callers.memberWithPermission, [permission]],
    [callers.memberWithoutPermission, allButIt],
  ] as const) {
    const invitationId = randomUUID();
    await send(
      writePath,
      contractId,
      { type: 'InviteUser', data: { invitationId, email: member.email, permissions } },
      userActor(owner),
    );
    await send(
      writePath,
      contractId,
      { type: 'AcceptInvitation', data: { invitationId } },
      userActor(member),
    );
  }
  const tokens = Object.fromEntries(
    await Promise.all(CALLER_KINDS.map(async (kind) => [kind, await api.tokenFor(callers[kind])] as const)),
  ) as Record<CallerKind, string>;
  return { contractId, owner, tokens, callers };
};
