/**
 * A load-generator worker (one forked process; the benchmark runs several). It holds many
 * clients speaking the Socket.IO 5 / Engine.IO 4 wire protocol directly over `ws` (websocket
 * transport only, as the web client uses), which costs a fraction of socket.io-client per
 * received frame, so the generator is not what limits the servers. Both servers get exactly
 * the same client.
 *
 * Each message carries its send time (CLOCK_MONOTONIC, shared by all processes of the machine)
 * in its text as `BMS<step>T<microseconds>E`; every member that receives it records the
 * send-to-receive latency by finding that marker in the raw frame, without parsing the JSON.
 */
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { documentFromPlainText } from '../../shared/richText/index.js';
import { serveRpc } from './ipc.js';

const workerId = Number(process.argv[2] ?? 0);
const nonce = randomBytes(4).toString('hex');

export type ClientSpec = {
  /** The Socket.IO handshake's `auth`: `{ token }` for Huitong, `{ room }` for the bare server. */
  auth: Record<string, string>;
  /** Huitong only: the streams to `sync` after connecting (this joins their rooms). */
  streams?: Record<string, number>;
  /** Where this client's messages go: a conversation id (Huitong) or a room name (bare). */
  target: string;
};

type Kind = 'huitong' | 'bare';
type Client = { ws: WebSocket; spec: ClientSpec; kind: Kind; connected: boolean };

type StepState = { outstanding: number; acked: number; failed: number; errors: Record<string, number>; ackLatencies: number[] };
type PendingAck = { sentUs: number; step?: StepState; resolve?: (payload: unknown) => void };

const sets = new Map<string, Client[]>();
const pendingAcks = new Map<number, PendingAck>();
const deliveries = new Map<number, number[]>();
let ackCounter = 0;
let unexpectedDisconnects = 0;

const nowUs = () => Number(process.hrtime.bigint()) / 1000;
const MARK = Buffer.from('BMS');
const FILLER = 'hello from the load generator, a chat message of an ordinary length';

function onEventFrame(data: Buffer) {
  const at = data.indexOf(MARK);
  if (at < 0) return;
  let i = at + 3;
  let step = 0;
  while (data[i] >= 48 && data[i] <= 57) step = step * 10 + data[i++] - 48;
  if (data[i++] !== 0x54 /* T */) return;
  let sentUs = 0;
  while (data[i] >= 48 && data[i] <= 57) sentUs = sentUs * 10 + data[i++] - 48;
  const latencyMs = (nowUs() - sentUs) / 1000;
  let list = deliveries.get(step);
  if (!list) deliveries.set(step, (list = []));
  list.push(latencyMs);
}

function onAckFrame(data: Buffer) {
  const text = data.toString();
  const bracket = text.indexOf('[');
  const id = Number(text.slice(2, bracket));
  const pending = pendingAcks.get(id);
  if (!pending) return;
  pendingAcks.delete(id);
  if (pending.resolve) return pending.resolve(JSON.parse(text.slice(bracket))[0]);
  const step = pending.step!;
  step.outstanding--;
  if (text.startsWith('{"ok":true', bracket + 1)) {
    step.acked++;
    step.ackLatencies.push((nowUs() - pending.sentUs) / 1000);
  } else {
    step.failed++;
    const code = /"code":"([^"]+)"/.exec(text)?.[1] ?? 'unknown';
    step.errors[code] = (step.errors[code] ?? 0) + 1;
  }
}

function emitWithAck(client: Client, event: string, payload: unknown, timeoutMs = 30_000): Promise<any> {
  const id = ++ackCounter;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pendingAcks.delete(id);
      reject(new Error(`${event} was not acknowledged within ${timeoutMs} ms`));
    }, timeoutMs);
    pendingAcks.set(id, {
      sentUs: nowUs(),
      resolve: (value) => {
        clearTimeout(timer);
        resolve(value);
      },
    });
    client.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  });
}

/** Opens one connection and completes the Socket.IO handshake (and the `sync` for Huitong). */
function connectClient(url: string, kind: Kind, spec: ClientSpec, timeoutMs = 30_000): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, skipUTF8Validation: true });
    const client: Client = { ws, spec, kind, connected: false };
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('connect timed out')), timeoutMs);
    ws.on('error', (error) => fail(error));
    ws.on('close', () => {
      if (client.connected) unexpectedDisconnects++;
      client.connected = false;
      fail(new Error('closed during the handshake'));
    });
    ws.on('message', (data: Buffer) => {
      const c0 = data[0];
      if (c0 === 0x34 /* 4: socket.io packet */) {
        const c1 = data[1];
        if (c1 === 0x32 /* 2: EVENT */) return onEventFrame(data);
        if (c1 === 0x33 /* 3: ACK */) return onAckFrame(data);
        if (c1 === 0x30 /* 0: CONNECT accepted */) {
          client.connected = true;
          if (!spec.streams) {
            settled = true;
            clearTimeout(timer);
            return resolve(client);
          }
          emitWithAck(client, 'sync', { streams: spec.streams }).then(
            (ack) => {
              if (!ack?.ok || ack.data.refused.length) return fail(new Error(`sync refused: ${JSON.stringify(ack)}`));
              settled = true;
              clearTimeout(timer);
              resolve(client);
            },
            (error) => fail(error),
          );
          return;
        }
        if (c1 === 0x34 /* 4: CONNECT_ERROR */) return fail(new Error(`connect refused: ${data.toString().slice(2)}`));
        return;
      }
      if (c0 === 0x32 /* engine.io ping */) return ws.send('3');
      if (c0 === 0x30 /* engine.io open */) return ws.send(`40${JSON.stringify(spec.auth)}`);
    });
  });
}

