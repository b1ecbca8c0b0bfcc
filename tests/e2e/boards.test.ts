/**
 * The boards in the browser: two users on an open board reply to each other live (the thread list
 * and the thread page update as the other writes, a quote included); on a semi-open board the
 * second user cannot see the first's thread, while a viewer of the board can.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn, type TestPage } from '../support/browser.js';
import { unique } from '../support/api.js';
import { createBoard } from '../support/boards.js';

const suite = browserSuite();
type Person = { id: string; email: string; displayName: string };
let first: Person, second: Person, viewer: Person;
let openBoard: { id: string }, box: { id: string };

beforeAll(async () => {
  const admin = await suite.server.admin();
  const root = await rootDepartment(admin);
  [first, second, viewer] = (await Promise.all([unique('王芳'), unique('李雷'), unique('赵敏')].map((displayName) => createUser(admin, root.id, { displayName })))).map((c) => c.user);
  openBoard = await createBoard(admin, { openness: 'open', name: '综合讨论', category: '公司' });
  box = await createBoard(admin, { openness: 'semi_open', name: '意见箱', category: '公司', viewers: { userIds: [viewer.id] } });
});

const signedIn = (person: Person): Promise<TestPage> => openSignedIn(suite.browser, suite.server.url, person.email, PASSWORD);
const replyTexts = (page: Page) => page.locator('[data-testid="reply-item"] [data-testid="reply-body"] .rt-content').allTextContents();

async function writeIn(scope: ReturnType<typeof byTestId>, text: string) {
  await scope.locator('[contenteditable="true"]').click();
  await scope.page().keyboard.type(text);
}

async function startThread(page: Page, boardId: string, title: string, text: string): Promise<string> {
  await page.goto(`/boards/${boardId}`);
  await byTestId(page, 'thread-new').click();
  await byTestId(page, 'thread-title-input').fill(title);
  await writeIn(byTestId(page, 'thread-composer'), text);
  await byTestId(page, 'thread-submit').click();
  await byTestId(page, 'thread-page').waitFor();
  return (await byTestId(page, 'thread-page').getAttribute('data-thread-id'))!;
}

async function reply(page: Page, text: string) {
  await writeIn(byTestId(page, 'reply-composer'), text);
  await byTestId(page, 'reply-submit').click();
}

describe('boards in the browser', () => {
  it('two users reply to each other live on an open board; on a semi-open board only the author and a viewer see a thread', { timeout: 90_000 }, async () => {
    const a = await signedIn(first);
    const b = await signedIn(second);
    const v = await signedIn(viewer);

    // The second user watches the board's thread list while the first starts a thread: it appears, marked new.
    await b.page.goto('/boards');
    await b.page.locator(`[data-testid="board-row"][data-board-id="${openBoard.id}"] [data-testid="board-link"]`).click();
    await byTestId(b.page, 'thread-list-empty').waitFor();
    const threadId = await startThread(a.page, openBoard.id, '周五团建去哪里', '大家有什么建议？');
    const row = b.page.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`);
    await row.locator('[data-testid="thread-new-marker"]').waitFor();

    // They reply to each other; each reply arrives on the other's page as it is posted.
    await row.locator('[data-testid="thread-link"]').click();
    await byTestId(b.page, 'thread-page').waitFor();
    await reply(b.page, '去爬山吧');
    await a.page.locator('[data-testid="reply-item"][data-number="1"]').waitFor();
    expect(await replyTexts(a.page)).toEqual(['去爬山吧']);
    await a.page.locator('[data-testid="reply-item"][data-number="1"] [data-testid="reply-quote-button"]').click();
    await byTestId(a.page, 'composer-quote').waitFor();
    await reply(a.page, '好主意，我订车');
    const quoted = b.page.locator('[data-testid="reply-item"][data-number="2"]');
    await quoted.waitFor();
    expect(await quoted.locator('[data-testid="reply-quote"]').getAttribute('data-quote-number')).toBe('1');
    expect(await replyTexts(b.page)).toEqual(['去爬山吧', '好主意，我订车']);
    // The reply count follows on the first user's page too.
    await a.page.locator('[data-testid="reply-item"][data-number="2"]').waitFor();

    // A semi-open board: the first user's suggestion is theirs and the viewer's, not the second user's.
    const suggestionId = await startThread(a.page, box.id, '食堂建议', '希望增加素食窗口');
    await b.page.goto(`/boards/${box.id}`);
    await byTestId(b.page, 'board-own-only').waitFor();
    await byTestId(b.page, 'thread-list-empty').waitFor();
    await b.page.goto(`/boards/threads/${suggestionId}`);
    await byTestId(b.page, 'thread-gone').waitFor();
    await v.page.goto(`/boards/${box.id}`);
    await v.page.locator(`[data-testid="thread-row"][data-thread-id="${suggestionId}"]`).waitFor();
    await v.page.locator(`[data-testid="thread-row"][data-thread-id="${suggestionId}"] [data-testid="thread-link"]`).click();
    expect(await byTestId(v.page, 'thread-title').textContent()).toBe('食堂建议');

    for (const tab of [a, b, v]) expect(tab.pageErrors).toEqual([]);
  });
});
