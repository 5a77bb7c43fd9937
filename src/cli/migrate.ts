// Copies the embedded SQLite store into MongoDB:
//
//   npm run migrate -- --from sqlite:<path> --to <mongodb uri>
//
// Every incident with its timeline, its channel's transcript, escalations, postmortem versions and
// pending effects. Idempotent (see src/store/mongo/import-all.ts): run it again after a failure, or
// to check, and it writes only what is missing. Stop the bot first, so nothing changes meanwhile.

import { addCounts, describeHosts, emptyCounts, IMPORT_KINDS, MongoIncidentStore, redact, type ImportCounts } from '../store/mongo';
import { SqliteExport } from '../store/sqlite/export-all';

export interface MigrateArgs {
  /** Path of the SQLite file. */
  from: string;
  /** MongoDB connection string. */
  to: string;
}

const USAGE = 'usage: npm run migrate -- --from sqlite:<path> --to <mongodb uri>';

/** `--from sqlite:<path> --to <uri>` (also `--from=…`); throws the usage on anything else. */
export function parseArgs(argv: readonly string[]): MigrateArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== '--from' && flag !== '--to') throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value\n${USAGE}`);
    values.set(flag, value);
  }
  const from = values.get('--from');
  const to = values.get('--to');
  if (!from || !to) throw new Error(USAGE);
  if (!from.startsWith('sqlite:') || from.length === 'sqlite:'.length) throw new Error(`--from must be sqlite:<path>\n${USAGE}`);
  if (!/^mongodb(\+srv)?:\/\//.test(to)) throw new Error(`--to must be a mongodb:// or mongodb+srv:// URI\n${USAGE}`);
  return { from: from.slice('sqlite:'.length), to };
}

export interface MigrateOptions {
  log?: (line: string) => void;
  /** Passed to MongoIncidentStore.connect. */
  connect?: { attempts?: number; retryDelayMs?: number; serverSelectionTimeoutMS?: number };
}

/** Runs the copy and returns the counts per kind. */
export async function migrate(args: MigrateArgs, options: MigrateOptions = {}): Promise<ImportCounts> {
  const log = options.log ?? ((line: string) => console.log(line));
  const source = SqliteExport.open(args.from);
  try {
    const logger = { info: (message: unknown) => log(String(message)), warn: (message: unknown) => log(String(message)) };
    const target = await MongoIncidentStore.connect(args.to, { attempts: 3, ...options.connect, logger });
    try {
      const total = emptyCounts();
      for (const bundle of source.bundles()) addCounts(total, await target.importIncident(bundle));
      return total;
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}

export function formatCounts(counts: ImportCounts): string {
  const header = ['kind', 'read', 'written', 'already present'];
  const body = IMPORT_KINDS.map((kind) => [kind, ...[counts[kind].read, counts[kind].written, counts[kind].present].map(String)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  try {
    const args = parseArgs(process.argv.slice(2));
    console.log(`copying ${args.from} to MongoDB at ${describeHosts(args.to)}`);
    console.log(formatCounts(await migrate(args)));
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const message = [error, cause]
      .filter((e): e is Error => e instanceof Error)
      .map((e) => e.message)
      .join(': ');
    console.error(`migrate failed: ${redact(message || String(error))}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