function sendMessage(client: Client, stepId: number, step: StepState) {
  const sentUs = Math.round(nowUs());
  const body = JSON.stringify(documentFromPlainText(`BMS${stepId}T${sentUs}E ${FILLER}`));
  const id = ++ackCounter;
  const clientId = `b${workerId}-${nonce}-${id}`;
  pendingAcks.set(id, { sentUs, step });
  step.outstanding++;
  const target = JSON.stringify(client.spec.target);
  client.ws.send(
    client.kind === 'huitong'
      ? `42${id}["message:send",{"conversationId":${target},"clientId":"${clientId}","body":${body}}]`
      : `42${id}["send",{"room":${target},"clientId":"${clientId}","body":${body}}]`,
  );
}

async function connectSet(args: { set: string; url: string; kind: Kind; specs: ClientSpec[]; concurrency: number }) {
  const started = performance.now();
  const clients: Client[] = [];
  const errors: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < args.specs.length) {
      const spec = args.specs[next++];
      try {
        clients.push(await connectClient(args.url, args.kind, spec));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.concurrency) }, lane));
  sets.set(args.set, [...(sets.get(args.set) ?? []), ...clients]);
  return { connected: clients.length, failed: errors.length, firstError: errors[0], ms: performance.now() - started };
}

async function disconnectSet(args: { set: string }) {
  const clients = sets.get(args.set) ?? [];
  sets.delete(args.set);
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.connected = false;
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 3000);
          c.ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          c.ws.close();
        }),
    ),
  );
  return clients.length;
}

/**
 * Sends `rate` messages per second for `durationMs` from random clients of the set (open loop,
 * paced every millisecond), then waits for the outstanding acknowledgements. Stops sending early
 * when more than `maxOutstanding` sends wait for their acknowledgement (the server is overloaded).
 */
async function runStep(args: { stepId: number; set: string; rate: number; durationMs: number; maxOutstanding: number; drainMs: number }) {
  const clients = (sets.get(args.set) ?? []).filter((c) => c.connected);
  if (!clients.length) throw new Error(`no connected clients in ${args.set}`);
  const step: StepState = { outstanding: 0, acked: 0, failed: 0, errors: {}, ackLatencies: [] };
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  let aborted = false;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - started;
      const due = Math.min(Math.floor((elapsed / 1000) * args.rate), Math.round((args.durationMs / 1000) * args.rate));
      while (sent < due) {
        if (step.outstanding > args.maxOutstanding) {
          aborted = true;
          return resolve();
        }
        sendMessage(clients[Math.floor(Math.random() * clients.length)], args.stepId, step);
        sent++;
      }
      if (elapsed >= args.durationMs) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  const sendingMs = performance.now() - started;
  const drainStarted = performance.now();
  while (step.outstanding > 0 && performance.now() - drainStarted < args.drainMs) await new Promise((resolve) => setTimeout(resolve, 10));
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  return {
    sent,
    acked: step.acked,
    failed: step.failed,
    unacked: step.outstanding,
    errors: step.errors,
    aborted,
    sendingMs,
    wallMs: performance.now() - started,
    ackLatencies: Float64Array.from(step.ackLatencies),
    elu: elu.utilization,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

serveRpc({
  close: async () => {
    for (const set of [...sets.keys()]) await disconnectSet({ set });
    return true;
  },
  connect: connectSet,
  disconnect: disconnectSet,
  step: runStep,
  /** Deliveries recorded so far for the step. */
  count: ({ stepId }: { stepId: number }) => deliveries.get(stepId)?.length ?? 0,
  /** The step's delivery latencies (ms), handed over once and forgotten. */
  collect: ({ stepId }: { stepId: number }) => {
    const list = deliveries.get(stepId) ?? [];
    deliveries.delete(stepId);
    return Float64Array.from(list);
  },
  stats: () => {
    const elu = performance.eventLoopUtilization();
    const mem = process.memoryUsage();
    return { elu: { idle: elu.idle, active: elu.active }, cpu: process.cpuUsage(), rss: mem.rss, unexpectedDisconnects, sockets: [...sets.values()].reduce((n, s) => n + s.length, 0) };
  },
});
process.send!({ ready: { workerId, pid: process.pid } });
