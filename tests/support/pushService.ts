/**
 * A local push service speaking the Web Push protocol: the `web-push-testing` package's server, run
 * in the test process on a free port. It hands out subscriptions as a browser's push service would
 * (endpoint, P-256 key, auth secret), checks the VAPID signature and encryption headers of every
 * push (RFC 8030 / 8291 / 8292), decrypts the payload with the subscription's private key and keeps
 * it for the test, and answers 410 for a subscription the test expired.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { freePort } from './globalSetup.js';

const require = createRequire(import.meta.url);

export type LocalSubscription = { endpoint: string; keys: { p256dh: string; auth: string }; clientHash: string };

export type LocalPushService = {
  url: string;
  /** A new subscription bound to the server's VAPID public key, as PushManager.subscribe would make. */
  subscribe: (applicationServerKey: string) => Promise<LocalSubscription>;
  /** The decrypted payloads that reached one subscription, oldest first. */
  messages: (clientHash: string) => Promise<string[]>;
  /** From now on the service answers 410 Gone for this subscription. */
  expire: (clientHash: string) => Promise<void>;
  close: () => Promise<void>;
};

/** Starts it on `port` (a free one when not given: a server under test must know its origin before it starts). */
export async function startLocalPushService(port?: number): Promise<LocalPushService> {
  const TestingServer = require('web-push-testing/src/server.js');
  const { PushApiModel } = require('web-push-testing/src/PushApiModel.js');
  port ??= await freePort();
  const server = new TestingServer(new PushApiModel(), port);
  // It announces itself on stdout once listening; the tests' output stays quiet.
  const log = console.log;
  console.log = () => undefined;
  server.startServer();
  const http = server._server as Server;
  if (!http.listening) await new Promise((resolve) => http.once('listening', resolve));
  console.log = log;
  const url = `http://localhost:${port}`;
  const call = async (path: string, body: unknown) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`push service ${path}: ${res.status} ${await res.text()}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : null;
  };
  return {
    url,
    subscribe: async (applicationServerKey) => (await call('/subscribe', { applicationServerKey, userVisibleOnly: 'true' })).data,
    messages: async (clientHash) => (await call('/get-notifications', { clientHash })).data.messages,
    expire: async (clientHash) => void (await call(`/expire-subscription/${clientHash}`, {})),
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
