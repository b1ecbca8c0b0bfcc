/**
 * `npm run bench:chat`: Huitong's chat against a bare Socket.IO relay (the baseline), in one run
 * on this machine, with the same load generator. See issue 3, "Benchmark".
 *
 *  1. its own embedded PostgreSQL in a temp dir; Huitong (startServer) and the bare server each in
 *     a child process of their own; the load generator in BENCH_WORKERS (default 2) worker processes;
 *  2. throughput: 10 groups × 50 online members (500 clients per server); the message rate steps up
 *     (50, 100, 200, … doubling, then three bisections) until p99 send-to-receive latency, measured at
 *     every receiving member, reaches 100 ms; a failed step is retried once, and the two servers'
 *     ladders take turns so that both see the machine's other load alike;
 *  3. latency: p50 / p99 at a fixed 200 messages per second, in rounds taking turns, pooled;
 *  4. memory: the RSS growth of a fresh server process per idle authenticated connection at 5,000
 *     connections (with the growth from 1,000 on and the V8 heap as cross-checks);
 *  5. history: the newest 50 messages of a conversation holding 1,000,000 messages, over HTTP.
 *
 * Ends with `RESULT throughput_ratio=… p99_ratio=… mem_ratio=… history_ms=…`. Everything listens on
 * 127.0.0.1, is bounded in count and time, and stops by itself. For work on the server,
 * BENCH_PHASES picks phases and BENCH_PROFILE_DIR writes a CPU profile of Huitong's first latency
 * round; other BENCH_* variables below shrink the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { messageSelectSql } from '../../server/queries/chat.js';
import { Child, forkChild, waitReady } from './ipc.js';
import type { ClientSpec } from './loadgen.js';
import { bulkInsertHistory, createGroup, insertSessions, insertUsers, loginAll, type BenchUser } from './seed.js';
import { cpuMsBetween, eluBetween, fmtMs, fmtRatio, median, openFilesLimit, percentile, postgresCpuMsBetween, postgresCpuTicks, sortedWithMissing } from './stats.js';
import { freePort } from '../support/globalSetup.js';

const envInt = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

const GROUPS = 10;
const GROUP_SIZE = 50;
const WORKERS = envInt('BENCH_WORKERS', 2);
const MEMORY_CONNECTIONS = envInt('BENCH_MEMORY_CONNECTIONS', 5000);
const HISTORY_MESSAGES = envInt('BENCH_HISTORY_MESSAGES', 1_000_000);
const STEP_MS = envInt('BENCH_STEP_MS', 3000);
const LATENCY_RATE = envInt('BENCH_LATENCY_RATE', 200);
const LATENCY_MS = envInt('BENCH_LATENCY_MS', 12_000);
const LATENCY_ROUNDS = 3;
const P99_LIMIT_MS = 100;
const LADDER = [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800];
// Three halvings of a doubling step leave about 9 % between the last pass and the first failure; two left 19 %, a whole step of the ratio either way.
const BISECTIONS = 3;
const HISTORY_RUNS = 50;
const DEADLINE_MS = 20 * 60_000;
/** For working on the server: a subset of memory,throughput,latency,history, and where to write a CPU profile of the Huitong server during the latency step. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'memory,throughput,latency,history').split(',').map((p) => p.trim()));
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

type Kind = 'huitong' | 'bare';
type Target = { kind: Kind; label: string; runner: Child; url: string; set: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line = '') => console.log(line);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

// ---------------------------------------------------------------------------------------------
// Resources, released in reverse order whatever happens.
let dataDir: string | undefined;
let embedded: EmbeddedDatabase | undefined;
let db: pg.Client | undefined;
const children: Child[] = [];
let postmasterPid: number | undefined;

async function cleanup() {
  await Promise.allSettled(children.map((c) => c.call('close', {}, 8000).catch(() => undefined)));
  await Promise.allSettled(children.map((c) => c.stop()));
  await db?.end().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Load steps.
let nextStepId = 1;
let workers: Child[] = [];

type StepResult = {
  rate: number;
  sent: number;
  acked: number;
  failed: number;
  errors: Record<string, number>;
  aborted: boolean;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  ackP50: number;
  ackP99: number;
  serverElu: number;
  serverCpu: number;
  pgCpu: number;
  genElu: number[];
  genCpu: number;
  /** Every delivery's latency (ms), sorted; missing deliveries as Infinity. */
  samples: Float64Array;
  ackSamples: Float64Array;
  pass: boolean;
};

