// The Communications section and Key Metrics' time between updates, from update events.

import type { Incident } from '../../../src/domain/incident';
import type { TimelineEvent } from '../../../src/domain/timeline';
import { compilePostmortem } from '../../../src/postmortem/compile';
import type { PostmortemModel } from '../../../src/postmortem/model';
import { renderConfluenceStorage } from '../../../src/postmortem/render-confluence';
import { renderMarkdown } from '../../../src/postmortem/render-markdown';
import { sectionLines } from '../../fixtures/markdown-reading';
import { DECLARED_AT, PEOPLE, SEED_TIME_ZONE, bareIncident, eat, event } from '../../fixtures/seed-incident';

const NAMES = new Map([
  [PEOPLE.amina, 'Amina Odhiambo'],
  [PEOPLE.brian, 'Brian Otieno'],
]);

function compile(incident: Incident, timeline: TimelineEvent[]): PostmortemModel {
  return compilePostmortem({ incident, timeline, escalations: [], timeZone: SEED_TIME_ZONE, names: NAMES, compiledAt: eat(16) });
}

const declared = event('declared', DECLARED_AT, 'Checkout errors', { actorId: PEOPLE.amina });
const updates = [
  event('update', eat(13, 10), 'EU checkouts fail &lt;50% of the time', {
    actorId: PEOPLE.amina,
    data: { status: 'investigating', doing: 'Reading the gateway logs', nextDueAt: eat(13, 30) },
  }),
  event('update', eat(13, 40), 'Bad config push found', { actorId: PEOPLE.brian, data: { status: 'identified', doing: 'Rolling back', need: 'Someone from payments' } }),
  event('update', eat(14, 0), 'Rollback done; error rate normal', { actorId: PEOPLE.amina, data: { status: 'monitoring' } }),
];

describe('the Communications section', () => {
  const resolved = bareIncident({ status: 'resolved', resolvedAt: eat(14, 30) });
  const timeline = [declared, ...updates, event('resolved', eat(14, 30), 'Fixed', { actorId: PEOPLE.amina })];
  const model = compile(resolved, timeline);

  it('lists each update with its time, author, status and what we know, do and need', () => {
    expect(model.communications).toEqual({
      kind: 'rows',
      rows: [
        {
          at: eat(13, 10),
          time: '1:10 PM (EAT)',
          author: 'Amina Odhiambo',
          status: 'investigating',
          known: 'EU checkouts fail <50% of the time',
          doing: 'Reading the gateway logs',
          need: undefined,
          nextBy: '1:30 PM (EAT)',
        },
        {
          at: eat(13, 40),
          time: '1:40 PM (EAT)',
          author: 'Brian Otieno',
          status: 'identified',
          known: 'Bad config push found',
          doing: 'Rolling back',
          need: 'Someone from payments',
          nextBy: undefined,
        },
        {
          at: eat(14, 0),
          time: '2:00 PM (EAT)',
          author: 'Amina Odhiambo',
          status: 'monitoring',
          known: 'Rollback done; error rate normal',
          doing: undefined,
          need: undefined,
          nextBy: undefined,
        },
      ],
    });
  });

  it('renders them in Markdown after the escalations, the extra lines inside the bullet, user text escaped', () => {
    const markdown = renderMarkdown(model);
    expect(markdown.indexOf('## Escalations')).toBeLessThan(markdown.indexOf('## Communications'));
    expect(markdown.indexOf('## Communications')).toBeLessThan(markdown.indexOf('## Root Cause and Resolution'));
    expect(sectionLines(markdown, '## Communications')).toEqual([
      '- 1:10 PM (EAT) — Amina Odhiambo _(investigating)_: EU checkouts fail \\<50% of the time\\',
      '  Doing: Reading the gateway logs\\',
      '  Next update by 1:30 PM (EAT)',
      '- 1:40 PM (EAT) — Brian Otieno _(identified)_: Bad config push found\\',
      '  Doing: Rolling back\\',
      '  Need: Someone from payments',
      '- 2:00 PM (EAT) — Amina Odhiambo _(monitoring)_: Rollback done; error rate normal',
    ]);
  });

  it('renders them in Confluence as a table', () => {
    const storage = renderConfluenceStorage(model, { footer: 'f' });
    expect(storage).toContain('<h2>Communications</h2>\n<table><tbody><tr><th>Time</th><th>Who</th><th>Status</th><th>Update</th></tr>');
    expect(storage).toContain(
      '<tr><td>1:40 PM (EAT)</td><td>Brian Otieno</td><td>identified</td><td>Bad config push found<br /><strong>Doing:</strong> Rolling back<br /><strong>Need:</strong> Someone from payments</td></tr>',
    );
    expect(storage).toContain('<td>EU checkouts fail &lt;50% of the time<br /><strong>Doing:</strong> Reading the gateway logs<br /><em>Next update by 1:30 PM (EAT)</em></td>');
  });

  it('measures the time between updates from declaration to resolution', () => {
    // Gaps: 10, 30, 20 minutes between declaration and updates, then 30 to the resolution.
    expect(model.updateGaps.value).toEqual({
      kind: 'measured',
      averageMs: 22.5 * 60_000,
      longestMs: 30 * 60_000,
      average: '23 minutes',
      longest: '30 minutes',
      longestEndedAt: '1:40 PM (EAT)',
      basis: '3 updates, declaration to resolution',
    });
    expect(sectionLines(renderMarkdown(model), '## Key Metrics')).toContain(
      '- Time between updates: 23 minutes on average, longest 30 minutes (until 1:40 PM (EAT)) — 3 updates, declaration to resolution',
    );
    expect(renderConfluenceStorage(model, { footer: 'f' })).toContain(
      '<tr><th>Time between updates</th><td>23 minutes on average, longest 30 minutes</td><td>3 updates, declaration to resolution</td><td>longest wait until 1:40 PM (EAT)</td></tr>',
    );
  });

  it('leaves the open wait out while the incident is unresolved', () => {
    const open = compile(bareIncident(), [declared, updates[0], updates[1]]);
    expect(open.updateGaps.value).toMatchObject({ longest: '30 minutes', average: '20 minutes', basis: '2 updates, declaration to latest update' });
  });

  it('states that no update was posted, as a fact and not as something to fill in', () => {
    const none = compile(bareIncident({ status: 'resolved', resolvedAt: eat(14) }), [declared]);
    expect(none.communications).toEqual({ kind: 'none', text: 'No stakeholder updates were posted (/incident update).' });
    expect(none.updateGaps.value).toEqual({ kind: 'none', text: 'no stakeholder update was posted before the resolution' });
    expect(renderMarkdown(none)).toContain('## Communications\n\nNo stakeholder updates were posted (/incident update).\n');
    expect(compile(bareIncident(), [declared]).updateGaps.value).toEqual({ kind: 'none', text: 'no stakeholder update has been posted yet' });
  });
});
