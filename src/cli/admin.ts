import type { Member } from '../domain/member.js';
import { systemClock, type Clock } from '../services/clock.js';
import { MemberAdmin, VALID, type MemberChange } from '../services/member-admin.js';
import {
  EXIT,
  UsageError,
  auditActor,
  explain,
  listOption,
  parseOptions,
  required,
  runAsProcess,
  withStore,
  type CliIo,
  type ExitCode,
  type Options,
} from './cli-process.js';

/**
 * `npm run admin -- <command>`: partnerships, agencies and members, against the store the
 * environment configures. How a deployment gets its first admin. Output names ids; names are
 * shown only in the lists, as the labels the admin gave them.
 */

const AS = { as: { type: 'string' } } as const satisfies Options;

interface AdminCommand {
  usage: string;
  options: Options;
  run(admin: MemberAdmin, values: Record<string, unknown>, io: CliIo): Promise<void>;
}

const COMMANDS: Record<string, AdminCommand> = {
  'partnership add': {
    usage: 'partnership add --id <slug> --name <name> --force <police force> [--tenant <guid>]...',
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'string' },
      tenant: { type: 'string', multiple: true },
    },
    async run(admin, v, io) {
      const p = await admin.addPartnership({
        id: required('partnership add', v, 'id'),
        name: required('partnership add', v, 'name'),
        force: required('partnership add', v, 'force'),
        tenantIds: listOption(v.tenant as string[] | undefined),
      });
      io.out(
        `partnership ${p.id} added (${p.tenantIds.length ? `tenants ${p.tenantIds.join(', ')}` : 'any tenant'}); next: agency add --partnership ${p.id}`,
      );
    },
  },
  'partnership list': {
    usage: 'partnership list',
    options: {},
    async run(admin, _v, io) {
      const all = await admin.listPartnerships();
      if (all.length === 0) return io.out('no partnerships yet; add one with partnership add');
      table(
        io,
        ['id', 'tenants', 'demo', 'name'],
        all.map((p) => [p.id, p.tenantIds.length ? p.tenantIds.join(',') : 'any', p.demo ? 'yes' : 'no', p.name]),
      );
    },
  },
  'agency add': {
    usage: `agency add --partnership <id> --id <slug> --name <name> --sector <${VALID.sectors.join('|')}>`,
    options: {
      partnership: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      sector: { type: 'string' },
    },
    async run(admin, v, io) {
      const a = await admin.addAgency({
        partnershipId: required('agency add', v, 'partnership'),
        id: required('agency add', v, 'id'),
        name: required('agency add', v, 'name'),
        sector: required('agency add', v, 'sector'),
      });
      io.out(`agency ${a.id} (${a.sector}) added to partnership ${a.partnershipId}`);
    },
  },
  'agency list': {
    usage: 'agency list --partnership <id>',
    options: { partnership: { type: 'string' } },
    async run(admin, v, io) {
      const partnershipId = required('agency list', v, 'partnership');
      const all = await admin.listAgencies(partnershipId);
      if (all.length === 0) return io.out(`no agencies in partnership ${partnershipId}; add one with agency add`);
      table(
        io,
        ['id', 'sector', 'name'],
        all.map((a) => [a.id, a.sector, a.name]),
      );
    },
  },
  'member add': {
    usage: `member add --partnership <id> --aad <object id> --name <display name> --agency <id> --role <${VALID.roles.join('|')}>[,<role>] [--clearance ${VALID.clearances.join('|')}]`,
    options: {
      partnership: { type: 'string' },
      aad: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string' },
      role: { type: 'string', multiple: true },
      clearance: { type: 'string' },
    },
    async run(admin, v, io) {
      const roles = listOption(v.role as string[] | undefined);
      if (roles.length === 0) throw new UsageError(`member add: --role is required (${VALID.roles.join(', ')})`);
      const m = await admin.addMember({
        partnershipId: required('member add', v, 'partnership'),
        aadObjectId: required('member add', v, 'aad'),
        displayName: required('member add', v, 'name'),
        agencyId: required('member add', v, 'agency'),
        roles,
        ...(typeof v.clearance === 'string' && { clearance: v.clearance.trim() }),
      });
      io.out(`member ${m.aadObjectId} added to partnership ${m.partnershipId}: ${describe(m)}`);
    },
  },
  'member set-roles': {
    usage: 'member set-roles --aad <object id> --role <role>[,<role>] [--partnership <id>]',
    options: { aad: { type: 'string' }, role: { type: 'string', multiple: true }, partnership: { type: 'string' } },
    async run(admin, v, io) {
      const roles = listOption(v.role as string[] | undefined);
      if (roles.length === 0) throw new UsageError(`member set-roles: --role is required (${VALID.roles.join(', ')})`);
      report(io, await admin.setRoles(required('member set-roles', v, 'aad'), roles, optional(v.partnership)));
    },
  },
  'member set-clearance': {
    usage: `member set-clearance --aad <object id> --clearance ${VALID.clearances.join('|')} [--partnership <id>]`,
    options: { aad: { type: 'string' }, clearance: { type: 'string' }, partnership: { type: 'string' } },
    async run(admin, v, io) {
      report(
        io,
        await admin.setClearance(
          required('member set-clearance', v, 'aad'),
          required('member set-clearance', v, 'clearance'),
          optional(v.partnership),
        ),
      );
    },
  },
  'member deactivate': {
    usage: 'member deactivate --aad <object id> [--partnership <id>]',
    options: { aad: { type: 'string' }, partnership: { type: 'string' } },
    async run(admin, v, io) {
      report(io, await admin.deactivate(required('member deactivate', v, 'aad'), optional(v.partnership)));
    },
  },
  'member activate': {
    usage: 'member activate --aad <object id> [--partnership <id>]',
    options: { aad: { type: 'string' }, partnership: { type: 'string' } },
    async run(admin, v, io) {
      report(io, await admin.activate(required('member activate', v, 'aad'), optional(v.partnership)));
    },
  },
  'member list': {
    usage: 'member list --partnership <id>',
    options: { partnership: { type: 'string' } },
    async run(admin, v, io) {
      const partnershipId = required('member list', v, 'partnership');
      const all = await admin.listMembers(partnershipId);
      if (all.length === 0) return io.out(`no members in partnership ${partnershipId}; add one with member add`);
      table(
        io,
        ['aad object id', 'agency', 'roles', 'clearance', 'active', 'name'],
        all.map((m) => [
          m.aadObjectId,
          m.agencyId,
          m.roles.join(','),
          m.clearance,
          m.active ? 'yes' : 'no',
          m.displayName,
        ]),
      );
    },
  },
};

