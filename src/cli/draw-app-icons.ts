import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { colourIcon, outlineIcon } from '../services/teams-app/app-icons.js';
import { EXIT, runAsProcess, type CliIo, type ExitCode } from './cli-process.js';
import { MANIFEST_DIR } from './package-app.js';

/**
 * Redraws manifest/color.png and manifest/outline.png (committed, so packaging needs no drawing):
 * `npm run -s build && node dist/cli/draw-app-icons.js`.
 */
export async function drawAppIcons(_args: readonly string[], io: CliIo, dir = MANIFEST_DIR): Promise<ExitCode> {
  await writeFile(join(dir, 'color.png'), colourIcon());
  await writeFile(join(dir, 'outline.png'), outlineIcon());
  io.out(`wrote ${join(dir, 'color.png')} (192×192) and ${join(dir, 'outline.png')} (32×32)`);
  return EXIT.ok;
}

runAsProcess(import.meta.url, drawAppIcons);
