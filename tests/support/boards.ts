/** Factories for board tests: boards through the admin API, threads and replies through their authors'. */
import type { ApiClient } from './api.js';
import { ok } from './api.js';
import { textBody } from './chat.js';

type Grantees = { userIds?: string[]; departmentIds?: string[] };
export type BoardFields = {
  name?: string;
  openness: 'open' | 'semi_open' | 'closed';
  readOnly?: boolean;
  allowAnonymous?: boolean;
  everyonePosts?: boolean;
  category?: string | null;
  moderators?: Grantees;
  viewers?: Grantees;
  members?: Grantees;
  posters?: Grantees;
};

const grantees = (g?: Grantees) => ({ userIds: g?.userIds ?? [], departmentIds: g?.departmentIds ?? [] });

/** Creates a board through the admin API. */
export async function createBoard(admin: ApiClient, fields: BoardFields) {
  return ok(
    await admin.post('/api/boards', {
      ...fields,
      name: fields.name ?? `${fields.openness} ${Math.random().toString(36).slice(2, 7)}`,
      moderators: grantees(fields.moderators),
      viewers: grantees(fields.viewers),
      members: grantees(fields.members),
      posters: grantees(fields.posters),
    }),
    201,
  );
}

/** Starts a thread with a plain-text (or given) body. */
export async function startThread(api: ApiClient, boardId: string, title: string, body: Record<string, unknown> = textBody(title), extra: Record<string, unknown> = {}) {
  return ok(await api.post(`/api/boards/${boardId}/threads`, { title, body, ...extra }), 201);
}

/** Replies in a thread. */
export async function reply(api: ApiClient, threadId: string, text: string | Record<string, unknown>, quoteReplyId: string | null = null) {
  return ok(await api.post(`/api/boards/threads/${threadId}/replies`, { body: typeof text === 'string' ? textBody(text) : text, quoteReplyId }), 201);
}

/** The ids of every thread of a board the client sees, all pages. */
export async function threadIds(api: ApiClient, boardId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any; headers: Headers } = await api.get(`/api/boards/${boardId}/threads?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status === 404) return [];
    const page: { items: { id: string }[]; nextCursor: string | null } = ok(res);
    ids.push(...page.items.map((t) => t.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
