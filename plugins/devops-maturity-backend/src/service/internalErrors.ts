import { randomUUID } from 'node:crypto';
import { ErrorRequestHandler } from 'express';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';

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
 * What express.json's errors should have said: the limit a body broke (its own message is
 * `request entity too large`), or that it is not compressed as its Content-Encoding says (it
 * reaches the caller as `Bad Request`). Undefined for any other error.
 */
function bodyReadError(error: unknown): Error | undefined {
  const e = error as { type?: unknown; limit?: unknown; code?: unknown };
  if (e?.type === 'entity.too.large' && typeof e.limit === 'number') {
    const tooLarge = new Error(
      `Request body too large: the limit is ${Math.round(
        e.limit / 1048576,
      )} MB (for pushes, at most 1,000 items per request)`,
    );
    tooLarge.name = 'PayloadTooLargeError';
    delete tooLarge.stack;
    return Object.assign(tooLarge, { status: 413 });
  }
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new InputError(
      'Content-Encoding: the request body is not compressed as this header says',
    );
  }
  return undefined;
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
    const bodyError = bodyReadError(error);
    if (bodyError) {
      next(bodyError);
      return;
    }
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
