import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  acknowledgeEscalation,
  cancelEscalation,
  recordNotice,
  recordPagedUsers,
  startEscalation,
  targetData,
  timeOutLevel,
  type Escalation,
  type EscalationLevel,
  type EscalationTarget,
} from '../../../src/domain/escalation';
import type { Incident } from '../../../src/domain/incident';
import type { EventData, TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { escalationPeople, NO_ESCALATION_RECORDS, NO_ESCALATIONS } from '../../../src/postmortem/compile-escalations';
import type { PostmortemModel } from '../../../src/postmortem/model';
import { renderMarkdown } from '../../../src/postmortem/render-markdown';
import { DECLARED_AT, PEOPLE, SEED_TIMELINE, SEED_TIME_ZONE, bareIncident, eat, event, seedIncident } from '../../fixtures/seed-incident';
import { sectionLines, unescapedPipes } from '../../fixtures/markdown-reading';

const MINUTE = 60_000;
const SEED = join(__dirname, '../../fixtures/seed-postmortem.md');
const { amina, brian, chebet, david } = PEOPLE;
const PLATFORM_GROUP = 'S01PLATFORM';
const NAMES = new Map<string, string>([
  [amina, 'Amina Odhiambo'],
  [brian, 'Brian Otieno'],
  [chebet, 'Chebet Kiprono'],
  [david, 'David Kamau'],
  [PLATFORM_GROUP, 'platform-oncall'],
]);

/** Escalation as stored (version 1 is enough: the compiler never reads it). */
function begin(
  id: string,
  target: EscalationTarget,
  levels: EscalationLevel[],
  at: number,
  extra: Partial<Pick<Escalation, 'reason' | 'requestedBy' | 'trigger'>> = {},
): Escalation {
  const { reason, requestedBy = amina, trigger = 'manual' } = extra;
  return { ...startEscalation({ id, incidentId: 'inc-seed', target, levels, reason, requestedBy, trigger, now: at }), version: 1 };
}

/** A timeline entry as the bot writes it for an escalation step. */
function step(e: Escalation, name: string, level: number, at: number, text = '', actorId?: string): TimelineEvent {
  const data: EventData = { step: name, escalationId: e.id, level, ...targetData(e.target) };
  return event('escalation', at, text, { actorId, data });
}

function ack(e: Escalation, userId: string, at: number): TimelineEvent {
  return event('acknowledged', at, '', { actorId: userId, data: { escalationId: e.id, ...targetData(e.target) } });
}

/**
 * Four pages of one incident declared at 1:00 PM (sev2, raised to sev1 at 1:20 PM), resolved at 3:00 PM:
 * an automatic policy page that nobody acknowledged, a manual policy page acknowledged at level 2,
 * a user group page cancelled by the resolution, and a direct page of a person.
 */
function fourPages(): { incident: Incident; timeline: TimelineEvent[]; escalations: Escalation[] } {
  const reason = 'Checkout p99 above 5 s';
  // Automatic, on declaration: two levels of five minutes, nobody answers.
  let auto = begin(
    'esc-auto',
    { kind: 'policy', name: 'db-oncall' },
    [
      { userIds: [chebet], usergroupIds: [], timeoutMs: 5 * MINUTE },
      { userIds: [david], usergroupIds: [], timeoutMs: 5 * MINUTE },
    ],
    eat(13),
    { trigger: 'automatic' },
  );
  auto = recordPagedUsers(auto, 0, [chebet]);
  auto = recordPagedUsers(timeOutLevel(auto, eat(13, 5)).escalation, 1, [david]);
  auto = timeOutLevel(auto, eat(13, 10)).escalation;

  // Manual policy page: level 1 (a group of two, one unreachable) times out, Brian answers level 2.
  let policy = begin(
    'esc-policy',
    { kind: 'policy', name: 'platform-oncall' },
    [
      { userIds: [], usergroupIds: [PLATFORM_GROUP], timeoutMs: 5 * MINUTE },
      { userIds: [brian], usergroupIds: [], timeoutMs: 10 * MINUTE },
    ],
    eat(13, 5),
    { reason },
  );
  policy = recordPagedUsers(policy, 0, [chebet, david]);
  policy = recordNotice(policy, 0, { userId: david, error: 'user_disabled' });
  policy = recordPagedUsers(timeOutLevel(policy, eat(13, 10)).escalation, 1, [brian]);
  policy = acknowledgeEscalation(policy, brian, eat(13, 12));

  // A user group, not yet expanded when the incident resolved.
  const group = cancelEscalation(
    begin('esc-group', { kind: 'usergroup', id: 'S02SRE', handle: 'sre-leads' }, [{ userIds: [], usergroupIds: ['S02SRE'] }], eat(13, 30), { requestedBy: chebet }),
    eat(15),
  );

  let direct = begin('esc-direct', { kind: 'user', id: david }, [{ userIds: [david], usergroupIds: [] }], eat(14), { reason: 'Need a senior engineer' });
  direct = acknowledgeEscalation(recordPagedUsers(direct, 0, [david]), david, eat(14, 4));

  const timeline = [
    event('declared', eat(13), 'Checkout errors', { actorId: amina, data: { severity: 'sev2' } }),
    step(auto, 'paged', 0, eat(13), '', amina),
    step(policy, 'paged', 0, eat(13, 5), reason, amina),
    step(auto, 'timed_out', 0, eat(13, 5)),
    step(auto, 'paged', 1, eat(13, 5)),
    step(policy, 'timed_out', 0, eat(13, 10)),
    step(policy, 'paged', 1, eat(13, 10), reason),
    step(auto, 'timed_out', 1, eat(13, 10)),
    step(auto, 'exhausted', 1, eat(13, 10)),
    ack(policy, brian, eat(13, 12)),
    event('severity', eat(13, 20), '', { actorId: amina, data: { from: 'sev2', to: 'sev1' } }),
    step(group, 'paged', 0, eat(13, 30), '', chebet),
    step(direct, 'paged', 0, eat(14), 'Need a senior engineer', amina),
    ack(direct, david, eat(14, 4)),
    event('resolved', eat(15), 'Rolled back', { actorId: amina }),
    step(group, 'cancelled', 0, eat(15), '', amina),
  ];
  const incident = bareIncident({ severity: 'sev1', status: 'resolved', resolvedAt: eat(15) });
  // Stored in creation order, except one: the compiler orders them by first page.
  return { incident, timeline, escalations: [policy, auto, group, direct] };
}

function compile(input: { incident: Incident; timeline: TimelineEvent[]; escalations: Escalation[] }, names = NAMES): PostmortemModel {
  return compilePostmortem({ ...input, timeZone: SEED_TIME_ZONE, names, compiledAt: eat(16) });
}

const HEADER = ['| Paged | Target | Who was paged | Outcome | Time to acknowledge |', '| --- | --- | --- | --- | --- |'];

describe('the Escalations section', () => {
  const model = compile(fourPages());
  const markdown = renderMarkdown(model);

  it('has one row per escalation, in paging order, saying who was paged and how it ended', () => {
    expect(sectionLines(markdown, '## Escalations')).toEqual([
      ...HEADER,
      '| 1:00 PM (EAT) | policy db-oncall (automatic, for sev2) | Level 1 at 1:00 PM (EAT): Chebet Kiprono — timed out at 1:05 PM (EAT); Level 2 at 1:05 PM (EAT): David Kamau — timed out at 1:10 PM (EAT) | Not acknowledged: all levels exhausted at 1:10 PM (EAT) | — |',
      '| 1:05 PM (EAT) | policy platform-oncall (manual, by Amina Odhiambo): Checkout p99 above 5 s | Level 1 at 1:05 PM (EAT): Chebet Kiprono, David Kamau (not notified: user\\_disabled) — timed out at 1:10 PM (EAT); Level 2 at 1:10 PM (EAT): Brian Otieno | Acknowledged by Brian Otieno at 1:12 PM (EAT) after 7 minutes | 7 minutes |',
      '| 1:30 PM (EAT) | @sre-leads (manual, by Chebet Kiprono) | @sre-leads | Cancelled at 3:00 PM (EAT) (incident resolved) | — |',
      '| 2:00 PM (EAT) | @David Kamau (manual, by Amina Odhiambo): Need a senior engineer | David Kamau | Acknowledged by David Kamau at 2:04 PM (EAT) after 4 minutes | 4 minutes |',
    ]);
  });

  it('keeps the facts in the model, for other renderers', () => {
    if (model.escalations.kind !== 'rows') throw new Error('expected rows');
    const policy = model.escalations.rows[1];
    expect(policy).toMatchObject({
      id: 'esc-policy',
      targetKind: 'policy',
      target: 'policy platform-oncall',
      trigger: { kind: 'manual', by: { id: amina, name: 'Amina Odhiambo' }, label: 'manual, by Amina Odhiambo' },
      reason: 'Checkout p99 above 5 s',
      pagedAtMs: eat(13, 5),
      outcome: { kind: 'acknowledged', by: { id: brian, name: 'Brian Otieno' }, atMs: eat(13, 12), at: '1:12 PM (EAT)' },
      timeToAcknowledge: { ms: 7 * MINUTE, duration: '7 minutes' },
    });
    expect(policy.levels).toEqual([
      {
        level: 1,
        pagedAtMs: eat(13, 5),
        pagedAt: '1:05 PM (EAT)',
        recipients: [
          { kind: 'user', id: chebet, name: 'Chebet Kiprono' },
          { kind: 'user', id: david, name: 'David Kamau', notNotified: 'user_disabled' },
        ],
        timedOutAtMs: eat(13, 10),
        timedOutAt: '1:10 PM (EAT)',
      },
      { level: 2, pagedAtMs: eat(13, 10), pagedAt: '1:10 PM (EAT)', recipients: [{ kind: 'user', id: brian, name: 'Brian Otieno' }] },
    ]);
    expect(model.escalations.rows[0].trigger).toEqual({ kind: 'automatic', severity: 'sev2', label: 'automatic, for sev2' });
    expect(model.escalations.rows[2].levels[0].recipients).toEqual([{ kind: 'usergroup', id: 'S02SRE', name: '@sre-leads' }]);
    expect(model.missing).not.toContainEqual(expect.objectContaining({ field: 'timeline' }));
  });

  it('comes right after the timeline', () => {
    const headings = markdown.match(/^## .+$/gm);
    expect(headings?.slice(0, 3)).toEqual(['## Issue Summary', '## Timeline', '## Escalations']);
    expect(headings?.[3]).toBe('## Communications');
  });

  it('says a page is still running when the draft was compiled', () => {
    const levels = [
      { userIds: [chebet], usergroupIds: [], timeoutMs: 5 * MINUTE },
      { userIds: [david], usergroupIds: [], timeoutMs: 5 * MINUTE },
    ];
    const paging = timeOutLevel(begin('esc-1', { kind: 'policy', name: 'db' }, levels, eat(13, 40)), eat(13, 45)).escalation;
    const rows = sectionLines(renderMarkdown(compile({ incident: bareIncident(), timeline: [], escalations: [paging] })), '## Escalations');
    expect(rows[2]).toBe(
      '| 1:40 PM (EAT) | policy db (manual, by Amina Odhiambo) | Level 1 at 1:40 PM (EAT): Chebet Kiprono — timed out at 1:45 PM (EAT); Level 2 at 1:45 PM (EAT): David Kamau | Still paging (level 2 of 2) | — |',
    );
  });

  it('states that nobody was paged, as a fact rather than a gap', () => {
    const timeline = [event('declared', DECLARED_AT, 'Checkout errors', { actorId: amina })];
    const none = compile({ incident: bareIncident(), timeline, escalations: [] });
    expect(none.escalations).toEqual({ kind: 'none', text: NO_ESCALATIONS });
    expect(none.missing.map((p) => p.field)).not.toContain('escalations');
    expect(renderMarkdown(none)).toContain('\n## Escalations\n\nNo escalations were made.\n\n## Communications\n');
  });

  it('does not claim there were none when the timeline records escalations without their records', () => {
    const timeline = [event('escalation', eat(14), 'Escalated to the DBA by phone', { actorId: amina })];
    expect(compile({ incident: bareIncident(), timeline, escalations: [] }).escalations).toEqual({ kind: 'none', text: NO_ESCALATION_RECORDS });
  });

  it('keeps hostile reasons and names inside their table cell', () => {
    const hostile = 'a | b\n| c |\n\n## not a heading\n<!channel> &lt;!here&gt; `x` **y** \\| z';
    const names = new Map([...NAMES, [brian, 'Bri|an\nO'], [amina, '|Amina|']]);
    const e = acknowledgeEscalation(
      recordPagedUsers(begin('esc-x', { kind: 'policy', name: 'x|y\nz' }, [{ userIds: [brian], usergroupIds: [] }], eat(14), { reason: hostile }), 0, [brian]),
      brian,
      eat(14, 1),
    );
    const markdown = renderMarkdown(compile({ incident: bareIncident(), timeline: [], escalations: [e] }, names));
    const lines = sectionLines(markdown, '## Escalations');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(unescapedPipes(line)).toBe(6);
    expect(lines[2]).toContain('a \\| b \\| c \\| \\#\\# not a heading @channel \\<\u200B!here> \\`x\\` \\*\\*y\\*\\* \\\\\\| z');
    expect(lines[2]).toContain('Acknowledged by Bri\\|an O at 2:01 PM (EAT)');
    expect(markdown.match(/^## /gm)).toHaveLength(8);
    expect(markdown.replace(/\\[\s\S]/g, '')).not.toContain('<');
  });

  it('names everyone the section mentions, for the caller to resolve', () => {
    expect([...escalationPeople(fourPages().escalations)].sort()).toEqual([amina, brian, chebet, david].sort());
  });
});

describe('escalation entries in the timeline', () => {
  it('say who was paged, at which level, why, and how paging went on', () => {
    const rows = sectionLines(renderMarkdown(compile(fourPages())), '## Timeline');
    expect(rows).toEqual([
      '- 1:00 PM (EAT): Checkout errors — Amina Odhiambo _(Declared)_',
      '- 1:00 PM (EAT): Paged @Chebet Kiprono (level 1 of policy db-oncall) — Amina Odhiambo _(Escalation)_',
      '- 1:05 PM (EAT): Paged @platform-oncall (level 1 of policy platform-oncall): Checkout p99 above 5 s — Amina Odhiambo _(Escalation)_',
      '- 1:05 PM (EAT): Level 1 timed out without acknowledgement; paging level 2 _(Escalation)_',
      '- 1:05 PM (EAT): Paged @David Kamau (level 2 of policy db-oncall) _(Escalation)_',
      '- 1:10 PM (EAT): Level 1 timed out without acknowledgement; paging level 2 _(Escalation)_',
      '- 1:10 PM (EAT): Paged @Brian Otieno (level 2 of policy platform-oncall): Checkout p99 above 5 s _(Escalation)_',
      '- 1:10 PM (EAT): Level 2 timed out without acknowledgement _(Escalation)_',
      '- 1:10 PM (EAT): All levels of policy db-oncall paged without acknowledgement _(Escalation)_',
      '- 1:12 PM (EAT): Acknowledged the page to policy platform-oncall — Brian Otieno _(Acknowledged)_',
      '- 1:20 PM (EAT): Severity changed from sev2 to sev1 — Amina Odhiambo _(Severity sev2 → sev1)_',
      '- 1:30 PM (EAT): Paged @sre-leads — Chebet Kiprono _(Escalation)_',
      '- 2:00 PM (EAT): Paged @David Kamau: Need a senior engineer — Amina Odhiambo _(Escalation)_',
      '- 2:04 PM (EAT): Acknowledged the page to @David Kamau — David Kamau _(Acknowledged)_',
      '- 3:00 PM (EAT): Rolled back — Amina Odhiambo _(Resolved)_',
      '- 3:00 PM (EAT): Escalation to @sre-leads cancelled: incident resolved — Amina Odhiambo _(Escalation)_',
    ]);
  });

  it('shows the people a level paged when its group has no known handle', () => {
    const rows = sectionLines(renderMarkdown(compile(fourPages(), new Map([...NAMES].filter(([id]) => id !== PLATFORM_GROUP)))), '## Timeline');
    expect(rows).toContain('- 1:05 PM (EAT): Paged @Chebet Kiprono, @David Kamau (level 1 of policy platform-oncall): Checkout p99 above 5 s — Amina Odhiambo _(Escalation)_');
  });

  it('read well from the entry alone when the escalation record is missing, and keep any text given', () => {
    const data = (step: string, target: string, level = 0): EventData => ({ step, escalationId: 'esc-gone', level, target });
    const timeline = [
      event('escalation', eat(13, 1), '', { data: data('paged', 'policy platform-oncall') }),
      event('escalation', eat(13, 2), '', { data: data('paged', `<@${david}>`) }),
      event('escalation', eat(13, 3), '', { data: data('timed_out', 'policy platform-oncall') }),
      event('escalation', eat(13, 4), 'Paging the DBA next', { data: data('timed_out', 'policy platform-oncall') }),
      event('escalation', eat(13, 5), '', { data: data('exhausted', 'policy platform-oncall', 1) }),
      event('escalation', eat(13, 6), '', { data: data('cancelled', '@sre-leads') }),
      event('escalation', eat(13, 7), '', { data: { target: '@dba' } }),
      event('acknowledged', eat(13, 8), '', { actorId: brian, data: { escalationId: 'esc-gone', target: '@dba' } }),
      event('acknowledged', eat(13, 9), '', { actorId: chebet }),
    ];
    const rows = sectionLines(renderMarkdown(compile({ incident: bareIncident(), timeline, escalations: [] })), '## Timeline');
    expect(rows).toEqual([
      '- 1:01 PM (EAT): Paged level 1 of policy platform-oncall _(Escalation)_',
      '- 1:02 PM (EAT): Paged @David Kamau _(Escalation)_',
      '- 1:03 PM (EAT): Level 1 timed out without acknowledgement _(Escalation)_',
      '- 1:04 PM (EAT): Paging the DBA next _(Escalation)_',
      '- 1:05 PM (EAT): All levels of policy platform-oncall paged without acknowledgement _(Escalation)_',
      '- 1:06 PM (EAT): Escalation to @sre-leads cancelled _(Escalation)_',
      '- 1:07 PM (EAT): Escalated to @dba _(Escalation)_',
      '- 1:08 PM (EAT): Acknowledged the page to @dba — Brian Otieno _(Acknowledged)_',
      '- 1:09 PM (EAT): Incident acknowledged — Chebet Kiprono _(Acknowledged)_',
    ]);
  });

  it('read the target fields entries record now when the escalation record is missing', () => {
    const data = (step: string, target: EscalationTarget): EventData => ({ step, escalationId: 'esc-gone', level: 0, ...targetData(target) });
    const timeline = [
      event('escalation', eat(13, 1), '', { data: data('paged', { kind: 'user', id: david }) }),
      event('escalation', eat(13, 2), '', { data: data('cancelled', { kind: 'usergroup', id: 'S0SRE', handle: 'sre-leads' }) }),
      event('escalation', eat(13, 3), '', { data: data('exhausted', { kind: 'policy', name: 'platform-oncall' }) }),
      event('acknowledged', eat(13, 4), '', { actorId: brian, data: { escalationId: 'esc-gone', ...targetData({ kind: 'usergroup', id: 'S0DBA', handle: 'dba' }) } }),
    ];
    const rows = sectionLines(renderMarkdown(compile({ incident: bareIncident(), timeline, escalations: [] })), '## Timeline');
    expect(rows).toEqual([
      '- 1:01 PM (EAT): Paged @David Kamau _(Escalation)_',
      '- 1:02 PM (EAT): Escalation to @sre-leads cancelled _(Escalation)_',
      '- 1:03 PM (EAT): All levels of policy platform-oncall paged without acknowledgement _(Escalation)_',
      '- 1:04 PM (EAT): Acknowledged the page to @dba — Brian Otieno _(Acknowledged)_',
    ]);
  });
});

describe('the seed escalation (2:00 PM, senior engineers)', () => {
  const markdown = renderMarkdown(compilePostmortem({ ...seedIncident(), compiledAt: eat(15, 20) }));
  const escalated = SEED_TIMELINE[4][1];

  it('is a direct page of David Kamau, acknowledged at 2:02 PM', () => {
    expect(sectionLines(markdown, '## Escalations')).toEqual([
      ...HEADER,
      `| 2:00 PM (EAT) | @David Kamau (manual, by Amina Odhiambo): ${escalated} | David Kamau | Acknowledged by David Kamau at 2:02 PM (EAT) after 2 minutes | 2 minutes |`,
    ]);
  });

  it('reads in the timeline as the page, with the seed sentence as its reason', () => {
    const timeline = sectionLines(markdown, '## Timeline');
    expect(timeline).toContain(`- 2:00 PM (EAT): Paged @David Kamau: ${escalated} — Amina Odhiambo _(Escalation)_`);
    expect(timeline).toContain('- 2:02 PM (EAT): Acknowledged the page to @David Kamau — David Kamau _(Acknowledged)_');
  });

  it('still carries every timeline line, measure and explanation of the hand-written postmortem', () => {
    const seed = readFileSync(SEED, 'utf8');
    const flat = (text: string) => text.replace(/\\\n/g, ' ').replace(/\s+/g, ' ');
    const timeline = sectionLines(markdown, '## Timeline');
    const bullets = [...seed.matchAll(/^- (.+)$/gm)].map((m) => m[1].trim());
    expect(bullets).toHaveLength(9);
    for (const bullet of bullets) {
      const timed = /^(\d{1,2}:\d{2} [AP]M \(EAT\)): (.+)$/.exec(bullet);
      if (timed) expect(timeline.some((line) => line.startsWith(`- ${timed[1]}: `) && line.includes(timed[2]))).toBe(true);
      else expect(flat(markdown)).toContain(flat(bullet));
    }
    const prose = seed.split(/^## Root Cause and Resolution:$/m)[1].split(/^## Corrective/m)[0] + seed.split(/^## Conclusion:$/m)[1];
    for (const sentence of prose
      .split(/(?<=\.)\s+/)
      .map((x) => x.trim())
      .filter(Boolean)) {
      expect(flat(markdown)).toContain(flat(sentence));
    }
  });

  it('leaves the incident acknowledgement time alone: Brian acknowledged first, at 1:05 PM', () => {
    expect(markdown).toContain('- Time to acknowledge: 5 minutes — from declaration to first acknowledgement at 1:05 PM (EAT)');
  });
});
