import { z } from 'zod';
import { MAX_SEARCH_QUERY_LENGTH, searchKinds } from '../search.js';
import { idSchema, instantSchema, lineSchema } from './common.js';

/** A comma-separated list in a query string, or the parameter repeated. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(item).min(1).max(20));

/** GET /api/search: the query, filters (all optional) and the page of one kind (`cursor` with a single `kind`). */
export const searchQuerySchema = z
  .object({
    q: lineSchema()
      .min(1, 'is required')
      .max(MAX_SEARCH_QUERY_LENGTH, `must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`)
      .refine((q) => /[\p{L}\p{N}]/u.test(q), { message: 'needs a letter, digit or character to search for', params: { code: 'nothing_to_search' } }),
    kind: list(z.enum(searchKinds)).optional(),
    person: idSchema.optional(),
    conversation: idSchema.optional(),
    board: idSchema.optional(),
    customer: idSchema.optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(5),
    cursor: z.string().regex(/^\d{1,5}$/, 'not a cursor of this list').optional(),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from', params: { code: 'range_reversed' } });
    if (query.cursor && query.kind?.length !== 1) ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'pages are of one kind: give exactly one kind with a cursor', params: { code: 'cursor_needs_kind' } });
  });
export type SearchQuery = z.infer<typeof searchQuerySchema>;
