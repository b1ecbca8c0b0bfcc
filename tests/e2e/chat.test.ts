/**
 * The chat web client against a real server, two users in two browser profiles: live
 * delivery, unread badges, read receipts, typing, catch-up after going offline (exactly once,
 * in order), pending sends delivered after reconnecting, reply, edit, delete, groups and mentions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn, waitForUnreadCount, type TestPage } from '../support/browser.js';
import { ok, unique, type ApiClient } from '../support/api.js';
import { sendText } from '../support/chat.js';

const suite = browserSuite();
let alice: { id: string; email: string; displayName: string };
let bob: { id: string; email: string; displayName: string };
let aliceApi: ApiClient;

beforeAll(async () => {
  const admin = await suite.server.admin();
  const root = await rootDepartment(admin);
  const created = await createUser(admin, root.id, { displayName: unique('王芳') });
  alice = created.user;
  aliceApi = created.api;
  bob = (await createUser(admin, root.id, { displayName: unique('李雷') })).user;
});

async function signedIn(email: string): Promise<TestPage> {
  const tab = await openSignedIn(suite.browser, suite.server.url, email, PASSWORD);
  tab.page.on('dialog', (dialog) => void dialog.accept());
  return tab;
}

const connection = (page: Page, state: string) => page.locator(`[data-testid="connection-state"][data-state="${state}"]`).waitFor();
const item = (page: Page, conversationId: string) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
const message = (page: Page, text: string) => page.locator('[data-testid="message-item"]', { has: page.locator('[data-testid="message-body"]', { hasText: text }) });
const stored = (page: Page, text: string) => page.locator('[data-testid="message-item"][data-message-id]:not([data-pending])', { hasText: text });

/** Texts of the stored messages shown in the open conversation, top to bottom. */
const texts = (page: Page) => page.locator('[data-testid="message-item"][data-message-id] [data-testid="message-body"] .rt-content').allTextContents();

