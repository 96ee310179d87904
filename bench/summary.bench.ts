import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import { loadConfig } from '../src/config.js';
import { FourPAction } from '../src/domain/action.js';
import { SYSTEM_IMPORT } from '../src/domain/audit.js';
import { District } from '../src/domain/district.js';
import { IntelligenceGap } from '../src/domain/gap.js';
import { Member } from '../src/domain/member.js';
import { Agency, Partnership } from '../src/domain/partnership.js';
import { Profile } from '../src/domain/profile.js';
import { createLogger } from '../src/log.js';
import { start } from '../src/start.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { CpuProfiler } from './cpu-profile.js';
import { startEchoBot } from './echo-bot.js';
import { BENCH_PARTNERSHIP_ID, generatePartnership, type Counts } from './generate.js';
import { OptionsError, readOptions, USAGE, type BenchOptions } from './options.js';
import { int, ms, phaseStats, ratio, table, type PhaseStats } from './stats.js';
import type { FromWorker, PhaseRequest, ToWorker } from './teams-side.js';

/**
 * `npm run bench`: the district summary, end to end, against 10,000 districts.
 * The real bot (start(), the SQLite store, restify, teams-ai) answers `summary <district>` sent as
 * Teams sends it; botbuilder's bare echo bot on the same machine and the same HTTP path is the
 * baseline. See bench/README.md for what is measured and how to read it.
 */

const TARGET_P95_MS = 30;
const TARGET_THROUGHPUT_SHARE = 0.6;
/** The instant the data is generated at and the bot's clock stands at, so every run is the same. */
const NOW = new Date('2026-11-02T09:00:00.000Z');

type Phase = 'warm-up' | 'latency' | 'throughput';
type Done = Extract<FromWorker, { type: 'done' }>;

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface DistrictRef {
  id: string;
  name: string;
}

const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

