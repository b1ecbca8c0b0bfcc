import type { EntityManager } from '@mikro-orm/postgresql';
import { MAX_MENTION_NAME_LENGTH, MENTION_EVERYONE, MENTION_EVERYONE_NAME } from '../../shared/richText/nodes.js';
import { isId } from '../../shared/schemas/common.js';
import { pgArray } from '../db/sql.js';

type Mention = { node: Record<string, unknown>; siblings: unknown[]; index: number };

/**
 * Makes the server the authority on whom a mention names. A mention node (`{ type: 'mention',
 * userId, name }`) in any rich text of a request — a message, its edit, a comment, a note — gets
 * the display name of the user its id points at, read from the users table; one that points at no
 * user becomes the text `@name` it showed, so no one can pass off a mention of one person under
 * another's name; a mention of everyone gets its one name (MENTION_EVERYONE_NAME). The payload is changed in place, after validation and before the command, so
 * every command stores (and every reader presents) the server's name. Costs nothing without a
 * mention, one query with some.
 */
export async function authoritativeMentions(em: EntityManager, payload: unknown): Promise<void> {
  const mentions: Mention[] = [];
  const pending: unknown[] = [payload];
  while (pending.length) {
    const current = pending.pop();
    if (!current || typeof current !== 'object') continue;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (Array.isArray(current)) {
      current.forEach((child, index) => {
        if (isMention(child)) mentions.push({ node: child, siblings: current, index });
        else if (isMentionOfEveryone(child)) child.name = MENTION_EVERYONE_NAME;
      });
    }
    for (const child of children) if (child && typeof child === 'object') pending.push(child);
  }
  if (!mentions.length) return;
  const ids = [...new Set(mentions.map((m) => m.node.userId as string))];
  const rows = await em.execute<{ id: string; display_name: string }[]>(`SELECT id::text AS id, display_name FROM users WHERE id = ANY(?::bigint[])`, [pgArray(ids)]);
  const names = new Map(rows.map((r) => [String(r.id), r.display_name.slice(0, MAX_MENTION_NAME_LENGTH)]));
  for (const { node, siblings, index } of mentions) {
    const name = names.get(node.userId as string);
    if (name !== undefined) node.name = name;
    else siblings[index] = { type: 'text', version: 1, text: `@${typeof node.name === 'string' ? node.name : ''}`, format: 0, detail: 0, mode: 'normal', style: '' };
  }
}

function isMentionOfEveryone(value: unknown): value is Record<string, unknown> {
  const node = value as Record<string, unknown> | null;
  return !!node && typeof node === 'object' && node.type === 'mention' && node.userId === MENTION_EVERYONE;
}

function isMention(value: unknown): value is Record<string, unknown> {
  const node = value as Record<string, unknown> | null;
  return !!node && typeof node === 'object' && node.type === 'mention' && typeof node.userId === 'string' && isId(node.userId);
}
