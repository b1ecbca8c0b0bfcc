import type { Readable } from 'node:stream';
import getRawBody from 'raw-body';
// @ts-expect-error inflation ships no types: inflate(stream) → the stream decoded as its Content-Encoding says (415 for an unknown one).
import inflate from 'inflation';
import { AppError, badRequest, payloadTooLarge } from '../errors.js';
import type { AppContext } from './context.js';

/**
 * What reading a request body failed with, as the caller should hear it: too large 413, an
 * encoding we do not decode 415, a body that is not what its Content-Encoding says (a "gzip" that
 * is not gzip, a truncated one) or shorter than its Content-Length 400; anything else is ours (null).
 */
export function bodyReadError(error: unknown, tooLarge = payloadTooLarge): AppError | null {
  const { status, type, code } = error as { status?: number; type?: string; code?: string };
  if (status === 413 || type === 'entity.too.large') return tooLarge();
  if (status === 415 || type === 'encoding.unsupported') return new AppError(415, 'bad_request', 'The Content-Encoding is not one the server decodes (gzip, deflate, br or none)');
  if (typeof code === 'string' && code.startsWith('Z_')) return badRequest('The body cannot be decoded as its Content-Encoding says');
  if (type === 'request.aborted' || type === 'request.size.invalid') return badRequest('The body ended before its announced length');
  return null;
}

/** The bytes of a request body the JSON parser does not read (CSV uploads, forms), decoded as its Content-Encoding says and bounded after decoding. */
export async function readRawBody(ctx: AppContext, limitBytes: number, tooLarge = payloadTooLarge): Promise<Buffer> {
  try {
    return await getRawBody(inflate(ctx.req) as Readable, { limit: limitBytes });
  } catch (error) {
    throw bodyReadError(error, tooLarge) ?? error;
  }
}