/** Splits client specs round-robin over the workers and connects them. */
async function connectClients(target: Target, set: string, specs: ClientSpec[], concurrency: number) {
  const parts = workers.map((_, w) => specs.filter((_, i) => i % workers.length === w));
  const results = await Promise.all(workers.map((w, i) => w.call('connect', { set, url: target.url, kind: target.kind, specs: parts[i], concurrency }, 300_000)));
  const connected = sum(results.map((r) => r.connected));
  const failed = sum(results.map((r) => r.failed));
  if (failed) throw new Error(`${failed} of ${specs.length} ${target.label} connections failed: ${results.find((r) => r.firstError)?.firstError}`);
  return { connected, ms: Math.max(...results.map((r) => r.ms)) };
}

async function disconnectClients(set: string) {
  await Promise.all(workers.map((w) => w.call('disconnect', { set }, 60_000)));
}

/** Sends `rate` messages per second into the groups for `durationMs` and measures every delivery. */
async function runStep(target: Target, rate: number, durationMs: number): Promise<StepResult> {
  const stepId = nextStepId++;
  const perWorker = rate / workers.length;
  const s0 = await target.runner.call('stats');
  const pg0 = target.kind === 'huitong' ? postgresCpuTicks(postmasterPid) : new Map<number, number>();
  const wall0 = performance.now();
  const results = await Promise.all(
    workers.map((w) =>
      w.call('step', { stepId, set: target.set, rate: perWorker, durationMs, maxOutstanding: Math.max(50, Math.round(perWorker * 0.5)), drainMs: 20_000 }, durationMs + 60_000),
    ),
  );
  const s1 = await target.runner.call('stats');
  const pg1 = target.kind === 'huitong' ? postgresCpuTicks(postmasterPid) : new Map<number, number>();
  const wallMs = performance.now() - wall0;
  const acked = sum(results.map((r) => r.acked));
  const expected = acked * GROUP_SIZE;
  // Deliveries trail the acknowledgements a little: wait for them, up to 3 s.
  const deadline = Date.now() + 3000;
  let delivered = 0;
  for (;;) {
    delivered = sum(await Promise.all(workers.map((w) => w.call<number>('count', { stepId }))));
    if (delivered >= expected || Date.now() > deadline) break;
    await sleep(50);
  }
  const samples = await Promise.all(workers.map((w) => w.call<Float64Array>('collect', { stepId })));
  const sorted = sortedWithMissing(samples, expected - delivered);
  const acks = sortedWithMissing(results.map((r) => r.ackLatencies as Float64Array));
  const errors: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.errors as Record<string, number>)) errors[code] = (errors[code] ?? 0) + n;
  const failed = sum(results.map((r) => r.failed)) + sum(results.map((r) => r.unacked));
  const aborted = results.some((r) => r.aborted);
  const p99 = percentile(sorted, 99);
  return {
    rate,
    sent: sum(results.map((r) => r.sent)),
    acked,
    failed,
    errors,
    aborted,
    delivered,
    expected,
    p50: percentile(sorted, 50),
    p99,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    serverElu: eluBetween(s0.elu, s1.elu),
    serverCpu: cpuMsBetween(s0.cpu, s1.cpu) / wallMs,
    pgCpu: postgresCpuMsBetween(pg0, pg1) / wallMs,
    genElu: results.map((r) => r.elu),
    genCpu: sum(results.map((r) => r.cpuMs)) / wallMs,
    samples: sorted,
    ackSamples: acks,
    pass: !aborted && failed === 0 && acked > 0 && p99 < P99_LIMIT_MS,
  };
}

