// Bulk import of whole incidents (the SQLite → MongoDB migration). Idempotent: every item is keyed
// by its natural key and only inserted when that key is missing ($setOnInsert upserts), so a second
// run, or a run after a crash half-way, writes only what is still missing and never overwrites what
// the bot has changed since. Meant to run while the bot is stopped.

import type { IncidentBundle } from '../../ports/incident-store';
import type { Counters } from './counters';
import { defined, incidentDoc } from './documents';
import type { Models } from './schemas';
import { counterKeys } from './writes';

/** One incident with everything stored under it (the port's shape for moving stores). */
export type ImportBundle = IncidentBundle;

export const IMPORT_KINDS = ['incidents', 'timeline', 'transcript', 'escalations', 'postmortems', 'effects'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export interface KindCounts {
  read: number;
  written: number;
  /** Already stored under the same key: left as it is. */
  present: number;
}
export type ImportCounts = Record<ImportKind, KindCounts>;

export function emptyCounts(): ImportCounts {
  return Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, { read: 0, written: 0, present: 0 }])) as ImportCounts;
}

export function addCounts(total: ImportCounts, more: ImportCounts): ImportCounts {
  for (const kind of IMPORT_KINDS) {
    for (const field of ['read', 'written', 'present'] as const) total[kind][field] += more[kind][field];
  }
  return total;
}

/** Mongoose's model type is too generic to name here; this is the part of it the import uses. */
interface UpsertTarget {
  validate(doc: object): Promise<unknown>;
  find(filter: object, projection: object): { lean(): PromiseLike<unknown[]> };
  bulkWrite(ops: Array<{ updateOne: { filter: object; update: object; upsert: boolean } }>, options: object): Promise<{ upsertedCount: number }>;
}

/**
 * Inserts the items whose key is not stored yet. `extra(i, n)` adds the adapter's own fields
 * (sequence numbers) to the n-th missing item; they are reserved only when something is missing.
 */
async function upsertMissing<T extends object>(
  model: UpsertTarget,
  items: T[],
  keyOf: (item: T) => Record<string, string | number>,
  reserve: (count: number) => Promise<number>,
  extra: (item: T, value: number) => object = () => ({}),
): Promise<KindCounts> {
  if (items.length === 0) return { read: 0, written: 0, present: 0 };
  const keys = items.map(keyOf);
  const fields = Object.keys(keys[0]);
  const projection = Object.fromEntries(fields.map((f) => [f, 1]));
  const stored = (await model.find({ $or: keys }, projection).lean()) as Record<string, unknown>[];
  const id = (key: Record<string, unknown>) => JSON.stringify(fields.map((f) => key[f]));
  const present = new Set(stored.map(id));
  const missing = items.filter((_, i) => !present.has(id(keys[i])));
  if (missing.length === 0) return { read: items.length, written: 0, present: items.length };

  let next = await reserve(missing.length);
  const docs = missing.map((item) => ({ ...defined(item), ...extra(item, next++) }));
  // Upserts skip document validation; the source may hold what the schema refuses (hand edits).
  for (const doc of docs) await model.validate(doc);
  const ops = docs.map((doc, i) => ({ updateOne: { filter: keyOf(missing[i]), update: { $setOnInsert: doc }, upsert: true } }));
  const result = await model.bulkWrite(ops, { ordered: true });
  return { read: items.length, written: result.upsertedCount, present: items.length - result.upsertedCount };
}

export async function importIncident(models: Models, counters: Counters, bundle: ImportBundle): Promise<ImportCounts> {
  const { incident } = bundle;
  const sequence = (count: number) => counters.reserve(counterKeys.sequence, count);
  const none = async () => 0;
  const counts = emptyCounts();

  counts.incidents = await upsertMissing(models.incident, [incidentDoc(incident)], (i) => ({ id: i.id }), none);
  // New incidents of the team must be numbered after the copied ones.
  await counters.atLeast(counterKeys.incidentNumber(incident.teamId), incident.number);

  counts.timeline = await upsertMissing(
    models.event,
    bundle.timeline,
    (e) => ({ sourceId: e.sourceId }),
    sequence,
    (_, seq) => ({ seq }),
  );
  counts.transcript = await upsertMissing(models.transcript, bundle.transcript, (m) => ({ channelId: m.channelId, ts: m.ts }), none);
  counts.escalations = await upsertMissing(
    models.escalation,
    bundle.escalations,
    (e) => ({ id: e.id }),
    sequence,
    (_, seq) => ({ seq }),
  );
  counts.postmortems = await upsertMissing(models.postmortem, bundle.postmortems, (p) => ({ incidentId: p.incidentId, version: p.version }), none);
  // Effects get ids of this database (the SQLite ones may be taken); the source id is kept to find them again.
  const effects = bundle.pendingEffects.map(({ id, ...effect }) => ({ ...effect, importedFrom: `sqlite:${incident.id}:${id}`, state: 'pending' as const }));
  counts.effects = await upsertMissing(
    models.effect,
    effects,
    (e) => ({ importedFrom: e.importedFrom }),
    sequence,
    (_, id) => ({ id }),
  );
  return counts;
}
