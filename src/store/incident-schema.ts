// The stored incident, checked when read: both adapters read documents written by any version of
// the bot (or by hand), and an unknown or mistyped field is refused here, the same way in both,
// instead of travelling on as an `Incident` it is not. The message names the field, never its value.

import { z } from 'zod';

import { SEVERITIES, STATUSES, type Incident } from '../domain/incident';

const text = z.string();
const ms = z.number();
const optionalText = text.optional();

const ticket = z.strictObject({
  actionSourceId: text,
  key: text,
  url: text,
  state: z.enum(['open', 'done', 'wont_do']),
  statusName: text,
  createdAt: ms,
  checkedAt: ms,
  gone: z.boolean().optional(),
});

export const incidentSchema: z.ZodType<Incident> = z.strictObject({
  id: text,
  number: z.number().int(),
  teamId: text,
  title: text,
  description: optionalText,
  severity: z.enum(SEVERITIES),
  status: z.enum(STATUSES),
  commanderId: text,
  declaredBy: text,
  roles: z.record(text, text),
  impact: optionalText,
  rootCause: optionalText,
  resolutionSummary: optionalText,
  conclusion: optionalText,
  isPrivate: z.boolean(),
  declaredAt: ms,
  resolvedAt: ms.optional(),
  closedAt: ms.optional(),
  chat: z.strictObject({ channelId: text, channelName: text, headerTs: optionalText }).optional(),
  confluencePage: z.strictObject({ pageId: text, title: text, url: text, version: z.number().int(), exportedAt: ms, blocks: z.record(text, text).optional() }).optional(),
  announcement: z.strictObject({ channelId: text, ts: text }).optional(),
  latestUpdate: z.strictObject({ at: ms, by: text, text }).optional(),
  reminders: z.strictObject({ due: z.strictObject({ update: ms.optional(), roles: ms.optional(), severity: ms.optional() }), stoppedBy: optionalText }).optional(),
  tickets: z.array(ticket).optional(),
  ticketSyncDue: ms.optional(),
  declarerReplyUrl: optionalText,
  declaredFromChannelId: optionalText,
  updatedAt: ms,
});

/** A stored incident does not have the shape the bot writes. */
export class MalformedIncidentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedIncidentError';
  }
}

export function readIncident(stored: unknown): Incident {
  const parsed = incidentSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const id = typeof (stored as { id?: unknown } | null)?.id === 'string' ? (stored as { id: string }).id : 'without an id';
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(document)'}: ${issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message}`,
  );
  throw new MalformedIncidentError(`stored incident ${id} does not match the schema (${problems.slice(0, 3).join('; ')})`);
}
