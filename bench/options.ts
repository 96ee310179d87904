/**
 * Benchmark options, from argv (`--districts 1000`, `--requests=500`) or the environment
 * (BENCH_DISTRICTS, BENCH_REQUESTS, …); argv wins. Anything else is refused with the list.
 */
export interface BenchOptions {
  /** Districts generated (each with about `itemsPerDistrict` gaps and actions). */
  districts: number;
  itemsPerDistrict: number;
  /** Measured requests per phase and bot (latency at concurrency 1, then throughput). */
  requests: number;
  /** Requests in flight in the throughput phase. */
  concurrency: number;
  /** Unmeasured requests per bot before the measured phases. */
  warmup: number;
  /** Each measured phase is split into this many rounds, the bots taking turns. */
  rounds: number;
  seed: string;
  /** Where to write V8 CPU profiles of the SOC bot's measured phases (and print a summary). */
  cpuProfile?: string;
}

const DEFAULTS: BenchOptions = {
  districts: 10_000,
  itemsPerDistrict: 20,
  requests: 4_000,
  concurrency: 12,
  warmup: 1_500,
  rounds: 4,
  seed: 'soc-bench-1',
};

const NUMERIC: Record<
  Exclude<keyof BenchOptions, 'seed' | 'cpuProfile'>,
  { flag: string; env: string; min: number; max: number }
> = {
  districts: { flag: 'districts', env: 'BENCH_DISTRICTS', min: 10, max: 100_000 },
  itemsPerDistrict: { flag: 'items-per-district', env: 'BENCH_ITEMS_PER_DISTRICT', min: 4, max: 200 },
  requests: { flag: 'requests', env: 'BENCH_REQUESTS', min: 1, max: 1_000_000 },
  concurrency: { flag: 'concurrency', env: 'BENCH_CONCURRENCY', min: 1, max: 256 },
  warmup: { flag: 'warmup', env: 'BENCH_WARMUP', min: 0, max: 1_000_000 },
  rounds: { flag: 'rounds', env: 'BENCH_ROUNDS', min: 1, max: 100 },
};

export const USAGE = `npm run bench -- [--districts N] [--requests N] [--concurrency N] [--warmup N] [--rounds N] [--items-per-district N] [--seed S] [--cpu-profile FILE]
  (or BENCH_DISTRICTS, BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_ROUNDS, BENCH_ITEMS_PER_DISTRICT, BENCH_SEED, BENCH_CPU_PROFILE)
  defaults: --districts ${DEFAULTS.districts} --requests ${DEFAULTS.requests} --concurrency ${DEFAULTS.concurrency} --warmup ${DEFAULTS.warmup} --rounds ${DEFAULTS.rounds} --items-per-district ${DEFAULTS.itemsPerDistrict}`;

export class OptionsError extends Error {}

export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new OptionsError(`unexpected argument '${arg}'`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new OptionsError(`--${m[1]} needs a value`);
    given.set(m[1]!, value);
  }
  const out: BenchOptions = { ...DEFAULTS };
  for (const [key, spec] of Object.entries(NUMERIC) as [
    keyof typeof NUMERIC,
    (typeof NUMERIC)[keyof typeof NUMERIC],
  ][]) {
    const raw = given.get(spec.flag) ?? env[spec.env];
    given.delete(spec.flag);
    if (raw === undefined || raw === '') continue;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
      throw new OptionsError(
        `--${spec.flag} (${spec.env}) must be a whole number from ${spec.min} to ${spec.max}, got '${raw}'`,
      );
    }
    out[key] = n;
  }
  const seed = given.get('seed') ?? env.BENCH_SEED;
  given.delete('seed');
  if (seed) out.seed = seed;
  const cpuProfile = given.get('cpu-profile') ?? env.BENCH_CPU_PROFILE;
  given.delete('cpu-profile');
  if (cpuProfile) out.cpuProfile = cpuProfile;
  const unknown = [...given.keys()];
  if (unknown.length)
    throw new OptionsError(
      `unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `--${k}`).join(', ')}`,
    );
  return out;
}
