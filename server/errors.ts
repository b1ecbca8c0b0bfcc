import type { ZodError } from 'zod';
import type { ApiErrorBody, ErrorCode, FieldProblem } from '../shared/errors.js';

/** An error whose code, status and message may be shown to the caller as they are. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** The JSON body sent to HTTP and socket clients. */
  toBody(): ApiErrorBody {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Field problems from a zod schema as `{ path: "a.b", code, message }`: the code is ours where a
 * schema names one (`invalid_characters`, `date_out_of_range`, `weak_password`), else zod's (an empty
 * required text or list is `required`).
 */
export function zodDetails(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const { code: own, ...more } = (issue.code === 'custom' ? issue.params : undefined) ?? {};
    const code =
      typeof own === 'string' ? own : issue.code === 'too_small' && Number(issue.minimum) === 1 && (issue.origin === 'string' || issue.origin === 'array') ? 'required' : issue.code;
    return { path: issue.path.join('.'), code, message: issue.message, ...more };
  });
}

/** One field problem (see FieldProblem), for a 400 a command raises about a field. */
export const fieldProblem = (path: string, code: string, message: string): FieldProblem => ({ path, code, message });

export const validationFailed = (error: ZodError, message = 'The request is not valid') =>
  new AppError(400, 'validation_failed', `${message}: ${error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`, zodDetails(error));
export const badRequest = (message: string, details?: FieldProblem[]) => new AppError(400, 'bad_request', message, details);
export const unauthenticated = (message = 'Sign in first') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'The resource') => new AppError(404, 'not_found', `${what} was not found`);
export const methodNotAllowed = (method: string) => new AppError(405, 'method_not_allowed', `This endpoint does not answer ${method}`);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
export const payloadTooLarge = (message = 'The request body is too large') => new AppError(413, 'payload_too_large', message);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', `Too many requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
export const unavailable = (message = 'The service is temporarily unavailable; try again') => new AppError(503, 'unavailable', message);

// Connection failures, server shutdown/start-up, too many connections, and a database that is gone (dropped, renamed, being restored).
const transientDbCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300', '3D000', '08000', '08003', '08006', '08001', '08004']);

// Messages of pg and its pool when the server went away mid-query or cannot be reached.
const lostConnection = /Connection terminated|connection error and is not queryable|terminating connection|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect/i;

/** Turns anything thrown into an AppError: known errors pass, constraint races 409, lost database connections 503, the rest 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Koa and its middleware (koa-static's "Malicious Path", http-errors) mark a refusal of the request with a 4xx status they mean to show.
  const { status: httpStatus, expose } = error as { status?: unknown; expose?: unknown };
  if (typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500 && expose === true) {
    return new AppError(httpStatus, httpStatus === 404 ? 'not_found' : httpStatus === 413 ? 'payload_too_large' : 'bad_request', String((error as Error).message || 'The request is not valid'));
  }
  const code = (error as { code?: string })?.code;
  const message = String((error as Error)?.message ?? '');
  // A concurrent request won the race that a command's own check could not see.
  if (code === '23505') return conflict('This conflicts with a record that was just created or changed; reload and try again');
  if (code === '23503') return conflict('A related record was changed or removed meanwhile; reload and try again');
  // A value PostgreSQL cannot hold that the boundary rule let through (a local time at the very end
  // of 9999 that is in the year 10000 in UTC, text it cannot encode): the request's fault, not ours.
  if (code === '22007' || code === '22008' || code === '22009' || code === '22021' || code === '22P05') {
    return badRequest('A value of the request is outside what can be stored: dates must lie between the years 1900 and 9999, text must be valid Unicode without NUL');
  }
  // Deadlock or serialisation failure: PostgreSQL rolled the transaction back; doing it again works.
  if (code === '40P01' || code === '40001') return unavailable('The server was busy with a conflicting change; try again');
  if ((code && transientDbCodes.has(code)) || lostConnection.test(message)) {
    return unavailable('The database is not reachable right now; try again');
  }
  return new AppError(500, 'internal', 'Something went wrong on the server');
}
