import type { Readable } from 'node:stream';
import getRawBody from 'raw-body';
// @ts-expect-error inflation ships no types: inflate(stream) → the stream decoded as its Content-Encoding says (415 for an unknown one).
import inflate from 'inflation';
import { AppError, badRequest, payloadTooLarge } from '../errors.js';
import type { AppContext } from './context.js';

/**
 * What reading a request body failed with, as the caller should hear it: too large 413, an
 * encoding or charset we do not decode 415, and 400 for everything else, which can only be the
 * body itself: not what its Content-Encoding says (a "gzip" that is not gzip, a truncated brotli
 * stream: zlib's errors), shorter than its Content-Length, or not JSON. Reading touches nothing
 * but the request, so no failure of ours can hide here.
 */
export function bodyReadError(error: unknown, tooLarge = payloadTooLarge): AppError {
  const { status, type, code } = error as { status?: number; type?: string; code?: string };
  if (error instanceof AppError) return error;
  if (status === 413 || type === 'entity.too.large') return tooLarge();
  if (status === 415 || type === 'encoding.unsupported' || type === 'charset.unsupported') return new AppError(415, 'bad_request', 'The Content-Encoding or charset is not one the server decodes (gzip, deflate, br or none; UTF-8)');
  if (type === 'request.aborted' || type === 'request.size.invalid') return badRequest('The body ended before its announced length');
  if (typeof code === 'string' && /^(Z_|ERR_|ERR__)/.test(code)) return badRequest('The body cannot be decoded as its Content-Encoding says');
  return badRequest('The request body is not valid JSON: send a JSON object');
}

/** The bytes of a request body the JSON parser does not read (CSV uploads, forms), decoded as its Content-Encoding says and bounded after decoding. */
export async function readRawBody(ctx: AppContext, limitBytes: number, tooLarge = payloadTooLarge): Promise<Buffer> {
  try {
    return await getRawBody(inflate(ctx.req) as Readable, { limit: limitBytes });
  } catch (error) {
    throw bodyReadError(error, tooLarge);
  }
}
