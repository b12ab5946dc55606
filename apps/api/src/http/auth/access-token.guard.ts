import { HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AccessTokenVerifier, InvalidAccessTokenError, type Role } from '@app/platform';
import { ApiError } from '../errors/api-error';
import { ACCESS_TOKEN_SECRET } from './auth.tokens';
import { setCaller } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';
import { callerHasRole, REQUIRED_ROLES } from './require-roles.decorator';

const unauthenticated = (message: string): ApiError =>
  new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', message);

const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
};

/**
 * The global guard: every route needs a valid bearer token unless marked @Public(); the caller it names is
 * what @CurrentUser() gives. A route marked @RequireRoles() also needs one of those roles.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  private readonly verifier: AccessTokenVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_TOKEN_SECRET) secret: string,
  ) {
    this.verifier = new AccessTokenVerifier(secret);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      throw unauthenticated('This needs a bearer token: Authorization: Bearer <JWT>.');
    }
    let caller;
    try {
      caller = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) {
        throw unauthenticated(`The bearer token is not valid: ${error.reason}.`);
      }
      throw error;
    }
    setCaller(request, caller);
    const required = this.reflector.getAllAndOverride<readonly Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required !== undefined && !required.some((role) => callerHasRole(caller, role))) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        `This needs one of these roles: ${required.join(', ')}.`,
      );
    }
    return true;
  }
}