function describeStep(label: string, r: StepResult) {
  const errors = Object.keys(r.errors).length ? ` errors ${JSON.stringify(r.errors)}` : '';
  const pgPart = Number.isFinite(r.pgCpu) ? ` pg ${r.pgCpu.toFixed(2)}` : '';
  return (
    `  ${label.padEnd(5)} ${String(r.rate).padStart(5)} msg/s  sent ${String(r.sent).padStart(6)} acked ${String(r.acked).padStart(6)}` +
    `  delivered ${r.delivered}/${r.expected}  p50 ${fmtMs(r.p50)} p99 ${fmtMs(r.p99)} max ${fmtMs(r.max)} ms  ack p99 ${fmtMs(r.ackP99)}` +
    `  | server loop ${r.serverElu.toFixed(2)} cpu ${r.serverCpu.toFixed(2)}${pgPart} | generator loops ${r.genElu.map((e) => e.toFixed(2)).join('/')} cpu ${r.genCpu.toFixed(2)}` +
    `${r.aborted ? ' ABORTED(overloaded)' : ''}${errors}  ${r.pass ? 'pass' : 'FAIL'}`
  );
}

type Ladder = { target: Target; steps: StepResult[]; lastPass: number; firstFail: number };

/** The rates one ladder tries: doubling until a failure, then bisections (geometric) between the last pass and the first failure. */
function* ladderRates(l: Ladder): Generator<number, void, boolean> {
  for (const rate of LADDER) if (!(yield rate)) break;
  for (let i = 0; i < BISECTIONS && l.lastPass > 0 && Number.isFinite(l.firstFail); i++) {
    const mid = Math.round(Math.sqrt(l.lastPass * l.firstFail));
    if (mid <= l.lastPass || mid >= l.firstFail) break;
    yield mid;
  }
}

/** One rate on one server; a failure is retried once, as a burst of the machine's other load can sink a single step. */
async function tryRate(l: Ladder, rate: number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await runStep(l.target, rate, STEP_MS);
    l.steps.push(r);
    log(describeStep(l.target.label, r) + (attempt ? ' (retried)' : ''));
    await sleep(r.pass ? 500 : 1500);
    if (r.pass) {
      l.lastPass = Math.max(l.lastPass, rate);
      return true;
    }
  }
  l.firstFail = Math.min(l.firstFail, rate);
  return false;
}

/**
 * The highest rate at which p99 stays under the limit, for each server. The two ladders take turns
 * step by step (alternating which goes first), so that both see the machine's other load alike.
 */
async function throughputLadders(targets: Target[]): Promise<Ladder[]> {
  const ladders = targets.map((target) => ({ target, steps: [], lastPass: 0, firstFail: Infinity }) as Ladder);
  const runs = ladders.map((l) => {
    const rates = ladderRates(l);
    return { l, rates, next: rates.next() };
  });
  for (let turn = 0; runs.some((r) => !r.next.done); turn++) {
    for (const run of turn % 2 ? [...runs].reverse() : runs) {
      if (run.next.done) continue;
      const pass = await tryRate(run.l, run.next.value);
      run.next = run.rates.next(pass);
    }
  }
  return ladders;
}

/** Pools steps of one server (latency measured in several rounds) into one result. */
function pooled(steps: StepResult[]): StepResult {
  const sorted = sortedWithMissing(steps.map((s) => s.samples));
  const acks = sortedWithMissing(steps.map((s) => s.ackSamples));
  const total = (key: 'sent' | 'acked' | 'failed' | 'delivered' | 'expected') => sum(steps.map((s) => s[key]));
  const mean = (key: 'serverElu' | 'serverCpu' | 'pgCpu' | 'genCpu') => sum(steps.map((s) => s[key])) / steps.length;
  const errors: Record<string, number> = {};
  for (const s of steps) for (const [code, n] of Object.entries(s.errors)) errors[code] = (errors[code] ?? 0) + n;
  const p99 = percentile(sorted, 99);
  const aborted = steps.some((s) => s.aborted);
  return {
    ...steps[0],
    sent: total('sent'),
    acked: total('acked'),
    failed: total('failed'),
    delivered: total('delivered'),
    expected: total('expected'),
    errors,
    aborted,
    p50: percentile(sorted, 50),
    p99,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    serverElu: mean('serverElu'),
    serverCpu: mean('serverCpu'),
    pgCpu: mean('pgCpu'),
    genCpu: mean('genCpu'),
    genElu: steps[0].genElu.map((_, i) => sum(steps.map((s) => s.genElu[i])) / steps.length),
    samples: sorted,
    ackSamples: acks,
    pass: !aborted && total('failed') === 0 && p99 < P99_LIMIT_MS,
  };
}

