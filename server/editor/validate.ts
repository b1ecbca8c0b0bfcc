/**
 * Validates untrusted Lexical editor state against the node set in
 * shared/richText/nodes.ts and returns the normalized document.
 *
 * The tree walk is ours (it gives every refusal the path of the offending
 * node, e.g. `root.children[2].children[0]`, and enforces which node may sit
 * inside which); each node's own fields are checked by its zod schema.
 * Unknown keys are dropped, known keys with bad values refused (see nodes.ts).
 */
import { AppError, badRequest, payloadTooLarge } from '../errors.js';
import {
  defaultRichTextLimits,
  MENTION_EVERYONE,
  MENTION_VERSION,
  richTextChildTypes,
  richTextFieldSchemas,
  type RichTextDocument,
  type RichTextLimits,
  type RichTextNode,
  type RichTextNodeType,
} from '../../shared/richText/nodes.js';

type Walk = { limits: RichTextLimits; textLength: number; mentionEveryone: boolean };

/** What a place accepts beyond the common node set. */
export type RichTextOptions = {
  /** Keep a mention of everyone as a mention (a group message); elsewhere it becomes the text `@name`. */
  mentionEveryone?: boolean;
};
type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isKnownType = (type: string): type is RichTextNodeType => Object.hasOwn(richTextFieldSchemas, type);
const textLikeTypes = new Set<string>(['text', 'tab', 'code-highlight']);

/** A 400 naming the path of the problem, in the message and as `details: [{ path, message }]`. */
function refuse(path: string, problem: string): AppError {
  return badRequest(path ? `${path}: ${problem}` : problem, [{ path, message: problem, code: 'invalid_rich_text' }]);
}

/** Bytes of `value` as JSON; non-JSON input (cycles, BigInt, absurd nesting) is refused rather than crashing. */
function jsonBytes(value: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    throw refuse('', 'rich text must be plain JSON');
  }
  return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
}

function checkSize(value: unknown, limits: RichTextLimits): void {
  const bytes = jsonBytes(value);
  if (bytes > limits.maxBytes) {
    throw payloadTooLarge(`The rich text is ${bytes} bytes of JSON; at most ${limits.maxBytes} are accepted`);
  }
}

/**
 * Checks `input` (Lexical `editorState.toJSON()`) and returns it normalized; throws AppError 400 `bad_request` naming the path, or 413 `payload_too_large`.
 */
export function parseRichText(input: unknown, limits: Partial<RichTextLimits> = {}, options: RichTextOptions = {}): RichTextDocument {
  const walk: Walk = { limits: { ...defaultRichTextLimits, ...limits }, textLength: 0, mentionEveryone: options.mentionEveryone ?? false };
  // Size first: it bounds the work of everything after it.
  checkSize(input, walk.limits);
  if (!isObject(input) || !isObject(input.root)) {
    throw refuse('', 'rich text must be a Lexical editor state: an object { root: { type: "root", children: [...] } }');
  }
  const doc = { root: parseNode(input.root, 'root', 0, null, walk) } as RichTextDocument;
  // The output fills in defaults a compact input may omit, so it can outgrow the input; what is stored must fit too.
  checkSize(doc, walk.limits);
  return doc;
}

function parseNode(value: unknown, path: string, depth: number, parent: RichTextNodeType | null, walk: Walk): RichTextNode {
  if (depth > walk.limits.maxDepth) throw refuse(path, `nesting is deeper than ${walk.limits.maxDepth} levels`);
  if (!isObject(value)) throw refuse(path, 'must be a node object with a type');
  const { type } = value;
  if (typeof type !== 'string') throw refuse(path, 'node type must be a string');
  if (!isKnownType(type)) throw refuse(path, `unknown node type ${JSON.stringify(type.slice(0, 40))}`);
  checkPlacement(type, parent, path);
  if (type === 'mention' && value.version !== undefined && value.version !== MENTION_VERSION) {
    throw refuse(path, `mention version must be ${MENTION_VERSION}`);
  }

  const parsed = richTextFieldSchemas[type].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(path, `${type} ${issue.path.join('.')} ${issue.message}`.replace(/ {2,}/g, ' '));
  }
  const node: JsonObject = { type, version: 1, ...parsed.data };
  // A mention of everyone where none is allowed stays readable as what it showed, and notifies no one.
  if (type === 'mention' && node.userId === MENTION_EVERYONE && !walk.mentionEveryone) return parseNode(mentionAsText(node), path, depth, parent, walk);

  if (textLikeTypes.has(type)) {
    walk.textLength += (node.text as string).length;
    if (walk.textLength > walk.limits.maxTextLength) {
      throw payloadTooLarge(`The rich text has more than ${walk.limits.maxTextLength} characters of text`);
    }
  }

  const childTypes = richTextChildTypes[type];
  const children = value.children;
  if (childTypes === undefined) {
    if (children !== undefined && !(Array.isArray(children) && children.length === 0)) {
      throw refuse(path, `a ${type} node cannot have children`);
    }
  } else {
    // Lexical's compact export omits an empty children array.
    if (children !== undefined && !Array.isArray(children)) throw refuse(`${path}.children`, 'must be an array of nodes');
    node.children = (children ?? []).map((child: unknown, i: number) => parseNode(child, `${path}.children[${i}]`, depth + 1, type, walk));
  }
  return node as RichTextNode;
}

function mentionAsText(mention: JsonObject): JsonObject {
  return { type: 'text', version: 1, text: `@${mention.name as string}` };
}

function checkPlacement(type: RichTextNodeType, parent: RichTextNodeType | null, path: string): void {
  if (parent === null) {
    if (type !== 'root') throw refuse(path, `the top node must be of type "root", not ${JSON.stringify(type)}`);
    return;
  }
  const allowed = richTextChildTypes[parent] ?? [];
  if (!allowed.includes(type)) {
    throw refuse(path, `a ${type} node cannot be inside a ${parent} (allowed there: ${allowed.join(', ')})`);
  }
}