/** Types into the composer and sends with Enter. */
async function write(page: Page, text: string) {
  await byTestId(page, 'composer').locator('[contenteditable="true"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

async function openChat(page: Page) {
  await byTestId(page, 'nav-chat').click();
  await byTestId(page, 'chat-page').waitFor();
}

describe('chat in the browser', () => {
  it('two users chat live, survive going offline on either side, and see edits and deletions', async () => {
    const a = await signedIn(alice.email);
    const b = await signedIn(bob.email);
    await openChat(b.page);
    await byTestId(b.page, 'conversation-list-empty').waitFor();

    // Alice starts a direct chat with Bob from the user picker.
    await openChat(a.page);
    await byTestId(a.page, 'chat-new-direct').click();
    await byTestId(a.page, 'direct-user-search').fill(bob.displayName);
    await a.page.locator(`[data-testid="direct-user-option"][data-user-id="${bob.id}"]`).click();
    await byTestId(a.page, 'conversation-view').waitFor();
    const conversationId = /\/chat\/(\d+)$/.exec(new URL(a.page.url()).pathname)![1];
    expect(await byTestId(a.page, 'conversation-heading').textContent()).toBe(bob.displayName);
    await write(a.page, '你好，李雷');
    await stored(a.page, '你好，李雷').waitFor();

    // Bob's list gets the conversation live, with an unread badge and the preview.
    await item(b.page, conversationId).locator('[data-testid="unread-badge"][data-count="1"]').waitFor();
    expect(await item(b.page, conversationId).locator('[data-testid="conversation-preview"]').textContent()).toBe('你好，李雷');
    await b.page.locator('[data-testid="nav-chat-unread"][data-count="1"]').waitFor();

    // Bob opens it: the message is there, his badge goes, and Alice sees that he read it.
    await item(b.page, conversationId).click();
    await stored(b.page, '你好，李雷').waitFor();
    await item(b.page, conversationId).locator('[data-testid="unread-badge"]').waitFor({ state: 'detached' });
    await message(a.page, '你好，李雷').locator(`[data-testid="read-receipt"][data-reader-ids="${bob.id}"]`).waitFor();

    // Typing shows on the other side; the message itself ends it.
    await byTestId(b.page, 'composer').locator('[contenteditable="true"]').click();
    await b.page.keyboard.type('收到');
    await a.page.locator(`[data-testid="typing-indicator"][data-user-ids="${bob.id}"]`).waitFor();
    await b.page.keyboard.press('Enter');
    await stored(a.page, '收到').waitFor();
    await a.page.locator('[data-testid="typing-indicator"][data-user-ids=""]').waitFor();

    // Bob goes to his list and then offline; Alice writes three messages meanwhile.
    await byTestId(b.page, 'nav-chat').click();
    await byTestId(b.page, 'chat-empty').waitFor();
    await b.context.setOffline(true);
    await connection(b.page, 'offline');
    for (const text of ['离线消息一', '离线消息二', '离线消息三']) {
      await write(a.page, text);
      await stored(a.page, text).waitFor();
    }
    expect(await item(b.page, conversationId).getAttribute('data-unread')).toBe('0');
    // Still offline: the socket was dropped and has not come back behind the browser's back.
    expect(await byTestId(b.page, 'connection-state').getAttribute('data-state')).toBe('offline');

    // Back online, Bob's list counts exactly the missed messages, and the conversation shows each once, in order.
    await b.context.setOffline(false);
    await connection(b.page, 'online');
    await item(b.page, conversationId).locator('[data-testid="unread-badge"][data-count="3"]').waitFor();
    expect(await item(b.page, conversationId).locator('[data-testid="conversation-preview"]').textContent()).toBe('离线消息三');
    await item(b.page, conversationId).click();
    await stored(b.page, '离线消息三').waitFor();
    expect(await texts(b.page)).toEqual(['你好，李雷', '收到', '离线消息一', '离线消息二', '离线消息三']);
    await item(b.page, conversationId).locator('[data-testid="unread-badge"]').waitFor({ state: 'detached' });

    // Alice writes while offline: the message shows as pending and is delivered after reconnecting.
    await a.context.setOffline(true);
    await connection(a.page, 'offline');
    await write(a.page, '断网时写的');
    const pending = a.page.locator('[data-testid="message-item"][data-pending="true"]', { hasText: '断网时写的' });
    await pending.locator('[data-testid="message-sending"]').waitFor();
    expect(await stored(b.page, '断网时写的').count()).toBe(0);
    await a.context.setOffline(false);
    await connection(a.page, 'online');
    await stored(a.page, '断网时写的').waitFor();
    await pending.waitFor({ state: 'detached' });
    await stored(b.page, '断网时写的').waitFor();
    expect(await texts(b.page)).toEqual(['你好，李雷', '收到', '离线消息一', '离线消息二', '离线消息三', '断网时写的']);
    expect(await texts(a.page)).toEqual(['你好，李雷', '收到', '离线消息一', '离线消息二', '离线消息三', '断网时写的']);

    // Bob replies to a message: Alice sees the quote.
    await message(b.page, '离线消息二').hover();
    await message(b.page, '离线消息二').locator('[data-testid="message-reply"]').click();
    await byTestId(b.page, 'composer-reply').waitFor();
    await write(b.page, '这条我来处理');
    await message(a.page, '这条我来处理').locator('[data-testid="message-quote"]', { hasText: '离线消息二' }).waitFor();

    // Alice edits one message and deletes another; Bob sees both changes live.
    const edited = message(a.page, '断网时写的');
    await edited.hover();
    await edited.locator('[data-testid="message-edit"]').click();
    const editor = byTestId(a.page, 'message-editor').locator('[contenteditable="true"]');
    await editor.click();
    await a.page.keyboard.press('ControlOrMeta+A');
    await a.page.keyboard.type('改过的内容');
    await byTestId(a.page, 'message-edit-save').click();
    await message(b.page, '改过的内容').locator('[data-testid="message-edited"]').waitFor();
    await message(a.page, '离线消息二').hover();
    await message(a.page, '离线消息二').locator('[data-testid="message-delete"]').click();
    const deletedOnB = b.page.locator('[data-testid="message-item"][data-deleted="true"]');
    await deletedOnB.locator('[data-testid="message-deleted"]').waitFor();
    expect(await message(b.page, '这条我来处理').locator('[data-testid="message-quote"]').textContent()).toContain('消息已删除');
    expect(await texts(b.page)).toEqual(['你好，李雷', '收到', '离线消息一', '离线消息三', '改过的内容', '这条我来处理']);

    expect(a.pageErrors).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('creates a group, mentions a member through the picker, shows read receipts, renames and leaves', async () => {
    const a = await signedIn(alice.email);
    const b = await signedIn(bob.email);
    await openChat(a.page);
    await openChat(b.page);

    await byTestId(a.page, 'chat-new-group').click();
    await byTestId(a.page, 'group-name').fill('华东项目组');
    await byTestId(a.page, 'group-member-search').fill(bob.displayName);
    await a.page.locator(`[data-testid="group-member-option"][data-user-id="${bob.id}"]`).click();
    await byTestId(a.page, 'group-member-chosen').waitFor();
    await byTestId(a.page, 'group-create').click();
    await a.page.locator('[data-testid="conversation-heading"]', { hasText: '华东项目组' }).waitFor();
    const groupId = /\/chat\/(\d+)$/.exec(new URL(a.page.url()).pathname)![1];

    // Bob is in the group at once; the system message names its creator.
    await item(b.page, groupId).click();
    await b.page.locator('[data-testid="message-item"][data-kind="system"]', { hasText: alice.displayName }).waitFor();

    // Bob mentions Alice with the @ picker; she is notified.
    await byTestId(b.page, 'composer').locator('[contenteditable="true"]').click();
    await b.page.keyboard.type('@' + alice.displayName.slice(0, 2));
    await b.page.locator('.rt-mention-option', { hasText: alice.displayName }).click();
    await b.page.keyboard.type('请看报价');
    await byTestId(b.page, 'send-button').click();
    await stored(a.page, '请看报价').locator('.mention', { hasText: alice.displayName }).waitFor();
    await waitForUnreadCount(a.page, 1);
    // Alice has the group open, so she has read it: Bob sees her receipt under his message.
    await message(b.page, '请看报价').locator(`[data-testid="read-receipt"][data-reader-ids="${alice.id}"]`).waitFor();

    // Alice renames the group; Bob sees the new name live. Bob leaves; Alice sees him go.
    await byTestId(a.page, 'group-settings-toggle').click();
    await byTestId(a.page, 'group-rename-input').fill('华东大客户组');
    await byTestId(a.page, 'group-rename-save').click();
    await b.page.locator('[data-testid="conversation-heading"]', { hasText: '华东大客户组' }).waitFor();
    await a.page.locator(`[data-testid="group-member"][data-user-id="${bob.id}"]`).waitFor();
    await byTestId(b.page, 'group-settings-toggle').click();
    await byTestId(b.page, 'group-leave').click();
    await item(b.page, groupId).waitFor({ state: 'detached' });
    await a.page.locator(`[data-testid="group-member"][data-user-id="${bob.id}"]`).waitFor({ state: 'detached' });
    await a.page.locator('[data-testid="message-item"][data-kind="system"]', { hasText: `${bob.displayName} 退出了群聊` }).waitFor();

    expect(a.pageErrors).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('a link to a message, as a mention notification gives, loads back to it and shows it', async () => {
    const group = ok(await aliceApi.post('/api/conversations', { name: unique('周报群'), memberIds: [bob.id] }), 201);
    const mention = await sendText(aliceApi, group.id, '李雷看一下这份合同');
    // Two pages of newer messages: the linked one is not in the first page loaded.
    for (let i = 0; i < 120; i++) await sendText(aliceApi, group.id, `后续消息 ${i}`);
    const b = await signedIn(bob.email);
    await b.page.goto(`/chat/${group.id}?message=${mention.id}`);
    const linked = b.page.locator(`[data-testid="message-item"][data-message-id="${mention.id}"][data-focused="true"]`);
    await linked.waitFor();
    const shown = await linked.evaluate((element) => {
      const list = element.closest('[data-testid="message-list"]')!.getBoundingClientRect();
      const box = element.getBoundingClientRect();
      return box.top >= list.top && box.bottom <= list.bottom;
    });
    expect(shown).toBe(true);
    expect(b.pageErrors).toEqual([]);
    await b.context.close();
  });
});