function validate<T>(label: string, schema: z.ZodType<T>, records: readonly unknown[]): string[] {
  const problems: string[] = [];
  for (const r of records) {
    const result = schema.safeParse(r);
    if (!result.success && problems.length < 5) {
      problems.push(`${label}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
  }
  return problems;
}

/** Generates, checks against the domain schemas and loads the partnership; returns what requests need. */
async function loadPartnership(
  store: Store,
  options: BenchOptions,
): Promise<{ districts: DistrictRef[]; counts: Counts }> {
  const started = performance.now();
  let t0 = started;
  const { generated, counts } = generatePartnership({
    districts: options.districts,
    itemsPerDistrict: options.itemsPerDistrict,
    seed: options.seed,
    now: NOW,
  });
  const built = seconds(t0);

  t0 = performance.now();
  const { load } = generated;
  const problems = [
    ...validate('partnership', Partnership, [generated.partnership]),
    ...validate('agency', Agency, generated.agencies),
    ...validate('member', Member, generated.members),
    ...validate('district', District, load.districts),
    ...validate('profile', Profile, load.profiles),
    ...validate('gap', IntelligenceGap, load.gaps),
    ...validate('action', FourPAction, load.actions),
  ];
  if (problems.length) throw new Error(`generated records fail the domain schemas:\n${problems.join('\n')}`);
  const validated = seconds(t0);

  t0 = performance.now();
  const audit = { actor: SYSTEM_IMPORT, action: 'bench.imported', at: NOW.toISOString() };
  for (const agency of generated.agencies) await store.agencies.put(agency);
  await store.bulkLoad(BENCH_PARTNERSHIP_ID, load, audit);
  for (const member of generated.members) await store.members.create(member, { ...audit, action: 'member.created' });
  await store.partnerships.put(generated.partnership);
  const loaded = seconds(t0);

  console.log(
    `generation: ${seconds(started)} in all (built ${built}, checked against the domain schemas ${validated}, bulkLoad into SQLite ${loaded})`,
  );
  return { districts: load.districts.map((d) => ({ id: d.id, name: d.name })), counts };
}

/** A fixed order of districts, so each phase asks about different ones, and every run the same ones. */
function requestsFor(districts: readonly DistrictRef[], from: number, count: number, kind: 'summary' | 'echo') {
  const out: PhaseRequest[] = [];
  // A stride coprime with the count visits every district before repeating one.
  const n = districts.length;
  let stride = Math.floor(n * 0.618) | 1;
  while (gcd(stride, n) !== 1) stride += 2;
  for (let k = 0; k < count; k += 1) {
    const d = districts[((from + k) * stride) % n]!;
    const text = `summary ${d.name}`;
    out.push(
      kind === 'summary'
        ? { text, expect: { kind, districtId: d.id, districtName: d.name } }
        : { text, expect: { kind } },
    );
  }
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

class TeamsSide {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Done) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failed: Error | undefined;
  private exited = false;
  readonly ready: Promise<Record<'soc' | 'echo', string>>;

  constructor() {
    // Workers do not inherit tsx's loader, so the worker registers it before loading the module.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./teams-side.ts', import.meta.url).href;
    this.worker = new Worker(
      `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
      { eval: true },
    );
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') resolve(msg.connectors);
        else this.waiting.get(msg.id)?.resolve(msg);
      });
      // A failed worker fails whatever waits on it, so the run ends and cleans up after itself.
      this.worker.on('error', (err) => {
        this.failed = new Error(`the Teams-side worker failed: ${err.message}`, { cause: err });
        reject(this.failed);
        for (const w of this.waiting.values()) w.reject(this.failed);
      });
      this.worker.on('exit', () => {
        this.exited = true;
      });
    });
  }

  run(target: 'soc' | 'echo', url: string, requests: PhaseRequest[], concurrency: number) {
    const id = this.nextId++;
    return new Promise<Done>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'phase', id, target, url, requests, concurrency } satisfies ToWorker);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    if (this.failed) await this.worker.terminate();
    else this.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await exited;
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('SOC local profiles bot: `summary <district>` benchmark');
  console.log(
    `node ${process.version} · ${availableParallelism()} CPUs (${cpu}) · ${process.platform} ${process.arch}`,
  );
  console.log(
    `requests per phase and bot ${int(options.requests)} · concurrency ${options.concurrency} (throughput phase) · warm-up ${int(options.warmup)} · seed ${options.seed}`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'soc-bench-'));
  const dbFile = join(dataDir, 'soc-profiles.db');
  const store = openSqliteStore({ file: dbFile });
  const teams = new TeamsSide();
  let failures = 0;
  try {
    const { districts, counts } = await loadPartnership(store, options);
    const dbBytes = ['', '-wal'].reduce((s, ext) => {
      try {
        return s + statSync(dbFile + ext).size;
      } catch {
        return s;
      }
    }, 0);
    console.log(
      `data: ${int(counts.districts)} districts and profiles · ${int(counts.gaps)} gaps · ${int(counts.actions)} actions ` +
        `(${int(counts.gaps + counts.actions)} in all; ${int(counts.sensitiveItems)} OFFICIAL-SENSITIVE, ${int(counts.overdueItems)} overdue) · ` +
        `${int(counts.ocgs)} OCGs · ${counts.agencies} agencies · ${counts.members} members · SQLite ${int(dbBytes / 1024 / 1024)} MB`,
    );

    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: 'off',
      LOG_LEVEL: 'silent',
      // One sender sends every request: the limiter runs (its cost is measured) but never refuses.
      COMMANDS_PER_MINUTE: '1000000',
      COMMAND_BURST: '1000000',
    });
    const soc = await start(config, createLogger(config.logLevel), { store, clock: () => new Date(NOW) });
    const echo = await startEchoBot();
    const connectors = await teams.ready;
    const url = { soc: soc.url, echo: echo.url };

    const results: Record<'soc' | 'echo', { latency?: PhaseStats; throughput?: PhaseStats }> = { soc: {}, echo: {} };
    const samples: string[] = [];
    const profiles: string[] = [];
    let offset = 0;
    const run = async (target: 'soc' | 'echo', name: Phase, count: number) => {
      const concurrency = name === 'latency' ? 1 : options.concurrency;
      // Both bots are asked the same things in the same order.
      const requests = requestsFor(districts, offset, count, target === 'soc' ? 'summary' : 'echo');
      const profiler = options.cpuProfile && name !== 'warm-up' ? new CpuProfiler() : undefined;
      await profiler?.start();
      const r = await teams.run(target, url[target], requests, concurrency);
      if (profiler) {
        const file = `${options.cpuProfile!.replace(/\.cpuprofile$/, '')}.${target}.${name}.cpuprofile`;
        const summary = await profiler.stop(file, count);
        if (name === 'throughput')
          profiles.push(`${target === 'soc' ? 'SOC bot' : 'echo bot'}, ${name} phase (${file}):\n${summary}`);
      }
      failures += r.failures;
      samples.push(...r.failureSamples.map((s) => `${target} ${name}: ${s}`));
      return r;
    };

    console.log(`connectors: SOC ${connectors.soc} · echo ${connectors.echo}`);
    const rounds = options.cpuProfile ? 1 : options.rounds;
    console.log(`runs (each phase in ${rounds} round${rounds > 1 ? 's' : ''}, SOC and echo taking turns):`);
    for (const [name, total] of [
      ['warm-up', options.warmup],
      ['latency', options.requests],
      ['throughput', options.requests],
    ] as const) {
      if (total === 0) continue;
      const n = name === 'warm-up' ? 1 : rounds;
      const done = { soc: [] as Done[], echo: [] as Done[] };
      for (let round = 0; round < n; round += 1) {
        const count = Math.floor(total / n) + (round < total % n ? 1 : 0);
        // Taking turns, so that a busy patch of a shared machine falls on both bots alike.
        for (const target of ['soc', 'echo'] as const) done[target].push(await run(target, name, count));
        offset += count;
      }
      for (const target of ['soc', 'echo'] as const) {
        const parts = done[target];
        const concurrency = name === 'latency' ? 1 : options.concurrency;
        const stats = phaseStats(
          concat(parts.map((p) => p.latencies)),
          parts.reduce((sum, p) => sum + p.elapsedMs, 0),
          concurrency,
          parts.reduce((sum, p) => sum + p.failures, 0),
        );
        const perRound = parts.map((p) => int((p.latencies.length * 1000) / p.elapsedMs)).join(' ');
        const checked = parts.reduce((sum, p) => sum + p.cardsSchemaChecked, 0);
        const replyKb = parts.reduce((sum, p) => sum + p.replyBytes, 0) / stats.requests / 1024;
        console.log(
          `  ${target === 'soc' ? 'SOC bot ' : 'echo bot'} ${name.padEnd(10)} ${int(stats.requests).padStart(6)} requests, c=${String(concurrency).padEnd(3)}` +
            `p50 ${ms(stats.p50).padStart(5)} ms  p95 ${ms(stats.p95).padStart(5)} ms  ${int(stats.throughput).padStart(5)} req/s` +
            (parts.length > 1 ? ` (rounds: ${perRound})` : '') +
            `  replies ${replyKb.toFixed(1)} KB` +
            (stats.failures ? `  ${stats.failures} WRONG` : '') +
            (checked ? `  ${checked} cards schema-checked` : ''),
        );
        if (name !== 'warm-up') results[target][name] = stats;
      }
    }

    await echo.close();
    await soc.close();
    report(results as Record<'soc' | 'echo', { latency: PhaseStats; throughput: PhaseStats }>, options, failures);
    if (profiles.length) {
      console.log(
        "\nCPU profiles of the bots' thread (the figures above were taken under the profiler: do not quote them)",
      );
      for (const p of profiles) console.log(`\n${p}`);
    }
    if (samples.length) console.log(`\nwrong replies (some of them):\n  ${samples.slice(0, 10).join('\n  ')}`);
  } finally {
    await teams.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return failures > 0 ? 1 : 0;
}

