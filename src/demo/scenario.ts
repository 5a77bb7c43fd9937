// A replayable incident: who did what, at which wall-clock time in the team's zone.

import { z } from 'zod';

import { dayjs } from '../domain/time-format';

const stepSchema = z
  .object({
    at: z.string().regex(/^\d{2}:\d{2}$/, 'at must be HH:MM'),
    user: z.string().min(1),
    /** Where it happens: "start" = the channel the incident is declared from, "dm" = the bot's DM, else the incident channel. */
    in: z.enum(['start', 'incident', 'dm']).default('incident'),
    command: z.string().optional(),
    /**
     * Press a button: a page's Acknowledge (in the user's latest DM), Export to Confluence (in the
     * incident channel), or the "Add to incident timeline" shortcut on the latest message of the step's channel.
     */
    press: z.enum(['acknowledge', 'export', 'add-to-timeline']).optional(),
    /** A person edits the exported page on Confluence: a section of their own, before the section named. */
    confluenceEdit: z.object({ addSection: z.string().min(1), text: z.string().min(1), before: z.string().min(1) }).optional(),
    say: z.string().optional(),
    pin: z.boolean().optional(),
    react: z.string().optional(),
    reactUser: z.string().optional(),
  })
  .refine((s) => [s.command, s.say, s.press, s.confluenceEdit].filter((x) => x !== undefined).length === 1, {
    message: 'a step has exactly one of: command, say, press, confluenceEdit',
  });

export const scenarioSchema = z.object({
  description: z.string(),
  teamId: z.string(),
  timeZone: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  startChannel: z.string(),
  users: z.array(z.object({ id: z.string(), name: z.string(), realName: z.string(), email: z.string().email().optional() })).min(1),
  steps: z.array(stepSchema).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];

export function parseScenario(raw: unknown): Scenario {
  return scenarioSchema.parse(raw);
}

/** The instant of a step: its HH:MM on the scenario's date, in the scenario's zone. */
export function stepInstant(scenario: Scenario, step: ScenarioStep): number {
  return dayjs.tz(`${scenario.date} ${step.at}`, 'YYYY-MM-DD HH:mm', scenario.timeZone).valueOf();
}
