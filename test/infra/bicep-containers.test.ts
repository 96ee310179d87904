import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTAINERS } from '../../src/store/cosmos/containers.js';

/**
 * infra/main.bicep must declare the containers exactly as the Cosmos adapter defines them: with
 * Entra ID the app cannot create or change them, so a drift would only show in production. No
 * Bicep compiler here, so the resource blocks are read as text.
 */
const bicep = readFileSync(join(import.meta.dirname, '../../infra/main.bicep'), 'utf8');

function containerBlock(id: string): string {
  const start = bicep.indexOf(`name: '${id}'`);
  expect(start, `a container resource named ${id}`).toBeGreaterThan(0);
  const end = bicep.indexOf('\nresource ', start);
  return bicep.slice(start, end === -1 ? undefined : end);
}

describe('infra/main.bicep', () => {
  for (const definition of Object.values(CONTAINERS)) {
    it(`declares ${definition.id} as src/store/cosmos/containers.ts does`, () => {
      const block = containerBlock(definition.id);
      expect(block).toContain(`paths: ['${definition.partitionKey.paths[0]}']`);
      const policy = definition.indexingPolicy;
      const composite = 'compositeIndexes' in policy ? policy.compositeIndexes : [];
      const expected = [
        ...policy.includedPaths.map((p) => p.path),
        ...policy.excludedPaths.map((p) => p.path),
        ...composite.flat().map((p) => `${p.path} ${p.order}`),
      ];
      const declared = [...block.matchAll(/\{ path: '([^']+)'(?:, order: '(\w+)')? \}/g)].map((m) =>
        m[2] ? `${m[1]} ${m[2]}` : m[1],
      );
      expect(declared).toEqual(expected);
      expect(block).toContain(`indexingMode: '${policy.indexingMode}'`);
      const ttl = 'defaultTtl' in definition ? definition.defaultTtl : undefined;
      if (ttl === undefined) expect(block).not.toContain('defaultTtl');
      else expect(block).toContain(`defaultTtl: ${ttl}`);
    });
  }

  it("names the database the app's default, and the app settings config.ts reads", () => {
    expect(bicep).toContain("var databaseId = 'soc-profiles'");
    for (const name of [
      'STORE',
      'COSMOS_ENDPOINT',
      'COSMOS_DATABASE',
      'MicrosoftAppId',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'HOST',
    ]) {
      expect(bicep).toContain(`{ name: '${name}', value: `);
    }
    expect(bicep).not.toContain("name: 'COSMOS_KEY'");
    // The bot is the managed identity: there is no client secret to set.
    expect(bicep).not.toContain("name: 'MicrosoftAppPassword'");
  });
});
