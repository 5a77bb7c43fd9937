// Update reminders and nudges from the environment: INCIDENT_UPDATE_EVERY (per severity),
// INCIDENT_NUDGE_NO_ROLES and INCIDENT_NUDGE_SEVERITY_UNCHANGED. Each problem is one line naming
// the variable and what it accepts.

import { z } from 'zod';

import { parseSeverity, type Severity } from '../domain/incident';
import type { ReminderSettings } from '../domain/reminders';
import { parseDuration } from './duration';

/** Commercial tools' defaults: the worse the incident, the more often stakeholders hear from it. */
export const DEFAULT_UPDATE_EVERY = 'sev1=15m,sev2=30m,sev3=60m,sev4=off';
export const DEFAULT_NUDGE_NO_ROLES = '30m';
export const DEFAULT_NUDGE_SEVERITY_UNCHANGED = '2h';

/** A reminder sooner than a minute apart is noise; later than a day is no reminder. */
const BOUNDS = { minMs: 60_000, maxMs: 24 * 60 * 60_000 };

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function durationOrOff(text: string): Parsed<number | undefined> {
  const word = text.trim().toLowerCase();
  if (word === 'off') return { ok: true, value: undefined };
  const ms = parseDuration(word, BOUNDS);
  return ms === undefined ? { ok: false, problem: 'must be a duration from 1m to 24h (such as 15m or 2h) or off' } : { ok: true, value: ms };
}

/** `sev1=15m,sev2=30m,sev3=1h,sev4=off`; a severity left out keeps its default. */
export function parseUpdateEvery(text: string): Parsed<Partial<Record<Severity, number>>> {
  const every: Partial<Record<Severity, number>> = {};
  for (const entry of [DEFAULT_UPDATE_EVERY, text].join(',').split(',')) {
    if (!entry.trim()) continue;
    const [name = '', value, ...extra] = entry.split('=');
    const severity = parseSeverity(name);
    if (!severity || value === undefined || extra.length > 0) {
      return { ok: false, problem: `must be severity=duration pairs such as ${DEFAULT_UPDATE_EVERY} (found "${entry.trim().slice(0, 30)}")` };
    }
    const duration = durationOrOff(value);
    if (!duration.ok) return { ok: false, problem: `${severity}=… ${duration.problem}` };
    if (duration.value === undefined) delete every[severity];
    else every[severity] = duration.value;
  }
  return { ok: true, value: every };
}

/** The variables' zod fields: each parses to its setting, or adds one issue saying what it accepts. */
export const reminderEnv = {
  INCIDENT_UPDATE_EVERY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseUpdateEvery(v ?? '');
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      return parsed.ok ? parsed.value : {};
    }),
  INCIDENT_NUDGE_NO_ROLES: nudgeField(DEFAULT_NUDGE_NO_ROLES),
  INCIDENT_NUDGE_SEVERITY_UNCHANGED: nudgeField(DEFAULT_NUDGE_SEVERITY_UNCHANGED),
};

function nudgeField(fallback: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = durationOrOff(v?.trim() || fallback);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      return parsed.ok ? parsed.value : undefined;
    });
}

type ReminderEnv = { [K in keyof typeof reminderEnv]: z.output<(typeof reminderEnv)[K]> };

export function reminderSettings(env: ReminderEnv): ReminderSettings {
  return {
    updateEvery: env.INCIDENT_UPDATE_EVERY,
    ...(env.INCIDENT_NUDGE_NO_ROLES !== undefined ? { rolesAfterMs: env.INCIDENT_NUDGE_NO_ROLES } : {}),
    ...(env.INCIDENT_NUDGE_SEVERITY_UNCHANGED !== undefined ? { severityAfterMs: env.INCIDENT_NUDGE_SEVERITY_UNCHANGED } : {}),
  };
}
