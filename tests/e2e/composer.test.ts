/**
 * The composer as people who write Chinese use it, in Chromium: @ right after Chinese punctuation
 * or a full-width ＠, people found by pinyin initials, chosen with the keyboard or a tap, the
 * picker kept inside the window at the bottom of a desktop and of a phone, an input method's Enter
 * that sends nothing, and mentions that show the person's current name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createDepartment, createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn, type TestPage } from '../support/browser.js';
import { ok, type ApiClient } from '../support/api.js';
import { waitFor } from '../support/wait.js';
import { sendText } from '../support/chat.js';

const suite = browserSuite();
type Person = { user: { id: string; email: string; displayName: string }; api: ApiClient };
let admin: ApiClient;
let chen: Person;
let wangfang: Person;
let wangfeng: Person;
let groupId: string;

beforeAll(async () => {
  admin = await suite.server.admin();
  const root = await rootDepartment(admin);
  const east = (await createDepartment(admin, '华东销售部', root.id)).id;
  const north = (await createDepartment(admin, '华北销售部', root.id)).id;
  [chen, wangfang, wangfeng] = await Promise.all([
    createUser(admin, east, { displayName: '陈总' }),
    createUser(admin, east, { displayName: '王芳' }),
    createUser(admin, north, { displayName: '王峰' }),
  ]);
  // A namesake outside the group: the group's picker never offers her.
  await createUser(admin, north, { displayName: '王芳' });
  groupId = ok(await chen.api.post('/api/conversations', { name: '华信项目组', memberIds: [wangfang.user.id, wangfeng.user.id] }), 201).id;
});

const editor = (page: Page) => byTestId(page, 'composer').locator('[contenteditable="true"]');
const menu = (page: Page, query: string) => page.locator(`[data-testid="mention-menu"][data-query="${query}"][aria-busy="false"]`);
const options = (page: Page) => page.locator('[data-testid="mention-option"]');
const stored = (page: Page, text: string) => page.locator('[data-testid="message-item"][data-message-id]:not([data-pending])', { hasText: text });
const storedTexts = (page: Page) => page.locator('[data-testid="message-item"][data-message-id] [data-testid="message-body"] .rt-content').allTextContents();

async function openGroup(tab: TestPage) {
  await tab.page.goto(`/chat/${groupId}`);
  await byTestId(tab.page, 'conversation-view').waitFor();
}

/** Asserts that the element lies wholly inside the window. */
async function expectInsideViewport(page: Page, element: Locator) {
  const box = (await element.boundingBox())!;
  const { width, height } = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(box.y + box.height).toBeLessThanOrEqual(height);
}

/** The mention notifications of a user, newest first. */
const mentionsOf = async (person: Person) => ok(await person.api.get('/api/notifications')).items.filter((n: any) => n.kind === 'mention');

