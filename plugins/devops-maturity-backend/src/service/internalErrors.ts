import { randomUUID } from 'node:crypto';
import { ErrorRequestHandler } from 'express';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/** The errors this plugin throws on purpose, whose message is written for the caller. */
const CALLER_ERRORS = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

/** A client error from express or its body parser (malformed JSON, a body too large). */
function isHttpClientError(error: Error) {
  const status = (error as { status?: unknown; statusCode?: unknown }).status;
  return (
    error.name !== 'ResponseError' &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  );
}

/**
 * Keeps internals out of answers: any error that is not one of the caller's own (a database
 * error, a bug) reaches the caller as `Internal error <id>`, and the log has the id with the
 * real error. Backstage's error handler, which runs next, only filters PostgreSQL's
 * DatabaseError: SQLite's errors (SQL and bound values in the message) and any other error
 * would reach the caller as they are.
 */
export function internalErrorFilter(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (
      isError(error) &&
      (CALLER_ERRORS.has(error.name) || isHttpClientError(error))
    ) {
      next(error);
      return;
    }
    const id = randomUUID();
    logger.error(
      `Internal error ${id} answering ${req.method} ${req.baseUrl}${req.path}`,
      isError(error) ? error : new Error(String(error)),
    );
    const internal = new Error(`Internal error ${id}`);
    // No stack trace of the filter either, even where stack traces are shown.
    delete internal.stack;
    next(internal);
  };
}
