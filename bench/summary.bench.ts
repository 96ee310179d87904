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
import { startCardEchoBot, startEchoBot } from './echo-bot.js';
import { BENCH_PARTNERSHIP_ID, generatePartnership, type Counts } from './generate.js';
import { OptionsError, readOptions, USAGE, type BenchOptions } from './options.js';
import { int, ms, phaseStats, table, type PhaseStats } from './stats.js';
import { seededRandom } from '../src/domain/seeded-random.js';
import type { FromWorker, PhaseRequest, Target, ToWorker } from './teams-side.js';

/**
 * `npm run bench`: the district commands, end to end, against 10,000 districts.
 * The real bot (start(), the SQLite store, restify, teams-ai) answers `summary <district>` (on
 * uniform and on Zipf-skewed access), `rank`, `gaps`, `plan` and a task card press sent as Teams
 * sends them; each is measured against the card floor (botbuilder's bare bot answering with the
 * very card the SOC bot sent), and the summary also against the bare text echo bot. See
 * bench/README.md for what is measured and how to read it.
 */

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
): Promise<{ districts: DistrictRef[]; gapRefs: string[]; counts: Counts }> {
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
  return {
    districts: load.districts.map((d) => ({ id: d.id, name: d.name })),
    gapRefs: load.gaps.map((g) => g.ref),
    counts,
  };
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
  readonly ready: Promise<Record<Target, string>>;

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

  run(target: Target, url: string, requests: PhaseRequest[], concurrency: number) {
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
  console.log('SOC local profiles bot: district commands against the card floor');
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
    const { districts, gapRefs, counts } = await loadPartnership(store, options);
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
    const counted = countingStore(store);
    const soc = await start(config, createLogger(config.logLevel), {
      store: counted.store,
      clock: () => new Date(NOW),
    });
    const echo = await startEchoBot();
    const cardFloor = await startCardEchoBot();
    const connectors = await teams.ready;
    const url: Record<Target, string> = { soc: soc.url, echo: echo.url, card: cardFloor.url };
    console.log(`connectors: SOC ${connectors.soc} · text echo ${connectors.echo} · card echo ${connectors.card}`);

    const rounds = options.cpuProfile ? 1 : options.rounds;
    const zipf = zipfSampler(districts.length, ZIPF_S, `${options.seed}:zipf`);
    const byZipf = Array.from({ length: options.requests * 3 + options.warmup }, () => districts[zipf()]!);
    const perCommand = Math.max(1, Math.floor(options.requests / COMMAND_SHARE));
    const scenarios: Scenario[] = [
      {
        name: 'summary, uniform',
        count: options.requests,
        warmup: options.warmup,
        textFloor: true,
        make: (from, n) => pick(districts, from, n).map((d) => summaryRequest(d)),
      },
      {
        name: `summary, Zipf s=${ZIPF_S}`,
        count: options.requests,
        warmup: Math.ceil(options.warmup / 4),
        make: (from, n) => byZipf.slice(from % byZipf.length, (from % byZipf.length) + n).map((d) => summaryRequest(d)),
      },
      {
        name: 'rank',
        count: perCommand,
        warmup: Math.ceil(options.warmup / 8),
        make: (_from, n) =>
          Array.from({ length: n }, () => ({
            text: 'rank',
            expect: { kind: 'card' as const, contains: 'Highest harm: top' },
          })),
      },
      {
        name: 'gaps <district>',
        count: perCommand,
        warmup: Math.ceil(options.warmup / 8),
        make: (from, n) =>
          pick(districts, from, n).map((d) => ({
            text: `gaps ${d.name}`,
            expect: { kind: 'card' as const, contains: `Intelligence gaps: ${d.name}` },
          })),
      },
      {
        name: 'plan <district>',
        count: perCommand,
        warmup: Math.ceil(options.warmup / 8),
        make: (from, n) =>
          pick(districts, from, n).map((d) => ({
            text: `plan ${d.name}`,
            expect: { kind: 'card' as const, contains: `4P plan: ${d.name}` },
          })),
      },
      {
        name: 'task card press (refresh)',
        count: perCommand,
        warmup: Math.ceil(options.warmup / 8),
        make: (from, n) =>
          pick(gapRefs, from, n).map((ref) => ({
            text: 'Refresh',
            invoke: { verb: 'task.refresh', data: { ref } },
            expect: { kind: 'card' as const, contains: ref },
          })),
      },
    ];

    const profiles: string[] = [];
    const samples: string[] = [];
    const results: ScenarioResult[] = [];
    let offset = 0;
    for (const scenario of scenarios) {
      const targets: Target[] = scenario.textFloor ? ['soc', 'card', 'echo'] : ['soc', 'card'];
      const requestsFor = (target: Target, from: number, n: number): PhaseRequest[] => {
        const made = scenario.make(from, n);
        if (target === 'soc') return made;
        // The floors get the same activities; the text echo answers the text, the card floor its card.
        return made.map((r) => ({ ...r, expect: target === 'echo' ? { kind: 'echo' } : { kind: 'card' } }));
      };
      const run = async (target: Target, phase: Phase, from: number, n: number) => {
        const concurrency = phase === 'latency' ? 1 : options.concurrency;
        const profiler =
          options.cpuProfile && phase === 'throughput' && target !== 'echo'
            ? new CpuProfiler()
            : undefined;
        await profiler?.start();
        const r = await teams.run(target, url[target], requestsFor(target, from, n), concurrency);
        if (profiler) {
          const slug = scenario.name
            .replace(/[^a-z0-9]+/gi, '-')
            .replace(/-+$/, '')
            .toLowerCase();
          const file = `${options.cpuProfile!.replace(/\.cpuprofile$/, '')}.${slug}.${target}.cpuprofile`;
          const summary = await profiler.stop(file, n);
          profiles.push(
            `${target === 'soc' ? 'SOC bot' : 'card floor'}, ${scenario.name}, throughput (${file}):\n${summary}`,
          );
        }
        failures += r.failures;
        samples.push(...r.failureSamples.map((f) => `${scenario.name}, ${target} ${phase}: ${f}`));
        return r;
      };

      // Warm-up: the SOC bot first, so the card floor can answer with the very card it sent.
      const warm = await run('soc', 'warm-up', offset, Math.max(1, scenario.warmup));
      if (!warm.sampleCard) throw new Error(`${scenario.name}: the SOC bot sent no card to copy for the floor`);
      cardFloor.useCard(warm.sampleCard);
      for (const target of targets.slice(1)) await run(target, 'warm-up', offset, Math.max(1, scenario.warmup));
      offset += scenario.warmup;

      const stats = {} as Record<Target, Partial<Record<'latency' | 'throughput', PhaseStats>>>;
      let storeCalls: Map<string, number> | undefined;
      for (const phase of ['latency', 'throughput'] as const) {
        const done: Partial<Record<Target, Done[]>> = {};
        for (let round = 0; round < rounds; round += 1) {
          const n = Math.floor(scenario.count / rounds) + (round < scenario.count % rounds ? 1 : 0);
          // Taking turns, so that a busy patch of a shared machine falls on every bot alike.
          for (const target of targets) {
            if (target === 'soc' && phase === 'latency') counted.reset();
            (done[target] ??= []).push(await run(target, phase, offset, n));
            if (target === 'soc' && phase === 'latency') storeCalls = merge(storeCalls, counted.calls());
          }
          offset += n;
        }
        for (const target of targets) {
          const parts = done[target]!;
          (stats[target] ??= {})[phase] = phaseStats(
            concat(parts.map((p) => p.latencies)),
            parts.reduce((sum, p) => sum + p.elapsedMs, 0),
            phase === 'latency' ? 1 : options.concurrency,
            parts.reduce((sum, p) => sum + p.failures, 0),
          );
        }
      }
      const cardKb = Buffer.byteLength(warm.sampleCard) / 1024;
      const result: ScenarioResult = {
        name: scenario.name,
        soc: stats.soc as Required<(typeof stats)['soc']>,
        card: stats.card as Required<(typeof stats)['card']>,
        ...(stats.echo ? { echo: stats.echo as Required<(typeof stats)['echo']> } : {}),
        cardKb,
        storeCalls: storeCalls ?? new Map(),
        requests: scenario.count,
      };
      results.push(result);
      console.log(progressLine(result));
    }

    await echo.close();
    await cardFloor.close();
    await soc.close();
    report(results, options, failures);
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

interface Scenario {
  name: string;
  /** Measured requests per phase and bot. */
  count: number;
  warmup: number;
  /** Also run the text echo floor (the first scenario only: its cost does not depend on the command). */
  textFloor?: boolean;
  make(from: number, count: number): PhaseRequest[];
}

interface ScenarioResult {
  name: string;
  soc: Record<'latency' | 'throughput', PhaseStats>;
  card: Record<'latency' | 'throughput', PhaseStats>;
  echo?: Record<'latency' | 'throughput', PhaseStats>;
  cardKb: number;
  /** Store port calls in the SOC bot's latency phase, by repository method. */
  storeCalls: Map<string, number>;
  requests: number;
}

const TARGET_CARD_FLOOR_SHARE = 0.8;
const TARGET_SUMMARY_P95_MS = 10;
const ZIPF_S = 1.1;
/** rank, gaps, plan and the task press run this fraction of --requests each. */
const COMMAND_SHARE = 4;

/** Items in a fixed order that visits every one before repeating (a stride coprime with the count). */
function pick<T>(items: readonly T[], from: number, count: number): T[] {
  const n = items.length;
  let stride = Math.floor(n * 0.618) | 1;
  while (gcd(stride, n) !== 1) stride += 2;
  return Array.from({ length: count }, (_, k) => items[((from + k) * stride) % n]!);
}

function summaryRequest(d: DistrictRef): PhaseRequest {
  return { text: `summary ${d.name}`, expect: { kind: 'summary', districtId: d.id, districtName: d.name } };
}

/** Indexes 0..n-1 drawn with P(k) proportional to 1/(k+1)^s, seeded: a few districts asked about most. */
function zipfSampler(n: number, s: number, seed: string): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k += 1) cdf[k] = sum += 1 / (k + 1) ** s;
  const random = seededRandom(seed);
  return () => {
    const u = random.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function merge(a: Map<string, number> | undefined, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

/** The store the SOC bot is given, counting calls to each repository method. */
function countingStore(inner: Store): { store: Store; reset(): void; calls(): Map<string, number> } {
  let counts = new Map<string, number>();
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const key = `${name}.${String(prop)}`;
        return (...args: unknown[]) => {
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  const repositories = new Map<PropertyKey, unknown>();
  const store = new Proxy(inner, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(obj);
      if (value && typeof value === 'object') {
        if (!repositories.has(prop)) repositories.set(prop, wrap(String(prop), value));
        return repositories.get(prop);
      }
      return value;
    },
  });
  return {
    store,
    reset: () => {
      counts = new Map();
    },
    calls: () => counts,
  };
}

function callsPerTurn(r: ScenarioResult): string {
  const total = [...r.storeCalls.values()].reduce((a, b) => a + b, 0);
  const each = [...r.storeCalls.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / r.requests).toFixed(2)}`)
    .join(', ');
  return `${(total / r.requests).toFixed(2)} (${each})`;
}

function progressLine(r: ScenarioResult): string {
  return (
    `  ${r.name.padEnd(28)} SOC ${int(r.soc.throughput.throughput).padStart(5)} req/s, p95 c=1 ${ms(r.soc.latency.p95).padStart(5)} ms · ` +
    `card floor ${int(r.card.throughput.throughput).padStart(5)} req/s, p95 c=1 ${ms(r.card.latency.p95).padStart(5)} ms` +
    (r.echo ? ` · text echo ${int(r.echo.throughput.throughput)} req/s` : '')
  );
}

function report(results: readonly ScenarioResult[], options: BenchOptions, failures: number): void {
  const rows: string[][] = [
    [
      `c=${options.concurrency} throughput; p95 at c=1`,
      'SOC req/s',
      'card floor req/s',
      'SOC / floor',
      'SOC p95 ms',
      'floor p95 ms',
      'card KB',
      'store calls / turn',
    ],
  ];
  for (const r of results) {
    rows.push([
      r.name,
      int(r.soc.throughput.throughput),
      int(r.card.throughput.throughput),
      `${((r.soc.throughput.throughput / r.card.throughput.throughput) * 100).toFixed(0)}%`,
      ms(r.soc.latency.p95),
      ms(r.card.latency.p95),
      r.cardKb.toFixed(1),
      ([...r.storeCalls.values()].reduce((a, b) => a + b, 0) / r.requests).toFixed(2),
    ]);
  }
  console.log(`\n${table(rows)}`);
  const first = results[0]!;
  if (first.echo) {
    console.log(
      `\ntext echo floor: ${int(first.echo.throughput.throughput)} req/s, p95 c=1 ${ms(first.echo.latency.p95)} ms; ` +
        `sending the summary card costs the floor ${((1 - first.card.throughput.throughput / first.echo.throughput.throughput) * 100).toFixed(0)}%; ` +
        `the SOC bot's summary is ${((first.soc.throughput.throughput / first.echo.throughput.throughput) * 100).toFixed(0)}% of the text echo`,
    );
  }
  console.log('\nstore calls per turn (SOC bot, latency phase), by method:');
  for (const r of results) console.log(`  ${r.name.padEnd(28)} ${callsPerTurn(r)}`);

  console.log('\ntargets');
  for (const r of results) {
    const share = r.soc.throughput.throughput / r.card.throughput.throughput;
    const met = share >= TARGET_CARD_FLOOR_SHARE;
    console.log(
      `  ${r.name.padEnd(28)} >= ${TARGET_CARD_FLOOR_SHARE * 100}% of the card floor: ${(share * 100).toFixed(0)}%   ${met ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const r of results.filter((x) => x.name.startsWith('summary'))) {
    const met = r.soc.latency.p95 <= TARGET_SUMMARY_P95_MS;
    console.log(
      `  ${r.name.padEnd(28)} p95 at c=1 <= ${TARGET_SUMMARY_P95_MS} ms: ${ms(r.soc.latency.p95)} ms   ${met ? 'MET' : 'NOT MET'}`,
    );
  }
  console.log(
    failures === 0
      ? '  every reply checked: the right card for what was asked (floors: the text or card they answer with)'
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