// ---------------------------------------------------------------------------------------------
async function measureMemory(target: Target, specs: ClientSpec[]) {
  const set = `memory-${target.kind}`;
  // Warm-up: the first connections compile code paths and grow pools; they are not what we measure.
  await connectClients(target, `${set}-warmup`, specs.slice(0, 250), 25);
  await sleep(500);
  await disconnectClients(`${set}-warmup`);
  await sleep(1500);
  const before = await target.runner.call('gc');
  // A reading at a fifth of the connections too: the growth from there on is a cross-check that
  // does not depend on how much free heap the process happened to hold at the start.
  const fifth = Math.floor(specs.length / 5);
  const first = await connectClients(target, set, specs.slice(0, fifth), 40);
  await sleep(1000);
  const middle = await target.runner.call('gc');
  const rest = await connectClients(target, set, specs.slice(fifth), 40);
  await sleep(2000);
  const after = await target.runner.call('gc');
  const connected = first.connected + rest.connected;
  const perConnection = (after.rss - before.rss) / connected;
  const marginal = (after.rss - middle.rss) / rest.connected;
  const heap = (after.heapUsed - before.heapUsed) / connected;
  log(
    `  ${target.label.padEnd(5)} ${connected} connections in ${((first.ms + rest.ms) / 1000).toFixed(1)} s: RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(after.rss / 2 ** 20).toFixed(1)} MiB` +
      ` = ${kb(perConnection)} KiB per connection (from ${fifth} to ${connected} connections: ${kb(marginal)} KiB each; V8 heap used: ${kb(heap)} KiB each)`,
  );
  await disconnectClients(set);
  return { perConnection, marginal, heap, connected };
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const started = performance.now();
  const fdLimit = openFilesLimit();
  log(`Huitong chat benchmark — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}, open-files limit ${fdLimit}`);
  if (fdLimit < MEMORY_CONNECTIONS + 500) throw new Error(`the open-files limit (${fdLimit}) is below ${MEMORY_CONNECTIONS + 500}: raise it (ulimit -n) for the memory test`);
  log(
    `Load: ${WORKERS} generator worker processes, each holding its share of the clients as raw Socket.IO-protocol websocket connections (ws), ` +
      `sending open-loop at rate/${WORKERS} msg/s from random members and timing each delivery at every member; the same generator for both servers.`,
  );

  // 1. PostgreSQL, the two servers, the generator workers.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-bench-'));
  embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'huitong', callerHandlesSignals: true });
  postmasterPid = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  const huitongEnv = { BENCH_DATABASE_URL: embedded.url, BENCH_ADMIN_EMAIL: 'admin@huitong.bench', BENCH_ADMIN_PASSWORD: 'bench-admin-password' };
  const ours = forkChild('huitong server', 'serverRunner.ts', ['huitong'], {
    env: huitongEnv,
    nodeFlags: ['--expose-gc'],
  });
  const bare = forkChild('bare server', 'serverRunner.ts', ['bare'], { nodeFlags: ['--expose-gc'] });
  workers = Array.from({ length: WORKERS }, (_, i) => forkChild(`generator ${i}`, 'loadgen.ts', [String(i)]));
  children.push(...workers, ours, bare);
  const [oursReady, bareReady] = await Promise.all([waitReady(ours), waitReady(bare), ...workers.map((w) => waitReady(w))]);
  const oursTarget: Target = { kind: 'huitong', label: 'ours', runner: ours, url: `http://127.0.0.1:${oursReady.port}`, set: 'chat-ours' };
  const bareTarget: Target = { kind: 'bare', label: 'bare', runner: bare, url: `http://127.0.0.1:${bareReady.port}`, set: 'chat-bare' };
  log(`Servers: Huitong pid ${oursReady.pid} on ${oursTarget.url} (PostgreSQL postmaster pid ${postmasterPid}), bare Socket.IO pid ${bareReady.pid} on ${bareTarget.url}`);
  const result = { throughput: NaN, p99: NaN, memory: NaN, history: NaN };
  const summary: string[] = [];

  // 2. Users, sessions and groups.
  db = new pg.Client({ connectionString: embedded.url });
  await db.connect();
  let t = performance.now();
  const inserted = await insertUsers(db, GROUPS * GROUP_SIZE);
  const users: BenchUser[] = await loginAll(oursTarget.url, inserted);
  const groups: { id: string; members: BenchUser[] }[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const members = users.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE);
    const conversation = await createGroup(oursTarget.url, members[0], `压测群 ${g + 1}`, members.slice(1).map((m) => m.id));
    groups.push({ id: conversation.id, members });
  }
  const groupOfUser = new Map<string, string>(groups.flatMap((g) => g.members.map((m) => [m.id, g.id] as [string, string])));
  const roomOfUser = new Map<string, string>(groups.flatMap((g, i) => g.members.map((m) => [m.id, `g${i}`] as [string, string])));
  const devicesPerUser = Math.ceil(MEMORY_CONNECTIONS / users.length) - 1;
  const extraSessions = devicesPerUser > 0 ? await insertSessions(db, users.map((u) => u.id), devicesPerUser) : [];
  log(`Setup: ${users.length} users inserted and signed in over HTTP, ${GROUPS} groups of ${GROUP_SIZE} created through the API, ${extraSessions.length} more sessions inserted, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const oursSpec = (userId: string, token: string): ClientSpec => ({
    auth: { token },
    streams: { [`user:${userId}`]: 0, [`conversation:${groupOfUser.get(userId)}`]: 0 },
    target: groupOfUser.get(userId)!,
  });
  const bareSpec = (userId: string): ClientSpec => ({ auth: { room: roomOfUser.get(userId)! }, target: roomOfUser.get(userId)! });

  const ctx: Ctx = { users, extraSessions, oursSpec, bareSpec, oursTarget, bareTarget, huitongEnv, result, summary };
  if (PHASES.has('memory')) await memoryPhase(ctx);
  if (PHASES.has('throughput') || PHASES.has('latency')) await loadPhases(ctx);
  if (PHASES.has('history')) await historyPhase(ctx);

  // 6. Summary.
  log(`\n== Summary (ours / bare = ratio; target) — ${((performance.now() - started) / 1000).toFixed(0)} s, load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} ==`);
  for (const line of summary) log(line);
  log(`RESULT throughput_ratio=${fmtRatio(result.throughput)} p99_ratio=${fmtRatio(result.p99)} mem_ratio=${fmtRatio(result.memory)} history_ms=${result.history.toFixed(2)}`);
}

type Ctx = {
  users: BenchUser[];
  extraSessions: { userId: string; token: string }[];
  oursSpec: (userId: string, token: string) => ClientSpec;
  bareSpec: (userId: string) => ClientSpec;
  oursTarget: Target;
  bareTarget: Target;
  huitongEnv: Record<string, string>;
  result: { throughput: number; p99: number; memory: number; history: number };
  summary: string[];
};

/**
 * 4. Memory, first, on server processes that have done nothing else: a Huitong of its own (the one
 * serving the load ran the argon2 logins, whose memory the allocator keeps), and the bare server
 * before any load.
 */
async function memoryPhase({ users, extraSessions, oursSpec, bareSpec, bareTarget, huitongEnv, result, summary }: Ctx) {
  log(`\n== Memory: RSS growth of a fresh server process per idle authenticated connection, ${MEMORY_CONNECTIONS} connections (after a warm-up of 250 and a full GC each side) ==`);
  const oursForMemory = forkChild('huitong server (memory)', 'serverRunner.ts', ['huitong'], { env: huitongEnv, nodeFlags: ['--expose-gc'] });
  children.push(oursForMemory);
  const memReady = await waitReady(oursForMemory);
  const memTarget: Target = { kind: 'huitong', label: 'ours', runner: oursForMemory, url: `http://127.0.0.1:${memReady.port}`, set: 'unused' };
  const sessions = [...users.map((u) => ({ userId: u.id, token: u.token })), ...extraSessions].slice(0, MEMORY_CONNECTIONS);
  const memOurs = await measureMemory(memTarget, sessions.map((s) => oursSpec(s.userId, s.token)));
  await oursForMemory.call('close', {}, 10_000);
  await oursForMemory.stop();
  const memBare = await measureMemory(bareTarget, sessions.map((s) => bareSpec(s.userId)));
  result.memory = memOurs.perConnection / memBare.perConnection;
  log(`  ours ${kb(memOurs.perConnection)} KiB, bare ${kb(memBare.perConnection)} KiB per connection: ratio ${fmtRatio(result.memory)}`);
  log(`  cross-checks: growth from ${Math.floor(MEMORY_CONNECTIONS / 5)} on ${kb(memOurs.marginal)} / ${kb(memBare.marginal)} KiB = ${fmtRatio(memOurs.marginal / memBare.marginal)}; V8 heap ${kb(memOurs.heap)} / ${kb(memBare.heap)} KiB = ${fmtRatio(memOurs.heap / memBare.heap)}`);
  summary.push(`  memory      ${kb(memOurs.perConnection)} / ${kb(memBare.perConnection)} KiB per idle connection = ${fmtRatio(result.memory)}  (target ≤ 1.5) ${result.memory <= 1.5 ? 'met' : 'MISSED'}`);
}

