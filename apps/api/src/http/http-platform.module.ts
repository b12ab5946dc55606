import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { JsonBodyMiddleware } from './request/json-body.middleware';
import { createValidationPipe } from './request/validation.pipe';

/**
 * What every endpoint stands on: JSON bodies within the limit, validated DTOs and one error body for
 * everything. Needs the app created with {@link HTTP_APP_OPTIONS} (Nest's own body parser off).
 */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class HttpPlatformModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
