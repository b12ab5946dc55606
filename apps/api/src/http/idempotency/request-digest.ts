import { commandDigest } from '@app/command-handling';

/** What identifies a command request, for telling a retry from a different request under the same key. */
export type DigestedRequest = Readonly<{
  method: string;
  /** The route's template (`/contracts/:id/invitations`), not the URL. */
  route: string;
  params: Readonly<Record<string, string | readonly string[]>>;
  /** The body as parsed from JSON (not the DTO after transformation). */
  body: unknown;
  /** Who sent it: the same body from another caller is another request. */
  userId: string;
}>;

/**
 * A stable digest of a request (`CommandEnvelope.requestDigest`): sha256 over a canonical JSON of method,
 * route, path parameters, body and caller — object keys sorted at every depth, array order kept, undefined
 * fields left out, values taken as JSON gives them (a Date as its ISO string). The same request in another
 * key order has the same digest; any other difference changes it.
 */
export const requestDigest = ({ method, route, params, body, userId }: DigestedRequest): string =>
  commandDigest(
    JSON.parse(
      JSON.stringify({ method: method.toUpperCase(), route, params, body: body ?? null, userId }),
    ) as unknown,
  );
