/** Machine-readable error codes shared by HTTP answers and socket acknowledgements. */
export const errorCodes = [
  'validation_failed',
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The body of every error answer: `{ error: ApiErrorBody }` over HTTP, `{ ok: false, error }` on sockets. */
export type ApiErrorBody = {
  code: ErrorCode;
  message: string;
  details?: unknown;
};
