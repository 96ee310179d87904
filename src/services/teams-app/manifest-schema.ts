import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

/**
 * Validates a Teams app manifest against Microsoft's own JSON schema for its `manifestVersion`,
 * read from the copy that @microsoft/app-manifest ships (the package Teams and Agents Toolkit
 * use), so packaging works offline and checks exactly what the Developer Portal checks first.
 * The package's validator is used as it is (AJV with the schema's own draft).
 */

const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build/json-schemas/teams');

/** The schema file for a version, or undefined when the package ships none for it. */
export async function officialSchema(manifestVersion: string): Promise<object | undefined> {
  if (!/^(1\.\d{1,2}|devPreview)$/.test(manifestVersion)) return undefined;
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  try {
    const text = await readFile(join(SCHEMA_DIR, folder, 'MicrosoftTeams.schema.json'), 'utf8');
    return JSON.parse(text) as object;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Each schema error as "path: message", e.g. "/name/short: must NOT have more than 30 characters". */
export async function schemaProblems(manifest: Record<string, unknown>): Promise<string[]> {
  const version = typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : '';
  const schema = await officialSchema(version);
  if (!schema) {
    return [`manifestVersion: @microsoft/app-manifest ships no schema for "${version}", so it cannot be checked`];
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as never, schema as never);
  // The package words each error "<path> <message>. Details: <params>"; keep path and message.
  return errors.map((e) => {
    const [where, ...rest] = e.split(' ');
    const [message, details] = rest.join(' ').split('. Details: ');
    let extra = '';
    try {
      const params = JSON.parse(details ?? '{}') as { additionalProperty?: string; allowedValues?: unknown[] };
      if (params.additionalProperty) extra = ` (${params.additionalProperty})`;
      if (params.allowedValues) extra = ` (${params.allowedValues.map(String).join(', ')})`;
    } catch {
      // Details are a courtesy; the message alone still says what is wrong.
    }
    return `${where || '(root)'}: ${message}${extra}`;
  });
}
