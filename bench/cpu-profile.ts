import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

/**
 * `--cpu-profile FILE`: V8 CPU profiles of the bots' thread during each bot's measured phases
 * (the Teams side runs in its own thread and is not in them), written as FILE.<bot>.<phase>.cpuprofile
 * for Chrome DevTools or speedscope, and summed up here by where the self time goes. Native
 * functions (better-sqlite3 statements, socket writes) are put down to their JavaScript caller.
 */

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export class CpuProfiler {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
  }

  /** Writes the profile and sums it up; `requests` turns times into a cost per request. */
  async stop(file: string, requests: number): Promise<string> {
    const { profile } = (await this.session.post('Profiler.stop')) as unknown as { profile: Profile };
    this.session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return summarize(profile, requests);
  }
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Which part of the stack a frame is in: our files by path, packages by name, else V8/Node. */
function area(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8/native (program)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  if (path.startsWith(ROOT)) return path.slice(ROOT.length).split('/').slice(0, 2).join('/');
  if (path.startsWith('node:') || path === '') return 'node internals';
  return path;
}

function summarize(profile: Profile, requests: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((s, v) => s + v, 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id)!;
    let a = area(f.url, f.functionName);
    let where = f.url ? `${relative(f.url)}:${f.lineNumber + 1}` : '';
    // A native function (a better-sqlite3 statement, a socket write) is put down to its caller.
    if (a === 'node internals' && f.url === '') {
      let up = parent.get(id);
      while (up !== undefined && byId.get(up)!.callFrame.url === '') up = parent.get(up);
      const caller = up === undefined ? undefined : byId.get(up)!.callFrame;
      if (caller) {
        a = `${area(caller.url, caller.functionName)} (native)`;
        where = `native, called from ${caller.functionName || '(anonymous)'} ${relative(caller.url)}:${caller.lineNumber + 1}`;
      }
    }
    areas.set(a, (areas.get(a) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'}  ${where || a}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) =>
          `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / requests).toFixed(0).padStart(5)} µs/request  ${k}`,
      )
      .join('\n');
  const busy = total - (areas.get('idle') ?? 0);
  return `${(busy / requests).toFixed(0)} µs of the thread's time per request, ${(total / 1000).toFixed(0)} ms sampled; self time by area:\n${top(areas, 20)}\n\nself time by function:\n${top(functions, 30)}`;
}

function relative(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}
