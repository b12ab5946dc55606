import { DEMO_CALLERS, ROLES, signAccessToken, type Role } from '@app/platform';

/** A contract the printed curl line opens: a valid CPF and a São Paulo mobile number. */
export const DEMO_CONTRACT = {
  holderName: 'Maria Silva',
  document: '529.982.247-25',
  phones: ['+5511987654321'],
} as const;

export type DemoTokens = Readonly<Record<Role, string>>;

/** A token for each demo caller, valid for 12 hours. */
export const demoTokens = async (secret: string): Promise<DemoTokens> =>
  Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => [role, await signAccessToken(secret, DEMO_CALLERS[role])] as const),
    ),
  ) as DemoTokens;

export type StartupFacts = Readonly<{
  url: string;
  /** Where events and read models live, for a person (`postgres on embedded PGlite in ./data`). */
  storage: string;
  workerInProcess: boolean;
  /** Printed only in embedded mode, a development setup; on the terminal, never in the log. */
  tokens?: DemoTokens;
}>;

const PRINT_ORDER: readonly Role[] = ['admin', 'billing', 'support', 'auditor', 'analyst', 'customer'];

/** What `npm start` prints on the terminal once listening (not in the log): where to go, and how to get in. */
export const startupBanner = ({ url, storage, workerInProcess, tokens }: StartupFacts): string[] => {
  const lines = [
    `Área do Cliente API listening on ${url}; event store: ${storage}` +
      (workerInProcess ? '; worker running in this process' : ''),
    `OpenAPI: ${url}/docs (JSON: ${url}/docs/openapi.json)`,
  ];
  if (tokens === undefined) {
    lines.push('Bearer tokens: npm run -s cli -- token --sub <user id> --email <e-mail> --roles <role,...>');
    return lines;
  }
  lines.push('Demo bearer tokens, valid for 12 hours (more with npm run -s cli -- token --help):');
  for (const role of PRINT_ORDER) {
    lines.push(`  ${role.padEnd(8)} ${DEMO_CALLERS[role].email.padEnd(22)} ${tokens[role]}`);
  }
  lines.push(
    'Open a contract as the customer:',
    `curl -X POST ${url}/contracts -H 'Authorization: Bearer ${tokens.customer}' ` +
      `-H 'Content-Type: application/json' -d '${JSON.stringify(DEMO_CONTRACT)}'`,
  );
  return lines;
};
