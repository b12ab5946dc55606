import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccessTokenGuard } from './auth/access-token.guard';
import { ACCESS_TOKEN_SECRET } from './auth/auth.tokens';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { JsonBodyMiddleware } from './request/json-body.middleware';
import { createValidationPipe } from './request/validation.pipe';

export type HttpPlatformOptions = Readonly<{
  /** What bearer tokens are verified with (`resolveJwtSecret`). */
  jwtSecret: string;
}>;

/**
 * What every endpoint stands on: bearer-token authentication, JSON bodies within the limit, validated DTOs
 * and one error body for everything. Needs the app created with {@link HTTP_APP_OPTIONS} (Nest's own body
 * parser off).
 */
@Module({})
export class HttpPlatformModule implements NestModule {
  static forRoot(options: HttpPlatformOptions): DynamicModule {
    return {
      module: HttpPlatformModule,
      providers: [
        { provide: ACCESS_TOKEN_SECRET, useValue: options.jwtSecret },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: AccessTokenGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
