/**
 * fast-check arbitraries from the JSON Schemas of /api/openapi.json (which zod writes from the
 * route schemas), and the mutations the fuzz tests apply to the valid values they generate.
 * zod-fast-check would derive them from the zod schemas themselves, but it supports zod 3 and
 * fast-check 3 only; the JSON Schema that zod 4 writes is the same contract.
 */
import fc from 'fast-check';
import { documentFromPlainText } from '../../shared/richText/index.js';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
};

/** Strings people type, not only ASCII: CJK, emoji (surrogate pairs), combining marks. */
const humanText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 20) }),
    fc.constantFrom('华南电子', '陈总 👍🏽', 'e\u0301', 'Line one\nline two'),
  );

const richText = fc.oneof(
  humanText(200).map((text) => documentFromPlainText(text) as unknown),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
);

/** A value valid for the schema (mostly: patterns with lookarounds and cross-field rules are not followed). */
export function arbitraryFor(schema: JsonSchema | boolean | undefined, name = ''): fc.Arbitrary<unknown> {
  if (schema === undefined || schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0)) return fc.jsonValue({ maxDepth: 2 });
  if (schema === false) return fc.constant(undefined);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, name)));
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...schema.allOf), name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1e6, -1e9), max: Math.min(schema.maximum ?? 1e6, 1e9) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryFor(schema.items, name), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) });
    case 'object':
    default:
      return objectFor(schema, name);
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 60, 200);
  if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= max);
  if (schema.format === 'date-time') return fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= Math.max(max, 1) && s.length >= (schema.minLength ?? 0));
    } catch {
      // A pattern JavaScript cannot compile as given: plain strings below.
    }
  }
  return humanText(max).filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= max).map((s) => s || 'x'.repeat(schema.minLength ?? 0));
}

function objectFor(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  // An open record of unknown values is a rich-text body (Lexical JSON) in this API.
  if (!names.length && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    const values = schema.additionalProperties === true || Object.keys(schema.additionalProperties).length === 0 ? null : schema.additionalProperties;
    if (!values) return richText;
    return fc.dictionary(schema.propertyNames ? (arbitraryFor(schema.propertyNames, name) as fc.Arbitrary<string>) : fc.string({ maxLength: 12 }), arbitraryFor(values, name), { maxKeys: 3 });
  }
  const record = Object.fromEntries(names.map((key) => [key, arbitraryFor(properties[key], key)]));
  return fc.record(record, { requiredKeys: schema.required ?? [] });
}

const NUL = '\u0000';

/** Values that have broken servers: control characters, broken Unicode, extremes of size and number, date edges, injections. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NUL,
    `a${NUL}b`,
    '\u0001\u0007\u001b[31m',
    '\ud800',
    'x\udc00y',
    '\uffff\ufffe',
    '\u202eevil',
    '',
    ' ',
    '\n',
    '0',
    '-1',
    '1e400',
    '9'.repeat(40),
    'x'.repeat(70_000),
    '0000-01-01T00:00',
    '0000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '275760-09-13T00:00:00Z',
    '9999-12-31T23:59:59+14:00',
    '2026-02-30T25:61',
    'NaN',
    '%00',
    '%ZZ',
    '../../etc/passwd',
    "' OR 1=1 --",
    '=HYPERLINK("http://evil","x")',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'FREQ=SECONDLY;INTERVAL=1',
    'FREQ=DAILY;COUNT=99999999999',
    'Mars/Base',
    -1,
    0,
    2 ** 31,
    2 ** 53 + 1,
    -(2 ** 63),
    1e308,
    -1e308,
    0.5,
    true,
    false,
    null,
    [],
    {},
    [null],
    JSON.parse('{"__proto__": {"polluted": true}}'),
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.anything({ maxDepth: 2, withBigInt: false }),
);

/** The value with one field somewhere inside replaced, removed or added, or the whole value replaced. */
export function mutate(value: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(value);
  return fc.oneof(
    { weight: 4, arbitrary: paths.length ? fc.tuple(fc.constantFrom(...paths), nastyValue).map(([path, nasty]) => setAt(value, path, nasty)) : nastyValue },
    { weight: 1, arbitrary: paths.length ? fc.constantFrom(...paths).map((path) => setAt(value, path, undefined)) : nastyValue },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), nastyValue).map(([key, nasty]) => (isObject(value) ? { ...value, [key]: nasty } : nasty)) },
    { weight: 1, arbitrary: nastyValue },
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function leafPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => leafPaths(v, [...prefix, i], out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) leafPaths(v, [...prefix, k], out);
  return out;
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replacement === undefined && !rest.length) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (replacement === undefined && !rest.length) delete copy[head];
  else copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}
