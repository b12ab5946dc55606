import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { IS_PUBLIC } from '../auth/public.decorator';
import { RequestValidationError } from '../errors/api-error';

type DeclaredParameter = Readonly<{ name?: unknown; in?: unknown }>;

/** The query parameters a handler declares with `@ApiQuery`, read once per handler. */
const declaredByHandler = new WeakMap<object, ReadonlySet<string>>();

const declaredQueryOf = (handler: object): ReadonlySet<string> => {
  let declared = declaredByHandler.get(handler);
  if (declared === undefined) {
    const parameters = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler) ?? []) as DeclaredParameter[];
    declared = new Set(
      parameters.flatMap((parameter) =>
        parameter.in === 'query' && typeof parameter.name === 'string' ? [parameter.name] : [],
      ),
    );
    declaredByHandler.set(handler, declared);
  }
  return declared;
};

/**
 * A query endpoint refuses a query parameter it does not take (400 VALIDATION_FAILED naming it), instead of
 * answering as if it had not been sent: `?statuss=overdue` or `?limt=10` would otherwise look like an empty filter
 * or a default page. What an endpoint takes is what its OpenAPI declares (`@ApiQuery`), so the document and the
 * check cannot drift apart. Only GET routes behind a token: a command's query string is not read, and the public
 * pages (health, the status page) are fetched by probes and widgets that add cache-busting parameters.
 * Runs after the token guard, so a caller without a token still learns that first.
 */
@Injectable()
export class DeclaredQueryGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true) return true;
    const query = (request.query ?? {}) as Readonly<Record<string, unknown>>;
    const declared = declaredQueryOf(context.getHandler());
    const unknown = Object.keys(query).filter((name) => !declared.has(name));
    if (unknown.length > 0) {
      throw new RequestValidationError(
        unknown.map((field) => ({ field, message: `${field} is not a parameter of this endpoint` })),
      );
    }
    return true;
  }
}
