import { randomUUID } from 'node:crypto';
import { documentFromPlainText } from '../../shared/richText/index.js';
import type { ApiClient } from './api.js';
import { ok } from './api.js';
import { createUser, rootDepartment } from './factories.js';

/** A rich-text body holding plain text. */
export const textBody = (text: string) => documentFromPlainText(text) as unknown as Record<string, unknown>;

/** A rich-text body mentioning a user. */
export function mentionBody(text: string, user: { id: string; displayName: string }) {
  const doc = documentFromPlainText(text) as any;
  doc.root.children[0].children.push({ type: 'mention', version: 1, userId: user.id, name: user.displayName });
  return doc as Record<string, unknown>;
}

/** Sends a text message over HTTP and returns the stored message. */
export async function sendText(api: ApiClient, conversationId: string, text: string, clientId = randomUUID()) {
  return ok(await api.post(`/api/conversations/${conversationId}/messages`, { clientId, body: textBody(text) }));
}

/** Several signed-in users in the root department. */
export async function createUsers(admin: ApiClient, count: number) {
  const root = await rootDepartment(admin);
  return Promise.all(Array.from({ length: count }, () => createUser(admin, root.id)));
}