function report(
  r: Record<'soc' | 'echo', { latency: PhaseStats; throughput: PhaseStats }>,
  options: BenchOptions,
  failures: number,
): void {
  const { soc, echo } = r;
  const rows = [
    ['', 'SOC bot (summary)', 'echo bot', 'SOC / echo'],
    [`latency, c=1, ${int(soc.latency.requests)} requests`, '', '', ''],
    ['  p50 ms', ms(soc.latency.p50), ms(echo.latency.p50), ratio(soc.latency.p50, echo.latency.p50)],
    ['  p95 ms', ms(soc.latency.p95), ms(echo.latency.p95), ratio(soc.latency.p95, echo.latency.p95)],
    ['  p99 ms', ms(soc.latency.p99), ms(echo.latency.p99), ratio(soc.latency.p99, echo.latency.p99)],
    ['  max ms', ms(soc.latency.max), ms(echo.latency.max), ratio(soc.latency.max, echo.latency.max)],
    [
      '  throughput req/s (serial)',
      int(soc.latency.throughput),
      int(echo.latency.throughput),
      ratio(soc.latency.throughput, echo.latency.throughput),
    ],
    [`throughput, c=${options.concurrency}, ${int(soc.throughput.requests)} requests`, '', '', ''],
    [
      '  req/s',
      int(soc.throughput.throughput),
      int(echo.throughput.throughput),
      ratio(soc.throughput.throughput, echo.throughput.throughput),
    ],
    ['  p50 ms', ms(soc.throughput.p50), ms(echo.throughput.p50), ratio(soc.throughput.p50, echo.throughput.p50)],
    ['  p95 ms', ms(soc.throughput.p95), ms(echo.throughput.p95), ratio(soc.throughput.p95, echo.throughput.p95)],
    ['  p99 ms', ms(soc.throughput.p99), ms(echo.throughput.p99), ratio(soc.throughput.p99, echo.throughput.p99)],
    [
      'wrong replies',
      String(soc.latency.failures + soc.throughput.failures),
      String(echo.latency.failures + echo.throughput.failures),
      '',
    ],
  ];
  console.log(`\n${table(rows)}`);

  const share = soc.throughput.throughput / echo.throughput.throughput;
  const p95Met = soc.latency.p95 <= TARGET_P95_MS;
  const shareMet = share >= TARGET_THROUGHPUT_SHARE;
  console.log('\ntargets');
  console.log(
    `  p95 latency at c=1 <= ${TARGET_P95_MS} ms:          ${ms(soc.latency.p95)} ms   ${p95Met ? 'MET' : 'NOT MET'}`,
  );
  console.log(
    `  throughput >= ${TARGET_THROUGHPUT_SHARE * 100}% of the echo bot's:   ${(share * 100).toFixed(0)}% (${int(soc.throughput.throughput)} of ${int(echo.throughput.throughput)} req/s)   ${shareMet ? 'MET' : 'NOT MET'}`,
  );
  console.log(
    failures === 0
      ? '  every reply checked: the right district on a summary card (echo: the text sent back)'
      : `  ${failures} WRONG REPLIES: the run fails`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