/** 2. Throughput and 3. latency, on 500 clients per server that stay connected for both. */
async function loadPhases({ users, oursSpec, bareSpec, oursTarget, bareTarget, result, summary }: Ctx) {
  log(`\n== Throughput: ${GROUPS} groups × ${GROUP_SIZE} online members (${users.length} clients per server); ${STEP_MS / 1000} s per step; pass = p99 < ${P99_LIMIT_MS} ms, no failed send, every delivery (a missing one counts as infinitely late) ==`);
  log(`   (server loop = event-loop utilisation of the server process, cpu = CPU cores it used, pg = CPU cores PostgreSQL used; generator loops per worker process, cpu = all workers)`);
  const t = performance.now();
  await connectClients(oursTarget, oursTarget.set, users.map((u) => oursSpec(u.id, u.token)), 25);
  await connectClients(bareTarget, bareTarget.set, users.map((u) => bareSpec(u.id)), 25);
  log(`  ${users.length} clients connected to each server in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  for (const target of [oursTarget, bareTarget]) {
    const warm = await runStep(target, 100, 2000);
    log(describeStep(target.label, warm).replace(/pass|FAIL/, '(warm-up, not counted)'));
  }

  if (PHASES.has('throughput')) {
    const [tpOurs, tpBare] = await throughputLadders([oursTarget, bareTarget]);
    result.throughput = tpOurs.lastPass / tpBare.lastPass;
    log(`  highest rate with p99 < ${P99_LIMIT_MS} ms: ours ${tpOurs.lastPass} msg/s (${tpOurs.lastPass * GROUP_SIZE} deliveries/s), bare ${tpBare.lastPass} msg/s (${tpBare.lastPass * GROUP_SIZE} deliveries/s): ratio ${fmtRatio(result.throughput)}`);
    summary.push(`  throughput  ${tpOurs.lastPass} / ${tpBare.lastPass} msg/s into groups of ${GROUP_SIZE} = ${fmtRatio(result.throughput)}  (target ≥ 0.6) ${result.throughput >= 0.6 ? 'met' : 'MISSED'}`);
    // What a message costs each side, in CPU, at its highest passing rate: the ratio the machine's two cores allow.
    const costAt = (l: Ladder) => l.steps.filter((s) => s.pass && s.rate === l.lastPass).at(-1);
    const oursCost = costAt(tpOurs);
    const bareCost = costAt(tpBare);
    if (oursCost && bareCost) {
      const perMessage = (cores: number, rate: number) => ((cores * 1000) / rate).toFixed(2);
      log(
        `  CPU per message at those rates: ours ${perMessage(oursCost.serverCpu, oursCost.rate)} ms in the server process + ${perMessage(oursCost.pgCpu, oursCost.rate)} ms in PostgreSQL, ` +
          `bare ${perMessage(bareCost.serverCpu, bareCost.rate)} ms; the generators ${perMessage(oursCost.genCpu, oursCost.rate)} / ${perMessage(bareCost.genCpu, bareCost.rate)} ms`,
      );
    }
    const bareLimitStep = tpBare.steps.filter((s) => s.rate === tpBare.firstFail).at(-1);
    if (bareLimitStep) {
      const generatorBound = Math.max(...bareLimitStep.genElu) > 0.9 && bareLimitStep.serverElu < 0.9;
      log(
        `  at the bare server's first failing rate (${bareLimitStep.rate} msg/s) its event loop was ${(bareLimitStep.serverElu * 100).toFixed(0)}% busy, the generators' ${bareLimitStep.genElu.map((e) => (e * 100).toFixed(0) + '%').join(' / ')}: ` +
          (generatorBound ? 'WARNING: the generator, not the bare server, looks like the limit' : 'the generator was not the limit'),
      );
    }
  }

  if (PHASES.has('latency')) {
    log(`\n== Latency: send-to-receive at every member at a fixed ${LATENCY_RATE} msg/s, ${LATENCY_ROUNDS} rounds of ${LATENCY_MS / LATENCY_ROUNDS / 1000} s per server taking turns, pooled ==`);
    const rounds: Record<Kind, StepResult[]> = { huitong: [], bare: [] };
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const target of round % 2 ? [bareTarget, oursTarget] : [oursTarget, bareTarget]) {
        const profiling = PROFILE_DIR && round === 0;
        if (profiling) await target.runner.call('profileStart');
        const r = await runStep(target, LATENCY_RATE, LATENCY_MS / LATENCY_ROUNDS);
        if (profiling) log(`  CPU profile of the ${target.label} server during the step below: ${await target.runner.call('profileStop', { file: path.resolve(PROFILE_DIR, `${target.kind}-latency-${Date.now()}.cpuprofile`) })}`);
        rounds[target.kind].push(r);
        log(describeStep(target.label, r));
        await sleep(500);
      }
    }
    const latOurs = pooled(rounds.huitong);
    const latBare = pooled(rounds.bare);
    log(describeStep('ours', latOurs).replace(/^  ours /, '  ours (all rounds)'));
    log(describeStep('bare', latBare).replace(/^  bare /, '  bare (all rounds)'));
    result.p99 = latOurs.p99 / latBare.p99;
    log(`  p50 ours ${fmtMs(latOurs.p50)} ms, bare ${fmtMs(latBare.p50)} ms: ratio ${fmtRatio(latOurs.p50 / latBare.p50)}`);
    log(`  p99 ours ${fmtMs(latOurs.p99)} ms, bare ${fmtMs(latBare.p99)} ms: ratio ${fmtRatio(result.p99)}`);
    summary.push(`  p99 @${LATENCY_RATE}/s  ${fmtMs(latOurs.p99)} / ${fmtMs(latBare.p99)} ms = ${fmtRatio(result.p99)}  (target ≤ 2) ${result.p99 <= 2 ? 'met' : 'MISSED'};  p50 ${fmtMs(latOurs.p50)} / ${fmtMs(latBare.p50)} ms`);
  }
  const dropped = sum((await Promise.all(workers.map((w) => w.call('stats')))).map((st) => st.unexpectedDisconnects));
  log(`  connections the servers dropped during the load phases: ${dropped}`);
  await disconnectClients(oursTarget.set);
  await disconnectClients(bareTarget.set);
}

/** 5. History: a million messages bulk-inserted into one conversation, its newest page timed over HTTP. */
async function historyPhase({ users, oursTarget, result, summary }: Ctx) {
  log(`\n== History: the newest 50 messages of a conversation holding ${HISTORY_MESSAGES.toLocaleString('en')} messages ==`);
  const [reader, other] = users;
  const history = await createGroup(oursTarget.url, reader, '历史', [other.id]);
  const t = performance.now();
  const filled = await bulkInsertHistory(db!, history.id, [reader.id, other.id], HISTORY_MESSAGES);
  log(`  ${filled.total.toLocaleString('en')} messages in the conversation (one INSERT … SELECT generate_series, then VACUUM ANALYZE and CHECKPOINT: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const get = async (query: string) => {
    const began = performance.now();
    const res = await fetch(`${oursTarget.url}/api/conversations/${history.id}/messages?${query}`, { headers: { authorization: `Bearer ${reader.token}` } });
    const body = (await res.json()) as any;
    const ms = performance.now() - began;
    if (res.status !== 200 || body.data.data.length !== 50) throw new Error(`history request failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return { ms, body };
  };
  for (let i = 0; i < 5; i++) await get('limit=50');
  const newestTimes: number[] = [];
  for (let i = 0; i < HISTORY_RUNS; i++) {
    const { ms, body } = await get('limit=50');
    if (i === 0 && body.data.data[49].id !== filled.newest) throw new Error('the history page does not end with the newest message');
    newestTimes.push(ms);
  }
  const olderTimes: number[] = [];
  for (let i = 0; i < HISTORY_RUNS; i++) olderTimes.push((await get(`limit=50&before=${filled.middle}`)).ms);
  const serverSide = await oursTarget.runner.call<number[]>('history', { conversationId: history.id, runs: HISTORY_RUNS });
  const explain = await db!.query(`EXPLAIN (ANALYZE, BUFFERS) ${messageSelectSql} WHERE m.conversation_id = $1 ORDER BY m.id DESC LIMIT 51`, [history.id]);
  const plan = explain.rows.map((r) => r['QUERY PLAN'] as string);
  const executionMs = Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1]);
  const indexLine = plan.find((l) => /Index|Seq Scan/.test(l))?.replace(/^[\s>-]+/, '').replace(/\s+\(cost.*$/, '') ?? '?';
  const historyMs = median(newestTimes);
  const sortedNewest = [...newestTimes].sort((a, b) => a - b);
  log(`  GET /api/conversations/:id/messages?limit=50 over HTTP, ${HISTORY_RUNS} requests: median ${historyMs.toFixed(2)} ms, p90 ${sortedNewest[Math.ceil(0.9 * sortedNewest.length) - 1].toFixed(2)} ms, max ${sortedNewest[sortedNewest.length - 1].toFixed(2)} ms`);
  log(`  an older page (before= the middle message): median ${median(olderTimes).toFixed(2)} ms`);
  log(`  server side, messageHistory() in the server process (no HTTP, no session lookup): median ${median(serverSide).toFixed(2)} ms; the SQL alone (EXPLAIN ANALYZE): ${executionMs.toFixed(2)} ms, ${indexLine}`);
  log(`  baseline: none (the bare server stores nothing); target < 10 ms`);
  result.history = historyMs;
  summary.push(`  history     ${historyMs.toFixed(2)} ms for the newest 50 of ${filled.total.toLocaleString('en')} (no baseline)  (target < 10 ms) ${historyMs < 10 ? 'met' : 'MISSED'}`);
}

const deadline = setTimeout(() => {
  console.error(`The benchmark did not finish within ${DEADLINE_MS / 60_000} minutes; stopping.`);
  void cleanup().finally(() => process.exit(2));
}, DEADLINE_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the benchmark`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(async () => {
    clearTimeout(deadline);
    await cleanup();
    process.exit(0);
  })
  .catch(async (error) => {
    clearTimeout(deadline);
    console.error('The benchmark failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanup();
    process.exit(1);
  });
