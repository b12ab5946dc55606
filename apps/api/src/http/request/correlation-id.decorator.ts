import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { correlationIdFor } from '@app/platform';

/** `@CorrelationId() correlationId: string` — the request's correlation id, for `CommandEnvelope.correlationId`. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const http = context.switchToHttp();
  return correlationIdFor(http.getRequest<Request>(), http.getResponse<Response>());
});
