// Random hostile text everywhere a person can type, or a chat can name: the document keeps its shape.

import { ESCALATION_STATES, type Escalation, type EscalationTarget } from '../../../src/domain/escalation';
import type { Incident } from '../../../src/domain/incident';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { renderMarkdown } from '../../../src/postmortem/render-markdown';
import { DECLARED_AT, PEOPLE, SEED_TIME_ZONE, bareIncident, eat, event } from '../../fixtures/seed-incident';
import { SECTIONS, sectionLines, unescapedPipes } from '../../fixtures/markdown-reading';
import { HOSTILE_PIECES, pick, prng } from '../../support/hostile-text';

/** Lines that would read as headings (up to three spaces of indentation allowed by CommonMark). */
function headingLines(markdown: string): string[] {
  return markdown.split(/\r\n|\r|\n/).filter((line) => /^ {0,3}#/.test(line));
}

describe('hostile input, property-style', () => {
  function randomText(random: () => number, allowHuge = true): string {
    if (allowHuge && random() < 0.01) return '#- >'.repeat(50_000); // huge
    const length = Math.floor(random() * 40);
    let text = '';
    for (let i = 0; i < length; i++) text += HOSTILE_PIECES[Math.floor(random() * HOSTILE_PIECES.length)];
    return text;
  }

  function randomCase(random: () => number): { incident: Incident; timeline: TimelineEvent[]; escalations: Escalation[]; names: Map<string, string> } {
    const maybe = (): string | undefined => (random() < 0.5 ? randomText(random) : undefined);
    const incident = bareIncident({
      title: randomText(random),
      impact: maybe(),
      rootCause: maybe(),
      resolutionSummary: maybe(),
      conclusion: maybe(),
      roles: { [randomText(random)]: PEOPLE.brian },
      resolvedAt: random() < 0.5 ? DECLARED_AT + Math.floor(random() * 3 * 86_400_000) : undefined,
    });
    const kinds = ['note', 'message', 'status', 'severity', 'role', 'action', 'acknowledged', 'escalation', 'resolved', 'update'] as const;
    const escalations = Array.from({ length: Math.floor(random() * 4) }, (_, i) => randomEscalation(random, `esc-${i}`));
    const timeline = Array.from({ length: Math.floor(random() * 12) }, () =>
      event(pick(random, kinds), randomInstant(random), randomText(random), {
        actorId: random() < 0.8 ? PEOPLE.amina : undefined,
        data: {
          from: randomText(random),
          to: randomText(random),
          owner: randomText(random),
          role: randomText(random),
          step: pick(random, [...STEPS, randomText(random)]),
          escalationId: pick(random, [...escalations.map((e) => e.id), randomText(random)]),
          level: pick(random, [0, 1, 2, -1, 1.5, 99]),
          target: randomText(random),
          status: randomText(random),
          doing: randomText(random),
          need: randomText(random),
          nextDueAt: pick(random, [randomInstant(random), randomText(random), -1]),
        },
      }),
    );
    // Not huge: a name is repeated in every entry and mention, which would only test memory.
    const names = new Map([
      [PEOPLE.amina, randomText(random, false)],
      [PEOPLE.brian, randomText(random, false)],
    ]);
    return { incident, timeline, escalations, names };
  }

  const STEPS = ['paged', 'timed_out', 'cancelled', 'exhausted'];

  function randomInstant(random: () => number): number {
    return DECLARED_AT + Math.floor((random() - 0.1) * 86_400_000);
  }

  /** Any record the store could hold, including ones no transition would make (no time, no person). */
  function randomEscalation(random: () => number, id: string): Escalation {
    const person = () => pick(random, [PEOPLE.amina, PEOPLE.brian, randomText(random, false)]);
    const maybeAt = () => (random() < 0.8 ? randomInstant(random) : undefined);
    const target: EscalationTarget = pick(random, [
      { kind: 'user', id: person() },
      { kind: 'usergroup', id: randomText(random, false), handle: random() < 0.5 ? randomText(random, false) : undefined },
      { kind: 'policy', name: randomText(random, false) },
    ] as const);
    const levels = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      userIds: random() < 0.7 ? [person()] : [],
      usergroupIds: random() < 0.5 ? [randomText(random, false)] : [],
      timeoutMs: 5 * 60_000,
    }));
    const pages = levels.slice(0, 1 + Math.floor(random() * levels.length)).map((_, level) => ({
      level,
      pagedAt: randomInstant(random),
      ...(random() < 0.6 ? { userIds: [person(), person()] } : {}),
      notices: random() < 0.5 ? [{ userId: person(), error: randomText(random, false) }] : [],
      timedOutAt: maybeAt(),
    }));
    return {
      id,
      incidentId: 'inc-seed',
      target,
      levels,
      reason: random() < 0.7 ? randomText(random) : undefined,
      requestedBy: person(),
      trigger: pick(random, ['manual', 'automatic'] as const),
      createdAt: randomInstant(random),
      state: pick(random, ESCALATION_STATES),
      currentLevel: pages.length - 1,
      pages,
      acknowledgedBy: random() < 0.7 ? person() : undefined,
      acknowledgedAt: maybeAt(),
      endedAt: maybeAt(),
      version: 1,
    };
  }

  it('never throws, never prints undefined/NaN, and no line outside the headings starts with #', () => {
    const random = prng(20230303);
    for (let i = 0; i < 200; i++) {
      const { incident, timeline, escalations, names } = randomCase(random);
      const markdown = renderMarkdown(compilePostmortem({ incident, timeline, escalations, timeZone: SEED_TIME_ZONE, names, compiledAt: eat(16) }));
      const headings = headingLines(markdown);
      expect(headings[0]).toMatch(/^# /);
      expect(headings.slice(1)).toEqual(SECTIONS);
      expect(markdown).not.toMatch(/undefined|NaN/);
      // No bidi override or isolate survives to reverse the document's own words after user text.
      expect(markdown).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      // Every "<" is backslash-escaped: nothing can become HTML, an autolink or a Slack ping.
      expect(markdown.replace(/\\[\s\S]/g, '')).not.toContain('<');
      // Each escalation is one table row of five cells, whatever its text.
      const table = sectionLines(markdown, '## Escalations').filter((line) => line.startsWith('|'));
      expect(table).toHaveLength(escalations.length ? escalations.length + 2 : 0);
      for (const line of table) expect(unescapedPipes(line)).toBe(6);
    }
  });
});
