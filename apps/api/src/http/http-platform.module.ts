import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessTokenGuard } from './auth/access-token.guard';
import { ACCESS_TOKEN_SECRET } from './auth/auth.tokens';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { JsonBodyMiddleware } from './request/json-body.middleware';
import { CallerThrottlerGuard } from './rate-limit/caller-throttler.guard';
import { DeclaredQueryGuard } from './request/declared-query.guard';
import { createValidationPipe } from './request/validation.pipe';

export type HttpPlatformOptions = Readonly<{
  /** What bearer tokens are verified with (`resolveJwtSecret`). */
  jwtSecret: string;
  /** Requests per minute per caller; no limit when undefined. */
  rateLimitPerMinute: number | undefined;
}>;

/**
 * What every endpoint stands on: bearer-token authentication, JSON bodies within the limit, validated DTOs
 * and one error body for everything. Needs the app created with {@link HTTP_APP_OPTIONS} (Nest's own body
 * parser off).
 */
@Module({})
export class HttpPlatformModule implements NestModule {
  static forRoot({ jwtSecret, rateLimitPerMinute }: HttpPlatformOptions): DynamicModule {
    const limited = rateLimitPerMinute !== undefined;
    return {
      module: HttpPlatformModule,
      imports: limited
        ? [
            ThrottlerModule.forRoot({
              throttlers: [{ name: 'default', ttl: 60_000, limit: rateLimitPerMinute }],
            }),
          ]
        : [],
      providers: [
        { provide: ACCESS_TOKEN_SECRET, useValue: jwtSecret },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // Guards run in this order: the throttler counts by the caller the token guard found; a request over the
        // limit is refused before its query string is looked at.
        { provide: APP_GUARD, useClass: AccessTokenGuard },
        ...(limited ? [{ provide: APP_GUARD, useClass: CallerThrottlerGuard }] : []),
        { provide: APP_GUARD, useClass: DeclaredQueryGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
