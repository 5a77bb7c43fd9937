// Between domain objects and stored documents. Domain objects are stored field for field; what
// comes back from `.lean()` loses mongoose's _id and the adapter's own fields, so the caller gets
// exactly what it stored (optional fields absent, never null).

import type { Schema } from 'mongoose';
import type { Effect } from '../../domain/effects';
import type { Escalation } from '../../domain/escalation';
import type { Incident } from '../../domain/incident';
import type { TimelineEvent } from '../../domain/timeline';
import type { TranscriptMessage } from '../../domain/transcript';
import type { PostmortemVersion } from '../../ports/incident-store';
import { HIDDEN, type IncidentDoc } from './schemas';
import { readIncident } from '../incident-schema';

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A deep copy without undefined-valued keys, as the SQLite adapter's JSON stores it: `{ reason:
 * undefined }` must read back without `reason`, and the driver would otherwise store it as null.
 */
export function defined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(defined) as T;
  if (!isPlainObject(value)) return value;
  const copy: Plain = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) copy[key] = defined(v);
  return copy as T;
}

/**
 * A lean document as a domain object. Top-level nulls are dropped too: the store never writes them,
 * but a document edited by hand or by an older tool must still read back without them.
 */
function toDomain<T>(doc: unknown, hidden: readonly string[]): T {
  const copy: Plain = {};
  for (const [key, value] of Object.entries(doc as Plain)) {
    if (key === '_id' || key === '__v' || value === null || hidden.includes(key)) continue;
    copy[key] = value;
  }
  // The schema validated every field on write, so the remaining shape is the domain type's.
  return copy as T;
}

export function maybe<T>(map: (doc: unknown) => T): (doc: unknown) => T | undefined {
  return (doc) => (doc === null || doc === undefined ? undefined : map(doc));
}

export function incidentDoc(incident: Incident): IncidentDoc {
  const { roles, ...rest } = defined(incident);
  return { ...rest, roles: Object.entries(roles).map(([name, userId]) => ({ name, userId })) };
}

export function toIncident(doc: unknown): Incident {
  const { roles, ...rest } = toDomain<IncidentDoc>(doc, []);
  // Mongoose checks what it writes, not what it reads: a document written otherwise is checked here, as SQLite's are.
  return readIncident({ ...rest, roles: Object.fromEntries((Array.isArray(roles) ? roles : []).map((role) => [role.name, role.userId])) });
}

export const toEvent = (doc: unknown): TimelineEvent => toDomain<TimelineEvent>(doc, HIDDEN.event);
export const toTranscript = (doc: unknown): TranscriptMessage => toDomain<TranscriptMessage>(doc, []);
export const toEffect = (doc: unknown): Effect => toDomain<Effect>(doc, HIDDEN.effect);
export const toEscalation = (doc: unknown): Escalation => toDomain<Escalation>(doc, HIDDEN.escalation);
export const toPostmortem = (doc: unknown): PostmortemVersion => toDomain<PostmortemVersion>(doc, []);

/**
 * An update that makes the stored document's schema fields exactly `doc`: present fields are set,
 * every other top-level field of the schema is unset (cleared optional fields, a lease), except
 * `keep`. Derived from the schema, so a new optional domain field is cleared without a list here.
 */
export function replaceFields(schema: Schema, doc: object, keep: readonly string[] = []): { $set: Plain; $unset?: Record<string, ''> } {
  const $set = defined(doc as Plain);
  const absent = new Set(Object.keys(schema.paths).map((path) => path.split('.')[0]));
  for (const key of ['_id', ...keep, ...Object.keys($set)]) absent.delete(key);
  if (absent.size === 0) return { $set };
  return { $set, $unset: Object.fromEntries([...absent].map((key) => [key, ''] as const)) };
}
