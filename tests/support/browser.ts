/** Headless Chromium (see chromium.ts for which one) driven by playwright-core, plus helpers for browser tests. */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../server/config/env.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { startTestServer, type TestServer } from './server.js';
import { addCjkFont } from './cjkFonts.js';

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Fails early and clearly when the client was not built: the server would only answer 404s. */
export function assertClientBuilt(): void {
  if (!fs.existsSync(path.resolve('client/dist/index.html'))) throw new Error('client/dist is missing: run `npm run build:client` before the browser tests');
}

/** Launches the Chromium chosen once per run by the global set-up; without one it fails at once, saying what to install. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = inject('chromiumPath');
  if (!executablePath) throw new Error(inject('chromiumError'));
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export type TestPage = { context: BrowserContext; page: Page; pageErrors: Error[] };

/**
 * A fresh browser profile (own cookies and storage) with a browser language and, optionally, time
 * zone and device (e.g. a phone's viewport and touch screen); uncaught page errors are collected so
 * a test can assert the client never crashed.
 */
export async function openPage(browser: Browser, baseURL: string, locale = 'zh-CN', timezoneId?: string, device: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ ...device, baseURL, locale, timezoneId });
  context.setDefaultTimeout(15_000);
  await addCjkFont(context);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

/** A `[data-testid=…]` locator. */
export const byTestId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);

/** Signs in through the login form and waits for the home page and a live connection. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await byTestId(page, 'login-email').fill(email);
  await byTestId(page, 'login-password').fill(password);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'home-page').waitFor();
  await page.locator('[data-testid="connection-state"][data-state="online"]').waitFor();
}

/** A fresh browser profile (see openPage) signed in through the login form; `timezoneId` sets the browser's zone (default: the machine's). */
export async function openSignedIn(browser: Browser, baseURL: string, email: string, password: string, locale = 'zh-CN', timezoneId?: string, device: BrowserContextOptions = {}): Promise<TestPage> {
  const tab = await openPage(browser, baseURL, locale, timezoneId, device);
  await tab.page.goto('/login');
  await signInThroughForm(tab.page, email, password);
  return tab;
}

/** Waits until the bell's badge shows exactly `count` unread notifications (hidden when 0). */
export function waitForUnreadCount(page: Page, count: number): Promise<void> {
  return page.locator(`[data-testid="notification-count"][data-count="${count}"]`).waitFor({ state: 'attached' });
}

/** Starts a server on a fixed port against an existing database, e.g. to restart one in place. */
export async function startServerOnPort(databaseUrl: string, port: number): Promise<RunningServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
    CLIENT_DIST: path.resolve('client/dist'),
  });
  return startServer(config, databaseUrl, { logger: pino({ level: 'silent' }) });
}

export type BrowserSuite = { server: TestServer; browser: Browser };

/**
 * One server (with `env`) and one browser for a test file: started together before its tests,
 * closed after them. The fields are set once the file's first `beforeAll` ran.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  beforeAll(async () => {
    assertClientBuilt();
    [suite.server, suite.browser] = await Promise.all([startTestServer(env), launchBrowser()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
