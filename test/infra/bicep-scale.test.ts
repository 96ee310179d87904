import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * infra/main.bicep at national scale (issue 15, item 9), read as text (no Bicep compiler here):
 * each property a reviewer would look for, in the resource it belongs to.
 */
const root = join(import.meta.dirname, '../..');
const bicep = readFileSync(join(root, 'infra/main.bicep'), 'utf8');
const bicepparam = readFileSync(join(root, 'infra/main.bicepparam'), 'utf8');
const infraReadme = readFileSync(join(root, 'infra/README.md'), 'utf8');

/** The text of `resource <name> '<type>@…' = …` up to the next resource, param or output. */
function resource(name: string): string {
  const start = bicep.search(new RegExp(`^resource ${name} '`, 'm'));
  expect(start, `resource ${name}`).toBeGreaterThanOrEqual(0);
  const rest = bicep.slice(start + 1);
  const end = rest.search(/^(resource|output|param|var) /m);
  return bicep.slice(start, end === -1 ? undefined : start + 1 + end);
}

function paramDefault(name: string): string | undefined {
  return new RegExp(`^param ${name} \\w+ = (.+)$`, 'm').exec(bicep)?.[1];
}

describe('infra/main.bicep: Cosmos DB at national scale', () => {
  it('provisions autoscale throughput, not serverless', () => {
    expect(bicep).not.toContain('EnableServerless');
    const database = resource('database');
    expect(database).toMatch(/autoscaleSettings: \{\s+maxThroughput: cosmosMaxThroughput\s+\}/);
    expect(Number(paramDefault('cosmosMaxThroughput'))).toBeGreaterThanOrEqual(1000);
  });

  it('keeps continuous backup for point-in-time restore, and spreads over zones', () => {
    const cosmos = resource('cosmos');
    expect(cosmos).toMatch(/backupPolicy: \{\s+type: 'Continuous'/);
    expect(cosmos).toContain("tier: 'Continuous30Days'");
    expect(cosmos).toContain('isZoneRedundant: zoneRedundant');
    expect(paramDefault('zoneRedundant')).toBe('true');
  });

  it('gives the data-plane role on the database, never the whole account', () => {
    expect(bicep).toContain("var databaseScope = '${cosmos.id}/dbs/${databaseId}'");
    for (const name of ['appCosmosAccess', 'operatorCosmosAccess']) {
      const block = resource(name);
      expect(block).toContain('scope: databaseScope');
      expect(block).not.toContain('scope: cosmos.id');
    }
  });
});

describe('infra/main.bicep: private networking, on request', () => {
  it('is a parameter, off by default, that closes public access to Cosmos DB', () => {
    expect(paramDefault('privateNetworking')).toBe('false');
    expect(resource('cosmos')).toContain("publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'");
  });

  it('makes a VNet, a private endpoint and DNS zone for Cosmos DB, and integrates the app', () => {
    for (const name of ['vnet', 'privateZones', 'privateZoneLinks', 'privateEndpoints', 'privateDnsGroups']) {
      expect(resource(name)).toMatch(/if \(privateNetworking\)/);
    }
    expect(resource('vnet')).toContain("serviceName: 'Microsoft.Web/serverFarms'");
    expect(bicep).toContain("{ name: 'cosmos', id: cosmos.id, group: 'Sql', zone: 'privatelink.documents.azure.com' }");
    const app = resource('app');
    expect(app).toContain("virtualNetworkSubnetId: privateNetworking ? '${vnet.id}/subnets/app' : null");
    expect(app).toContain('vnetRouteAllEnabled: privateNetworking');
  });
});

describe('infra/main.bicep: the app on several instances', () => {
  it('runs on a Premium v3 plan, zone redundant, never below two instances', () => {
    const allowed = /@allowed\(\[([^\]]+)\]\)\nparam appServiceSku/.exec(bicep)![1]!;
    expect(allowed.split(',').every((sku) => /^'P\d+m?v3'$/.test(sku.trim()))).toBe(true);
    expect(paramDefault('appServiceSku')).toMatch(/^'P\d+v3'$/);
    expect(/@minValue\((\d+)\)\n@maxValue\(\d+\)\nparam appMinInstances/.exec(bicep)?.[1]).toBe('2');
    const plan = resource('plan');
    expect(plan).toContain('capacity: appMinInstances');
    expect(plan).toContain('zoneRedundant: zoneRedundant');
  });

  it('has an autoscale rule on the plan whose floor is the minimum instance count', () => {
    const autoscale = resource('planAutoscale');
    expect(autoscale).toContain("'Microsoft.Insights/autoscalesettings@");
    expect(autoscale).toContain('targetResourceUri: plan.id');
    expect(autoscale).toContain('minimum: string(appMinInstances)');
    expect(autoscale).toMatch(/direction: 'Increase'/);
    expect(autoscale).toMatch(/direction: 'Decrease'/);
  });

  it('the parameters file keeps a Premium v3 plan, and the README says how the package is built', () => {
    expect(bicepparam).toMatch(/^param appServiceSku = 'P\d+v3'$/m);
    expect(infraReadme).toContain('npm run build');
    expect(infraReadme).toContain('npm prune --omit=dev');
  });
});
