// `npm run demo` replays the outage of the seed postmortem (test/fixtures/seed-postmortem.md); the draft must carry its facts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { runDemo, type DemoResult } from '../../src/demo/run-demo';

const SEED = join(__dirname, '../fixtures/seed-postmortem.md');

// The facts of the hand-written postmortem, each of which the draft must state.
const FACTS = [
  'GuitarShopPro',
  'March 3, 2023',
  '1:00 PM – 3:00 PM (EAT), 2 hours',
  'slow page load times and unresponsiveness',
  'approximately 75% of our user base',
  'network connectivity issue with our cloud service provider',
  'experienced a power outage',
  'misconfiguration in our failover mechanisms',
  'secondary data center',
  'Improving our failover mechanisms',
  'Implementing redundancy',
  'Monitoring and alerting',
  'support@guitarshoppro.com',
];

/** "- 1:15 PM (EAT): Assumptions were made …" → ["1:15 PM (EAT)", "Assumptions were made …"] */
function seedTimeline(markdown: string): [string, string][] {
  return [...markdown.matchAll(/^- (\d{1,2}:\d{2} [AP]M \(EAT\)): (.+)$/gm)].map((m) => [m[1], m[2].trim()]);
}

describe('the demo over Socket Mode', () => {
  it('when run with --socket, then the same postmortem comes out', async () => {
    const overSocket = await runDemo({ log: () => undefined, transport: 'socket' });
    const overHttp = await runDemo({ log: () => undefined });
    // The compiled-at line differs by the seconds the runs took, each run's emulated Jira has its own
    // port, and a message's ts (in its permalink) its own sequence within the second; the rest is the same.
    const strip = (md: string) =>
      md
        .replace(/Compiled .*$/gm, '')
        .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://jira')
        .replace(/\/p\d{16}>/g, '/p<ts>>');
    expect(strip(overSocket.postmortem)).toEqual(strip(overHttp.postmortem));
  }, 90_000);
});

describe('the demo', () => {
  let postmortem: string;
  let confluenceUrl: string | undefined;
  let announcement: string | undefined;
  let tickets: DemoResult['tickets'];
  let confluenceBody: string | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    ({ postmortem, confluenceUrl, announcement, tickets, confluenceBody } = await runDemo({ log: (line) => lines.push(line) }));
  }, 60_000);

  it('when updates are posted and one is late, then the commander is reminded on time and the card shows the latest update', () => {
    expect(lines).toContain(
      '13:40  (the bot reminds the commander) :alarm_clock: @amani, INC-1 (sev2) is due a stakeholder update: the last update was 30 minutes ago (1:10 PM (EAT), by @amani).',
    );
    expect(announcement).toMatch(
      /^:large_orange_circle: INC-1 \(sev2, closed\): GuitarShopPro partial outage: slow page loads — in <#C\w+>\. Latest: A network connectivity issue at our cloud provider/,
    );
    const communications = postmortem.split('## Communications\n\n')[1].split('\n## ')[0];
    expect(communications.match(/^- \d{1,2}:\d{2} [AP]M \(EAT\) — Amani Wanjiru/gm)).toEqual(['- 1:10 PM (EAT) — Amani Wanjiru', '- 1:46 PM (EAT) — Amani Wanjiru']);
    expect(postmortem).toContain('- Time between updates: 40 minutes on average, longest 1 hour 14 minutes (until 3:00 PM (EAT)) — 2 updates, declaration to resolution');
  });

  it('when the incident closes, then each measure is filed once in the emulated Jira, assigned to its owner, and the draft links its ticket', () => {
    expect(tickets.map((t) => `${t.key} ${t.summary.split(':')[0]} ${t.assignee}`)).toEqual([
      'OPS-1 Improving our failover mechanisms Daudi Mwangi',
      'OPS-2 Implementing redundancy Chebet Kiprono',
      'OPS-3 Monitoring and alerting Esther Achieng',
    ]);
    const measures = postmortem.split('## Corrective and Preventative Measures\n\n')[1]!.split('\n## ')[0]!;
    for (const t of tickets) expect(measures).toContain(`| [${t.key}](<${t.url}>) | open |`);
    // Filed at close, before the export: the export links each to the page.
    expect(tickets.map((t) => t.links)).toEqual([[confluenceUrl], [confluenceUrl], [confluenceUrl]]);
  });

  it('when the replay ends, then the postmortem was exported to the emulated Confluence', () => {
    expect(confluenceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wiki\/spaces\/OPS\/pages\/\d+/);
  });

  it('when a reviewer added a section on Confluence and a measure came later, then the re-export keeps the section and adds the measure', () => {
    expect(lines).toContain('15:40  (U02BARAKA adds a "Reviewer notes" section to the page on Confluence)');
    const body = confluenceBody ?? '';
    expect(body).toContain('<h2>Reviewer notes</h2>');
    expect(body.indexOf('<h2>Reviewer notes</h2>')).toBeLessThan(body.indexOf('<h2>Corrective and Preventative Measures</h2>'));
    expect(body).toContain('Documenting the failover runbook');
  });

  it('when support wrote in #ops, then the commander added that message to the timeline with its author, time and a link', () => {
    expect(lines).toContain('13:13  (U01AMANI adds a message from #ops to the timeline: "Add to incident timeline")');
    expect(postmortem).toMatch(/^- 1:12 PM \(EAT\): Support here: 40 tickets in 10 minutes .* — Esther Achieng \(\[original message\]\(<http[^>]+>\)\) _\(Slack message\)_$/m);
  });

  it('when the seed outage is replayed, then the draft carries every fact of the hand-written postmortem', () => {
    for (const fact of FACTS) expect(postmortem).toContain(fact);
  });

  it('when the seed outage is replayed, then every timeline line of the seed appears at its time in EAT', () => {
    const lines = seedTimeline(readFileSync(SEED, 'utf8'));
    expect(lines).toHaveLength(6);
    for (const [time, text] of lines) {
      // Same time, same words (an escalation line starts with who was paged, then the reason).
      const firstWords = text.split(' ').slice(0, 6).join(' ');
      expect(postmortem).toMatch(new RegExp(`^- ${time.replace(/[()]/g, '\\$&')}: (Paged [^:]+: )?${firstWords.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    }
  });

  it('when the draft is compiled, then the sections come in the postmortem order and metrics are computed', () => {
    const headings = [...postmortem.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'Issue Summary',
      'Timeline',
      'Escalations',
      'Communications',
      'Root Cause and Resolution',
      'Corrective and Preventative Measures',
      'Key Metrics',
      'Conclusion',
    ]);
    expect(postmortem).toMatch(/\| 2:00 PM \(EAT\) \| @Daudi Mwangi .*\| Acknowledged by Daudi Mwangi at 2:02 PM \(EAT\) after 2 minutes \| 2 minutes \|/);
    expect(postmortem).toContain('Time to acknowledge: 5 minutes');
    expect(postmortem).toContain('Time to resolve: 2 hours');
    expect(postmortem).not.toMatch(/undefined|NaN|\[object Object\]/);
  });
});
