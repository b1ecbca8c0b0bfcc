import { z, type ZodType } from 'zod';

type Operation = { method: string; path: string; summary: string; tag: string; access: string; body?: ZodType; query?: ZodType; status?: number; envelope?: false };

const operations: Operation[] = [];

/** Records an endpoint for the OpenAPI document (called by `route`). */
export function registerOperation(operation: Operation) {
  if (!operations.some((o) => o.method === operation.method && o.path === operation.path)) operations.push(operation);
}

const jsonSchema = (schema: ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } },
};

/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    // `prefix + '/'` is served without the trailing slash.
    const path = op.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1');
    const parameters: unknown[] = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) {
      const schema = jsonSchema(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: prop });
      }
    }
    paths[path] ??= {};
    paths[path][op.method] = {
      summary: op.summary,
      tags: [op.tag],
      security: op.access === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
      parameters,
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: op.envelope === false ? 'Success; the body is the result itself (see the summary)' : 'Success; the result is under `data`' },
        default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Huitong API', version: '0.1.0' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'huitong_session' },
      },
    },
    paths,
  };
}
