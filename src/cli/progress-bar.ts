import { basename } from 'node:path';

export interface TtyStream {
  write(chunk: string): unknown;
  columns?: number;
}

/**
 * One line redrawn in place on a terminal: the file being read, a bar of its bytes, and which
 * file of how many. Redrawn at most every `everyMs` so a fast read is not slowed by drawing.
 */
export class ProgressBar {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly stream: TtyStream,
    private readonly everyMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  update(file: string, index: number, total: number, read: number, bytes: number, force = false): void {
    const t = this.now();
    if (!force && t - this.last < this.everyMs) return;
    this.last = t;
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 50));
    const share = bytes > 0 ? Math.min(1, read / bytes) : 1;
    const filled = Math.round(share * width);
    const name = basename(file);
    const label = name.length > 28 ? `${name.slice(0, 27)}…` : name;
    this.stream.write(
      `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ` +
        `file ${index}/${total} ${label}\u001b[K`,
    );
    this.drawn = true;
  }

  /** Clears the bar so the next line starts clean. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
