import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';
import { ok } from '../support/api.js';
import { assertClientBuilt, byTestId, launchBrowser, openPage, signInThroughForm, startServerOnPort, waitForUnreadCount } from '../support/browser.js';
import type { RunningServer } from '../../server/start.js';

let browser: Browser;
const servers: RunningServer[] = [];

beforeAll(async () => {
  assertClientBuilt();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
});

describe('realtime across a server restart', () => {
  // Three server starts, a sign-in and the client's reconnect backoff: over 30 s on a busy machine.
  it('shows reconnecting while the server is down, then reconnects and replays the notification it missed', { timeout: 90_000 }, async () => {
    const first: TestServer = await startTestServer();
    servers.push(first);
    const { page, context, pageErrors } = await openPage(browser, first.url);
    await page.goto('/login');
    await signInThroughForm(page, ADMIN.email, ADMIN.password);
    await waitForUnreadCount(page, 0);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));

    // The server stops (it disconnects every socket itself, which Socket.IO does not retry on its own).
    await first.close();
    await page.locator('[data-testid="connection-state"][data-state="reconnecting"]').waitFor();
    expect(await byTestId(page, 'connection-state').textContent()).toBe('正在重连');

    // While this browser is disconnected, another server process on the same database notifies the admin.
    const other = await startTestServer({}, { databaseUrl: first.databaseUrl });
    servers.push(other);
    const admin = await other.admin();
    ok(await admin.post('/api/notifications/system', { recipientIds: [admin.me.id], title: '断线期间的通知' }), 201);
    await other.close();

    // The server comes back on the same address: the client reconnects, syncs, and counts the missed notification.
    servers.push(await startServerOnPort(first.databaseUrl, first.port));
    await page.locator('[data-testid="connection-state"][data-state="online"]').waitFor({ timeout: 20_000 });
    await waitForUnreadCount(page, 1);
    await byTestId(page, 'notification-bell').click();
    await page.locator('[data-testid="notification-item"]', { hasText: '断线期间的通知' }).waitFor();
    expect(await byTestId(page, 'notification-item').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
