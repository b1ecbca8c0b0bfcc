/**
 * Files in the browser: a user pastes an image into the chat composer; it uploads with progress and
 * goes with the message; the other user sees its thumbnail live and opens the full image in the
 * viewer; someone outside the conversation asking for it directly gets 404. A message of only a file
 * is named in the conversation list. On a board, the reply composer shows the limits, refuses a file
 * too large or of a refused type before sending it, and a pasted image goes with the reply, seen live
 * by another reader of the thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';
import { ok, unique, type ApiClient } from '../support/api.js';
import { createBoard, startThread } from '../support/boards.js';
import { pdfBytes, upload } from '../support/files.js';
import { textBody } from '../support/chat.js';

const dataDir = path.join(os.tmpdir(), `huitong-e2e-files-${process.pid}-${Date.now()}`);
const suite = browserSuite({ DATA_DIR: dataDir });
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let aliceApi: ApiClient;
let outsiderApi: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  admin = await suite.server.admin();
  // A small limit per file, so that the client's own refusal can be tried with a small file.
  ok(await admin.patch('/api/settings', { fileLimits: { maxFileMb: 1, dailyMbPerUser: 2000, allowedTypes: ['image/*', 'application/pdf', 'text/plain'] } }));
  const root = await rootDepartment(admin);
  ({ user: alice, api: aliceApi } = await createUser(admin, root.id, { displayName: unique('王芳') }));
  ({ user: bob } = await createUser(admin, root.id, { displayName: unique('李雷') }));
  ({ api: outsiderApi } = await createUser(admin, root.id, { displayName: unique('外人') }));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('files in the browser', () => {
  it('a pasted image goes with a chat message; the other member sees its thumbnail live and opens it; an outsider gets 404', { timeout: 90_000 }, async () => {
    const conversation = ok(await aliceApi.post('/api/conversations/direct', { userId: bob.id }));
    const a = await openSignedIn(suite.browser, suite.server.url, alice.email, PASSWORD);
    const b = await openSignedIn(suite.browser, suite.server.url, bob.email, PASSWORD);
    for (const tab of [a, b]) {
      await tab.page.goto(`${suite.server.url}/chat/${conversation.id}`);
      await byTestId(tab.page, 'conversation-view').waitFor();
    }

    // Alice pastes a screenshot into the composer: it uploads at once and shows in the list of uploads.
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();
    const editor = byTestId(a.page, 'composer').locator('[contenteditable="true"]');
    await editor.click();
    await editor.evaluate((node, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], '截图.png', { type: 'image/png' }));
      node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, png.toString('base64'));
    await a.page.locator('[data-testid="upload"][data-status="done"]').waitFor();
    await a.page.keyboard.type('合同签好了');
    await byTestId(a.page, 'send-button').click();

    // Bob sees the message with the thumbnail, live, and the thumbnail is a real image.
    const thumb = b.page.locator('[data-testid="message-item"][data-message-id] [data-testid="attachment-thumb"]');
    await thumb.waitFor();
    const fileId = await thumb.getAttribute('data-file-id');
    const thumbImage = thumb.locator('img');
    await expect.poll(() => thumbImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);

    // He opens it: the viewer shows the full image (800 px wide).
    await thumb.click();
    const full = byTestId(b.page, 'image-viewer-image');
    await full.waitFor();
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(800);
    await b.page.keyboard.press('Escape');
    await byTestId(b.page, 'image-viewer').waitFor({ state: 'detached' });

    // Someone outside the conversation: 404 for the image and its thumbnail.
    expect((await outsiderApi.get(`/api/files/${fileId}/content`)).status).toBe(404);
    expect((await outsiderApi.get(`/api/files/${fileId}/thumbnail`)).status).toBe(404);

    // A message of only a file: the conversation list names it (zh-CN) rather than showing nothing.
    const pdf = ok(await upload(aliceApi, '报价单.pdf', pdfBytes()), 201);
    ok(await aliceApi.post(`/api/conversations/${conversation.id}/messages`, { clientId: `files-only-${Date.now()}`, body: textBody(''), attachmentIds: [pdf.id] }), 201);
    await expect.poll(() => b.page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversation.id}"] [data-testid="conversation-preview"]`).textContent()).toBe('[文件] 报价单.pdf');

    // A board thread both read: Bob's reply composer shows the limits, and refuses before sending a file over them or of a refused type.
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(aliceApi, board.id, unique('投标文件'));
    for (const tab of [a, b]) {
      await tab.page.goto(`${suite.server.url}/boards/threads/${thread.id}`);
      await byTestId(tab.page, 'reply-composer').waitFor();
    }
    const composer = byTestId(b.page, 'reply-composer');
    await expect.poll(() => composer.locator('[data-testid="files-limits"]').textContent()).toContain('单个文件不超过 1.0 MB');
    const replyEditor = composer.locator('[contenteditable="true"]');
    await replyEditor.click();
    const paste = (files: { name: string; type: string; base64?: string; size?: number }[]) =>
      replyEditor.evaluate((node, list) => {
        const transfer = new DataTransfer();
        for (const f of list) transfer.items.add(new File([f.base64 ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : new Uint8Array(f.size!)], f.name, { type: f.type }));
        node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
      }, files);
    await paste([
      { name: 'big.pdf', type: 'application/pdf', size: 1048577 },
      { name: 'tool.exe', type: 'application/x-msdownload', size: 10 },
    ]);
    const refused = composer.locator('[data-testid="upload"][data-status="failed"]');
    await expect.poll(() => refused.allTextContents()).toEqual([expect.stringContaining('文件超过大小上限'), expect.stringContaining('不允许上传这种类型的文件')]);
    expect(await composer.locator('[data-testid="upload-retry"]').count()).toBe(0);

    // A pasted photo goes with the reply; Alice, on the same thread, sees its thumbnail live.
    await paste([{ name: '现场.png', type: 'image/png', base64: png.toString('base64') }]);
    await composer.locator('[data-testid="upload"][data-status="done"]').waitFor();
    await b.page.keyboard.type('现场照片');
    await byTestId(b.page, 'reply-submit').click();
    const replyThumb = a.page.locator('[data-testid="reply-item"] [data-testid="attachment-thumb"]');
    await replyThumb.waitFor();
    await expect.poll(() => replyThumb.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    expect(a.pageErrors).toEqual([]);
    expect(b.pageErrors).toEqual([]);
  });
});
