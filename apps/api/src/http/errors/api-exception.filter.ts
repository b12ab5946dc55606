import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorResponse } from './error-response';

/**
 * Every error of every request ends here and leaves as the API's error body. A bug or a failed dependency is
 * handed to the request logger (`res.err`), which writes it once, on the request's own line with its id.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const answer = errorResponse(exception, typeof request.id === 'string' ? request.id : undefined);
    if (answer.unexpected) {
      response.err =
        exception instanceof Error ? exception : new Error(`Non-error thrown: ${String(exception)}`);
    }
    if (response.headersSent) {
      // Part of a success went out already: all that is left to say is that it is incomplete.
      response.destroy();
      return;
    }
    response.status(answer.status).set(answer.headers).json(answer.body);
  }
}
