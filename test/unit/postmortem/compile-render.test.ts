import type { Incident } from '../../../src/domain/incident';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import { isPlaceholder, type PostmortemModel } from '../../../src/postmortem/model';
import { renderMarkdown } from '../../../src/postmortem/render-markdown';
import { DECLARED_AT, MEASURES, PEOPLE, SEED_TIMELINE, SEED_TIME_ZONE, bareIncident, eat, event, seedIncident } from '../../fixtures/seed-incident';
import { SECTIONS } from '../../fixtures/markdown-reading';

const NAMES = new Map<string, string>([[PEOPLE.amina, 'Amina Odhiambo']]);

function compile(incident: Incident, timeline: TimelineEvent[], names = NAMES): PostmortemModel {
  return compilePostmortem({ incident, timeline, escalations: [], timeZone: SEED_TIME_ZONE, names, compiledAt: eat(16) });
}

function render(incident: Incident, timeline: TimelineEvent[], names = NAMES): string {
  return renderMarkdown(compile(incident, timeline, names));
}

function seedMarkdown(): string {
  return renderMarkdown(compilePostmortem({ ...seedIncident(), compiledAt: eat(15, 20) }));
}

/** Lines that would read as headings (up to three spaces of indentation allowed by CommonMark). */
function headingLines(markdown: string): string[] {
  return markdown.split(/\r\n|\r|\n/).filter((line) => /^ {0,3}#/.test(line));
}

/** Lines of one `## ` section, without its heading and blank lines. */
function sectionLines(markdown: string, heading: string): string[] {
  const body = markdown.split(`${heading}\n`)[1].split('\n## ')[0];
  return body.split('\n').filter((line) => line.trim() !== '');
}

describe('the seed postmortem (GuitarShopPro, March 3, 2023)', () => {
  const markdown = seedMarkdown();

  it('opens like the hand-written one', () => {
    expect(markdown.startsWith('# GuitarShopPro partial outage\n\nINC-42 · sev2 · resolved\n\n## Issue Summary\n')).toBe(true);
    expect(markdown).toContain('GuitarShopPro partial outage: from March 3, 2023, 1:00 PM to 3:00 PM (EAT), 2 hours.');
    expect(markdown).toContain('- Duration: March 3, 2023, 1:00 PM – 3:00 PM (EAT), 2 hours\n');
  });

  it('has the sections in order, each once', () => {
    const positions = SECTIONS.map((heading) => markdown.indexOf(`\n${heading}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(markdown.match(/^## /gm)).toHaveLength(SECTIONS.length);
  });

  it('carries every fact of the summary', () => {
    for (const fact of [
      'GuitarShopPro',
      'partial outage',
      'March 3, 2023',
      '1:00 PM to 3:00 PM (EAT)',
      '2 hours',
      'slow page load times and unresponsiveness, affecting approximately 75% of our user base',
      '- Root cause: The root cause of the outage was identified as a network connectivity issue with our cloud service provider.',
    ]) {
      expect(markdown).toContain(fact);
    }
  });

  it('lists each seed timeline line at its time, in order', () => {
    const timeline = sectionLines(markdown, '## Timeline');
    let previous = -1;
    for (const [time, text] of SEED_TIMELINE) {
      // The 2:00 PM line is a page: its text is the page's reason, after who was paged.
      const index = timeline.findIndex((line) => line.startsWith(`- ${time}: `) && line.includes(`${text} — `));
      expect(index).toBeGreaterThan(previous);
      previous = index;
    }
  });

  it('labels each entry with its author and kind', () => {
    expect(markdown).toContain('- 1:05 PM (EAT): Incident acknowledged — Brian Otieno _(Acknowledged)_');
    expect(markdown).toContain('secondary data center in the event of a disruption. — Amina Odhiambo _(Action item)_');
    expect(markdown).not.toContain('Postmortem draft v1');
  });

  it('explains the root cause and the resolution in full', () => {
    const section = sectionLines(markdown, '## Root Cause and Resolution').join('\n');
    for (const fact of [
      'network connectivity issue with our cloud service provider',
      'One of the primary data centers used by GuitarShopPro to host the web application experienced a power outage',
      'a misconfiguration in our failover mechanisms, which failed to switch traffic to our secondary data center',
      'resulting in a complete outage',
      'To resolve the issue, our engineering team worked closely with our cloud service provider',
      'implement a fix for the misconfiguration in our failover mechanisms',
    ]) {
      expect(section).toContain(fact);
    }
  });

  it('tabulates each corrective measure with its owner, ticket and status', () => {
    expect(sectionLines(markdown, '## Corrective and Preventative Measures')).toEqual([
      '| Action | Owner | Ticket | Status |',
      '| --- | --- | --- | --- |',
      `| ${MEASURES[0]} | @David Kamau | — | open |`,
      `| ${MEASURES[1]} | _unassigned_ | — | open |`,
      `| ${MEASURES[2]} | _unassigned_ | — | open |`,
    ]);
  });

  it('reports the key metrics with what they were computed from', () => {
    expect(sectionLines(markdown, '## Key Metrics')).toEqual([
      '- Time to acknowledge: 5 minutes — from declaration to first acknowledgement at 1:05 PM (EAT)',
      '- Time to mitigate: 2 hours — from declaration to resolution (no monitoring phase recorded) at 3:00 PM (EAT)',
      '- Time to resolve: 2 hours — from declaration to resolution at 3:00 PM (EAT)',
      '- Time between updates: _no stakeholder update was posted before the resolution_',
    ]);
  });

  it('ends with the conclusion, support address included', () => {
    const conclusion = sectionLines(markdown, '## Conclusion').join('\n');
    expect(conclusion).toContain('We apologize for any inconvenience or frustration caused by the outage.');
    expect(conclusion).toContain('contact our support team at support@guitarshoppro.com.');
  });

  it('leaves nothing missing in the model, and the stored timeline untouched', () => {
    const seed = seedIncident();
    const storedOrder = seed.timeline.map((e) => e.id);
    const model = compilePostmortem({ ...seed, compiledAt: eat(15, 20) });
    expect(seed.timeline.map((e) => e.id)).toEqual(storedOrder);
    expect(model.missing).toEqual([]);
    expect(model.roles).toEqual([{ role: 'communications', label: 'Communications', person: { id: PEOPLE.brian, name: 'Brian Otieno' } }]);
    expect(model.timeZone).toEqual({ id: 'Africa/Nairobi', abbreviation: 'EAT' });
    expect(model.window).toMatchObject({ endSource: 'resolved', durationMs: 2 * 3_600_000, spansDays: false });
  });
});

describe('a bare incident (declared, nothing else)', () => {
  const incident = bareIncident();
  const timeline = [event('declared', DECLARED_AT, 'Checkout errors', { actorId: PEOPLE.amina, data: { severity: 'sev3' } })];
  const markdown = render(incident, timeline);

  it('shows a placeholder for every missing fact, telling the author what to do', () => {
    for (const placeholder of [
      '- Impact: _To be completed: describe the customer impact (/incident impact …)._',
      '- Root cause: _To be completed: explain the root cause (/incident cause …)._',
      '_To be completed: describe how the incident was resolved (/incident resolve …)._',
      '_To be completed: add corrective and preventative measures (/incident action …)._',
      '- Time to acknowledge: _Not captured: no acknowledgement was recorded_',
      '- Time to resolve: _Not captured: no resolution was recorded_',
      '_To be completed: write a closing note for readers',
      'Checkout errors: from March 3, 2023, 1:00 PM (EAT), _Ongoing: not resolved when this draft was compiled',
    ]) {
      expect(markdown).toContain(placeholder);
    }
  });

  it('never prints undefined, null or NaN', () => {
    expect(markdown).not.toMatch(/undefined|null|NaN/);
  });

  it('lists what is missing, once per field', () => {
    expect(compile(incident, timeline).missing.map((p) => p.field)).toEqual([
      'end',
      'impact',
      'rootCause',
      'resolution',
      'actionItems',
      'timeToAcknowledge',
      'timeToMitigate',
      'timeToResolve',
      'conclusion',
    ]);
  });

  it('keeps every section, even with no timeline at all', () => {
    const empty = render(incident, []);
    for (const heading of SECTIONS) expect(empty).toContain(`\n${heading}\n`);
    expect(empty).toContain('_Not captured: no timeline entries were recorded_');
    expect(empty).not.toMatch(/undefined|null|NaN/);
  });

  it('falls back to the user id for unknown people and to the key for a blank title', () => {
    const model = compile(bareIncident({ title: '  ', commanderId: 'U0NOBODY' }), timeline);
    expect(model.title).toBe('INC-1');
    expect(model.commander).toEqual({ id: 'U0NOBODY', name: 'U0NOBODY' });
  });
});

describe('outage window', () => {
  it('shows both dates when the incident spans midnight', () => {
    const declaredAt = Date.UTC(2023, 2, 3, 20, 30); // 11:30 PM EAT
    const resolvedAt = Date.UTC(2023, 2, 3, 22, 15); // 1:15 AM EAT the next day
    const incident = bareIncident({ declaredAt, resolvedAt, status: 'resolved' });
    const timeline = [event('declared', declaredAt, 'Checkout errors', { actorId: PEOPLE.amina }), event('resolved', resolvedAt, 'Rolled back', { actorId: PEOPLE.amina })];
    const markdown = render(incident, timeline);
    expect(markdown).toContain('from March 3, 2023, 11:30 PM to March 4, 2023, 1:15 AM (EAT), 1 hour 45 minutes.');
    expect(markdown).toContain('- March 3, 2023, 11:30 PM (EAT): Checkout errors — Amina Odhiambo _(Declared)_');
    expect(markdown).toContain('- March 4, 2023, 1:15 AM (EAT): Rolled back — Amina Odhiambo _(Resolved)_');
    expect(markdown).toContain('at March 4, 2023, 1:15 AM (EAT)');
  });

  it('flags the closing time when no resolution time was recorded', () => {
    const model = compile(bareIncident({ status: 'closed', closedAt: eat(17) }), []);
    expect(model.window).toMatchObject({ endSource: 'closed', end: '5:00 PM', duration: '4 hours' });
    expect(renderMarkdown(model)).toContain('(EAT), 4 hours _(the end is when the incident was closed: no resolution time was recorded)_');
    expect(model.missing.map((p) => p.field)).not.toContain('end');
  });

  it('names both zone abbreviations when daylight saving starts during the outage', () => {
    const declaredAt = Date.UTC(2023, 2, 26, 0, 30); // 1:30 AM CET
    const incident = bareIncident({ declaredAt, resolvedAt: Date.UTC(2023, 2, 26, 1, 30) }); // 3:30 AM CEST
    const model = compilePostmortem({
      incident,
      timeline: [],
      escalations: [],
      timeZone: 'Europe/Berlin',
      names: NAMES,
      compiledAt: declaredAt,
    });
    expect(model.window).toMatchObject({ start: 'March 26, 2023, 1:30 AM', end: '3:30 AM', zone: '(CET → CEST)', duration: '1 hour' });
  });

  it('is ongoing while nothing ended it', () => {
    const model = compile(bareIncident(), []);
    expect(isPlaceholder(model.window.end)).toBe(true);
    expect(model.window.endSource).toBe('ongoing');
  });
});

describe('timeline entries', () => {
  const names = new Map([
    [PEOPLE.amina, 'Amina Odhiambo'],
    [PEOPLE.brian, 'Brian Otieno'],
  ]);

  it('labels changes with their values and describes entries recorded without text', () => {
    const timeline = [
      event('status', eat(13, 10), '', { actorId: PEOPLE.amina, data: { from: 'investigating', to: 'monitoring' } }),
      event('severity', eat(13, 11), '', { actorId: PEOPLE.amina, data: { from: 'sev2', to: 'sev1' } }),
      event('lead', eat(13, 12), '', { actorId: PEOPLE.amina, data: { to: PEOPLE.brian } }),
      event('role', eat(13, 13), '', { actorId: PEOPLE.amina, data: { role: 'scribe', to: PEOPLE.amina } }),
      event('message', eat(13, 14), 'Rolling back <https://deploy.example.com/42|deploy 42>', { actorId: PEOPLE.brian }),
      event('closed', eat(13, 15), ''),
    ];
    const rows = sectionLines(render(bareIncident(), timeline, names), '## Timeline');
    expect(rows).toEqual([
      '- 1:10 PM (EAT): Status changed from investigating to monitoring — Amina Odhiambo _(Status → monitoring)_',
      '- 1:11 PM (EAT): Severity changed from sev2 to sev1 — Amina Odhiambo _(Severity sev2 → sev1)_',
      '- 1:12 PM (EAT): @Brian Otieno is now the commander — Amina Odhiambo _(Commander)_',
      '- 1:13 PM (EAT): @Amina Odhiambo is now scribe — Amina Odhiambo _(Role)_',
      '- 1:14 PM (EAT): Rolling back deploy 42 (https://deploy.example.com/42) — Brian Otieno _(Slack message)_',
      '- 1:15 PM (EAT): Incident closed _(Closed)_',
    ]);
  });

  it('keeps Markdown-looking text inside its bullet', () => {
    const hostile = [
      'first line',
      '# not a heading',
      '## nor this',
      '- not a bullet',
      '> not a quote',
      '1. not a list',
      '```',
      '| a | b |',
      '---',
      '    indented code?',
      '&lt;script&gt;alert(1)&lt;/script&gt; [link](https://evil.example) *bold* _em_ ~~gone~~ `code` &copy;',
    ].join('\n');
    const timeline = [event('note', eat(13, 10), hostile, { actorId: PEOPLE.amina }), event('note', eat(13, 20), 'after', { actorId: PEOPLE.amina })];
    const markdown = render(bareIncident({ impact: hostile }), timeline);
    const rows = sectionLines(markdown, '## Timeline');
    expect(rows.filter((line) => line.startsWith('- '))).toHaveLength(2);
    expect(rows.every((line) => line.startsWith('- ') || line.startsWith('  '))).toBe(true);
    expect(rows).toContain('  \\# not a heading\\');
    expect(rows).toContain('  \\- not a bullet\\');
    expect(rows).toContain('  1\\. not a list\\');
    expect(markdown).toContain('\\<script>alert(1)\\</script> \\[link\\](https://evil.example) \\*bold\\* \\_em\\_ \\~\\~gone\\~\\~ \\`code\\` \\&copy;');
    expect(headingLines(markdown)).toEqual(['# Checkout errors', ...SECTIONS]);
  });
});
