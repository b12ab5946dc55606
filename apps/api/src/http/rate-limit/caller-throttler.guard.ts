import { HttpStatus, Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';
import { callerOf } from '../auth/current-user.decorator';

/**
 * RATE_LIMIT_PER_MINUTE requests per caller across the whole API: a caller is the token's subject, or the
 * client IP on public routes. Runs after the authentication guard, so it knows the subject. The 429 tells
 * when to come back (`Retry-After`, seconds).
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const caller = callerOf(req as unknown as Request);
    return caller === undefined ? `ip:${await super.getTracker(req)}` : `user:${caller.userId}`;
  }

  /** One budget per caller, not one per route as the default key has it. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    { limit, timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'TOO_MANY_REQUESTS',
      `Too many requests: at most ${limit} a minute. Try again in ${timeToBlockExpire} s.`,
      undefined,
      { 'Retry-After': String(timeToBlockExpire) },
    );
  }
}
