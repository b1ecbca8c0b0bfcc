import type { ApiErrorBody, ErrorCode, FieldProblem } from '../../../shared/errors';
import { noteAnswer } from '../pwa/offlineCopy';

/** Codes the client adds for failures that never reached the server or never came back. */
export type ClientErrorCode = ErrorCode | 'network' | 'timeout';

/** A refusal from the server (`{ error: { code, message, details } }`) or a failed request. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Builds the error from a server error body (HTTP answer or socket acknowledgement). */
  static fromBody(status: number, body: ApiErrorBody | undefined, fallback: string): ApiError {
    return new ApiError(status, body?.code ?? (status >= 500 ? 'internal' : 'bad_request'), body?.message ?? fallback, body?.details);
  }
}

/** Field problems of a refusal (`details` of a 400), as the server lists them. */
export function fieldProblems(error: ApiError): FieldProblem[] {
  if (!Array.isArray(error.details)) return [];
  return error.details.filter((d): d is FieldProblem => typeof d?.path === 'string' && typeof d?.message === 'string' && typeof d?.code === 'string');
}

type QueryValue = string | number | boolean | undefined | null;

let onUnauthenticated: (() => void) | undefined;

/** Called whenever the server answers 401: the session expired or was revoked elsewhere. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Sends one JSON request on this origin (the HttpOnly session cookie authenticates it) and
 * resolves with the whole parsed body; any non-2xx answer is thrown as an ApiError.
 */
export async function requestBody<T>(method: string, path: string, options: { body?: unknown; query?: Record<string, QueryValue> } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new ApiError(0, 'network', (error as Error).message || 'Network error');
  }
  noteAnswer(response);
  const text = response.status === 204 ? '' : await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthenticated?.();
    throw ApiError.fromBody(response.status, (parsed as { error?: ApiErrorBody } | undefined)?.error, response.statusText || `HTTP ${response.status}`);
  }
  return parsed as T;
}

/** Sends one request and resolves with its `data` (undefined for 204 answers). */
export async function request<T>(method: string, path: string, options: { body?: unknown; query?: Record<string, QueryValue> } = {}): Promise<T> {
  const body = await requestBody<{ data: T } | undefined>(method, path, options);
  return body?.data as T;
}

/** Shorthands for the verbs the API uses. */
export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>) => request<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: (path: string) => request<void>('DELETE', path),
};
