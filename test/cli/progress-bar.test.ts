import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/progress-bar.js';

describe('the progress bar', () => {
  it('redraws one line with the share of bytes read, at most every 100 ms, and clears it', () => {
    const drawn: string[] = [];
    let t = 0;
    const bar = new ProgressBar({ write: (s) => drawn.push(s), columns: 80 }, 100, () => t);
    bar.update('/data/2019-10-merseyside-street.csv.gz', 2, 7, 0, 1000, true);
    t = 50;
    bar.update('/data/2019-10-merseyside-street.csv.gz', 2, 7, 400, 1000); // too soon: not drawn
    t = 150;
    bar.update('/data/2019-10-merseyside-street.csv.gz', 2, 7, 500, 1000);
    bar.clear();
    expect(drawn).toEqual([
      `\r[${' '.repeat(30)}]   0% file 2/7 2019-10-merseyside-street.c…\u001b[K`,
      `\r[${'#'.repeat(15)}${' '.repeat(15)}]  50% file 2/7 2019-10-merseyside-street.c…\u001b[K`,
      '\r\u001b[K',
    ]);
  });
});