describe('the composer', () => {
  it('opens the picker mid-sentence and by pinyin, stays in a desktop window, picks with the keyboard, and notifies the person', async () => {
    const tab = await openSignedIn(suite.browser, suite.server.url, chen.user.email, PASSWORD, 'zh-CN', undefined, { viewport: { width: 1366, height: 850 } });
    const requested: string[] = [];
    tab.page.on('request', (request) => {
      if (request.url().includes('/api/users/mention-candidates')) requested.push(new URL(request.url()).searchParams.get('q') ?? '');
    });
    await openGroup(tab);
    const { page } = tab;

    // An address opens nothing: the picker would have asked the server about "e", "ex", …
    await editor(page).click();
    await page.keyboard.type('name@example.com ');
    // After the full stop of a Chinese sentence: 王芳 of the writer's department first, her department shown.
    await page.keyboard.type('签下华信。@王');
    await menu(page, '王').waitFor();
    expect(requested.filter((q) => q.startsWith('e'))).toEqual([]);
    expect(await options(page).first().getAttribute('data-user-id')).toBe(wangfang.user.id);
    expect(await options(page).first().textContent()).toBe('@王芳华东销售部');
    expect(await options(page).evaluateAll((items) => items.map((i) => i.getAttribute('data-user-id')))).toEqual([wangfang.user.id, wangfeng.user.id]);
    // The composer is at the bottom of the window: the list opens above the caret, inside the window.
    expect(await byTestId(page, 'mention-menu').getAttribute('data-placement')).toMatch(/^top/);
    await expectInsideViewport(page, byTestId(page, 'mention-menu'));
    await page.keyboard.press('Enter');
    await byTestId(page, 'mention-menu').waitFor({ state: 'detached' });
    // A full-width ＠ and the initials; arrows move, Tab chooses.
    await page.keyboard.type('请＠wf');
    await menu(page, 'wf').waitFor();
    expect(await options(page).first().getAttribute('data-user-id')).toBe(wangfang.user.id);
    await page.keyboard.press('ArrowDown');
    await page.locator(`[data-testid="mention-option"][aria-selected="true"][data-user-id="${wangfeng.user.id}"]`).waitFor();
    await page.keyboard.press('Tab');
    // Escape closes the list and leaves the text; Enter then sends.
    await page.keyboard.type('看合同@王');
    await menu(page, '王').waitFor();
    await page.keyboard.press('Escape');
    await byTestId(page, 'mention-menu').waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    const message = stored(page, '看合同');
    await message.waitFor();
    expect(await message.locator('.mention').allTextContents()).toEqual(['@王芳', '@王峰']);
    expect(await message.locator('[data-testid="message-body"] .rt-content').textContent()).toBe('name@example.com 签下华信。@王芳 请@王峰 看合同@王');

    // 王芳 and 王峰 are notified.
    await waitFor(async () => (await mentionsOf(wangfang)).length === 1 && (await mentionsOf(wangfeng)).length === 1, { what: 'both mentioned are notified' });

    // As the group's owner, 陈总 is offered @所有人 first.
    await page.keyboard.type('@');
    await menu(page, '').waitFor();
    expect(await options(page).first().getAttribute('data-user-id')).toBe('all');
    expect(await options(page).first().textContent()).toContain('@所有人');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace');

    // 王峰 is renamed: the message shows his current name.
    ok(await admin.patch(`/api/users/${wangfeng.user.id}`, { displayName: '王锋' }));
    await page.reload();
    await stored(page, '看合同').locator('.mention', { hasText: '@王锋' }).waitFor();

    expect(tab.pageErrors).toEqual([]);
    await tab.context.close();
  });

  it('on a 390 × 844 phone the picker stays on screen above the composer and a tap chooses', async () => {
    // A phone's screen and touch, without mobile emulation's wider layout viewport: today's top bar is wider than
    // 390 px (the phones issue reworks it), which would let fixed elements sit off the visible part of the page.
    const tab = await openSignedIn(suite.browser, suite.server.url, chen.user.email, PASSWORD, 'zh-CN', undefined, { viewport: { width: 390, height: 844 }, hasTouch: true });
    // A day of messages: the conversation is taller than the phone, and its composer can sit at the bottom edge.
    for (let i = 1; i <= 12; i++) await sendText(wangfang.api, groupId, `进度更新 ${i}`);
    await openGroup(tab);
    const { page } = tab;
    await stored(page, '进度更新 12').waitFor();

    // Focused rather than tapped: on today's phone layout the message list overlaps the composer (the phones issue reworks it).
    await editor(page).focus();
    await byTestId(page, 'composer').evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await page.keyboard.type('请@wf');
    await menu(page, 'wf').waitFor();
    expect(await byTestId(page, 'mention-menu').getAttribute('data-placement')).toMatch(/^top/);
    await expectInsideViewport(page, byTestId(page, 'mention-menu'));
    const composerBox = (await byTestId(page, 'composer').boundingBox())!;
    expect(composerBox.y + composerBox.height).toBeGreaterThan(844 - 120);
    await options(page).first().tap();
    await byTestId(page, 'mention-menu').waitFor({ state: 'detached' });
    await byTestId(page, 'send-button').tap();
    await stored(page, '请').locator('.mention', { hasText: '@王芳' }).waitFor();
    await waitFor(async () => (await mentionsOf(wangfang)).length === 2, { what: '王芳 is notified by the phone’s message' });

    expect(tab.pageErrors).toEqual([]);
    await tab.context.close();
  });

  it('Enter while an input method composes sends nothing and picks no one; after the composition it does', async () => {
    const tab = await openSignedIn(suite.browser, suite.server.url, chen.user.email, PASSWORD, 'zh-CN', undefined, { viewport: { width: 1366, height: 850 } });
    await openGroup(tab);
    const { page } = tab;
    const cdp = await page.context().newCDPSession(page);
    await stored(page, '看合同').waitFor();
    const before = await storedTexts(page);

    await editor(page).click();
    await page.keyboard.type('好的，');
    // Pinyin typed into the input method: "wang" is only a composition; Enter there confirms it, it does not send.
    await cdp.send('Input.imeSetComposition', { text: 'wang', selectionStart: 4, selectionEnd: 4 });
    await page.keyboard.press('Enter');
    await cdp.send('Input.insertText', { text: '王芳' });
    // The same for the picker: Enter while composing "wf" after an @ chooses no one.
    await page.keyboard.type('，@');
    await menu(page, '').waitFor();
    await cdp.send('Input.imeSetComposition', { text: 'wf', selectionStart: 2, selectionEnd: 2 });
    await page.keyboard.press('Enter');
    await cdp.send('Input.insertText', { text: '王' });
    await menu(page, '王').waitFor();
    expect(await byTestId(page, 'composer').locator('.mention').count()).toBe(0);
    expect(await storedTexts(page)).toEqual(before);
    // After the composition, Enter picks, and then sends.
    await page.keyboard.press('Enter');
    await byTestId(page, 'composer').locator('.mention', { hasText: '@王芳' }).waitFor();
    await page.keyboard.press('Enter');
    await stored(page, '好的，王芳').waitFor();
    expect(await storedTexts(page)).toEqual([...before, '好的，王芳，@王芳 ']);

    expect(tab.pageErrors).toEqual([]);
    await tab.context.close();
  });
});
