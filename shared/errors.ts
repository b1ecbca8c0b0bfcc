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

/**
 * One problem with one field of a request, in the `details` of a 400: where (`path`, dotted, as the
 * request named it), why (`code`: zod's issue code such as too_small or invalid_format, `required`,
 * or one of the server's own such as unknown_user or invalid_rule) and a readable message. Clients
 * put a problem beside its field by `path` and word it by `code`, never by reading the message.
 */
/** One field problem; a weak password also says why (`warning`, zxcvbn's key). */
export type FieldProblem = { path: string; code: string; message: string; warning?: string | null };

/** The body of every error answer: `{ error: ApiErrorBody }` over HTTP, `{ ok: false, error }` on sockets. */
export type ApiErrorBody = {
  code: ErrorCode;
  message: string;
  details?: unknown;
};