export function helpText(): string[] {
  return [
    'Usage: npm run admin -- <command> [options]   (the store is the one the environment configures: STORE, DATA_DIR, COSMOS_*)',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '  help',
    '',
    'Every command takes --as <your AAD object id>, recorded in the audit trail as who made the change (default system:cli).',
    'Exit codes: 0 done, 1 the store failed, 2 the input was wrong (nothing written).',
  ];
}

export async function runAdmin(args: readonly string[], io: CliIo, clock: Clock = systemClock): Promise<ExitCode> {
  const [noun, verb, ...rest] = args;
  if (noun === undefined || noun === 'help' || noun === '--help' || noun === '-h') {
    helpText().forEach((l) => io.out(l));
    return EXIT.ok;
  }
  const name = `${noun} ${verb ?? ''}`.trim();
  const command = COMMANDS[name];
  try {
    if (!command) {
      const verbs = Object.keys(COMMANDS).filter((k) => k.startsWith(`${noun} `));
      throw new UsageError(
        verbs.length
          ? `${name}: not a command; ${noun} takes ${verbs.map((k) => k.slice(noun.length + 1)).join(', ')}`
          : `${noun}: not a command; try partnership, agency, member or help`,
      );
    }
    const values = parseOptions(name, rest, { ...command.options, ...AS }) as Record<string, unknown>;
    const actor = auditActor(values.as);
    await withStore(io.env, (store) => command.run(new MemberAdmin(store, clock, actor), values, io));
    return EXIT.ok;
  } catch (err) {
    const { code, line } = explain(err);
    io.err(`error: ${line}`);
    return code;
  }
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function describe(m: Member): string {
  return `agency ${m.agencyId}, roles ${m.roles.join(', ')}, cleared to ${m.clearance}${m.active ? '' : ', inactive'}`;
}

function report(io: CliIo, change: MemberChange): void {
  const m = change.member;
  io.out(`member ${m.aadObjectId} ${change.changed ? 'changed' : 'unchanged (already so)'}: ${describe(m)}`);
}

function table(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  io.out(line(header));
  rows.forEach((r) => io.out(line(r)));
}

runAsProcess(import.meta.url, runAdmin);
