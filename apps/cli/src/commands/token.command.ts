import { Command, InvalidArgumentError } from 'commander';
import { isRole, ROLES, signAccessToken, verifyAccessToken, type Role } from '@app/platform';
import type { CliCommand } from '../cli-context';

const parseRoles = (value: string): Role[] => {
  const roles = value
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  if (roles.length === 0) throw new InvalidArgumentError('name at least one role.');
  for (const role of roles) {
    if (!isRole(role))
      throw new InvalidArgumentError(`"${role}" is not a role: expected ${ROLES.join(', ')}.`);
  }
  return roles as Role[];
};

type TokenOptions = { sub: string; email: string; roles: Role[]; expiresIn: string };

/** `token --sub <id> --email <e> --roles <r,...> [--expires-in 12h]`: prints a bearer token the API accepts. */
export const tokenCommand: CliCommand = ({ jwtSecret, write }) => {
  const command: Command = new Command('token')
    .description(
      "print a bearer token signed with the API's secret (JWT_SECRET, or the embedded one in DATA_DIR)",
    )
    .requiredOption('--sub <id>', 'the user id (the token subject)')
    .requiredOption('--email <email>', "the user's e-mail address")
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`, parseRoles)
    .option('--expires-in <duration>', 'how long the token is valid: 30m, 12h, 7d…', '12h')
    .action(async ({ sub, email, roles, expiresIn }: TokenOptions) => {
      const secret = jwtSecret();
      let token: string;
      try {
        token = await signAccessToken(secret, { userId: sub, email, roles }, expiresIn);
        // Whatever the API would refuse is refused here, with its reason, instead of printing a useless token.
        await verifyAccessToken(secret, token);
      } catch (error) {
        command.error(
          `error: cannot make that token: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      write(token);
    });
  return command;
};
