// Export to Confluence over real HTTP, against the emulated Confluence (Cloud and Data Center):
// close → export → re-export → page deleted → export, title clashes, refusals, retries, secrets.

import { confluenceConfig, type ConfluenceConfig } from '../../src/config/confluence-config';
import { createConfluencePages } from '../../src/integrations/confluence';
import { ConfluenceEmulator } from '../../src/sandbox/confluence-emulator';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const CLOUD = { email: 'ops@example.com', apiToken: 'cloud-api-token-7f3a9b2c' };
const PAT = 'dc-personal-access-token-91e4c0';
const DECLARED = Date.UTC(2026, 2, 3, 9, 0);

interface Setup {
  f: Fixture;
  confluence: ConfluenceEmulator;
  waits: number[];
  secrets: string[];
}

async function setUp(deployment: 'cloud' | 'datacenter', options: { autoExport?: boolean; transport?: 'http' | 'socket' } = {}): Promise<Setup> {
  const confluence = await ConfluenceEmulator.start(
    deployment === 'cloud' ? { deployment, cloud: CLOUD } : { deployment, datacenter: { personalAccessToken: PAT, contextPath: '/confluence' } },
  );
  const parentId = confluence.spaces()[0].homepageId;
  const config: ConfluenceConfig = confluenceConfig({
    CONFLUENCE_BASE_URL: confluence.baseUrl,
    CONFLUENCE_DEPLOYMENT: deployment,
    CONFLUENCE_SPACE_KEY: 'INC',
    CONFLUENCE_PARENT_PAGE_ID: parentId,
    ...(deployment === 'cloud' ? { CONFLUENCE_EMAIL: CLOUD.email, CONFLUENCE_API_TOKEN: CLOUD.apiToken } : { CONFLUENCE_PERSONAL_ACCESS_TOKEN: PAT }),
    CONFLUENCE_AUTO_EXPORT: options.autoExport ?? false,
  });
  if (!config.enabled) throw new Error('test config should be complete');
  const waits: number[] = [];
  // The real adapter over real HTTP; only its waiting is instant (and recorded).
  const pages = createConfluencePages(config.settings, { sleep: async (ms) => void waits.push(ms) });
  const f = await startFixture({ confluence: config, confluencePages: pages, ...(options.transport ? { transport: options.transport } : {}) });
  f.clock.jumpTo(DECLARED);
  const basic = Buffer.from(`${CLOUD.email}:${CLOUD.apiToken}`).toString('base64');
  return { f, confluence, waits, secrets: [CLOUD.apiToken, PAT, basic] };
}

function exportButton(f: Fixture, channelId: string) {
  const message = [...f.emulator.messages(channelId)].reverse().find((m) => JSON.stringify(m.blocks ?? []).includes('postmortem_export_confluence'));
  if (!message) throw new Error('no Export to Confluence button in the channel');
  return message;
}

async function pressExport(f: Fixture, channelId: string) {
  const message = exportButton(f, channelId);
  const response = await f.actor.clickButton(PEOPLE.ann.id, { channelId, messageTs: message.ts, actionId: 'postmortem_export_confluence' });
  await f.settle();
  return response;
}

function lastLine(f: Fixture, channelId: string): string {
  return f.emulator.messages(channelId).at(-1)?.text ?? '';
}

async function reviewerEditsSurvive(s: Setup): Promise<void> {
  const { f, confluence } = s;
  const { channelId } = await f.declare('Checkout latency sev2');
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact EU checkouts slow');
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'note cache hit rate dropped');
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close We will add a cache alert.');
  await f.settle();
  await pressExport(f, channelId);
  const [page] = confluence.pages();

  // A reviewer, in Confluence: rewrites the conclusion, fixes a timeline cell, adds a section of their own
  // (Confluence re-serializes the page as it saves it: macro ids appear).
  const edited = page.body
    .replace('We will add a cache alert.', 'Reviewed on Monday: the cache alert ships this sprint.')
    .replace('cache hit rate dropped', 'cache hit rate dropped to 40%')
    .replace('<ac:structured-macro ac:name="anchor">', '<ac:structured-macro ac:name="anchor" ac:schema-version="1" ac:macro-id="3f1c">')
    .replace(/(<ac:structured-macro[^>]*>\s*<ac:parameter ac:name="">ic:start:measures)/, '<h2>Reviewer notes</h2><p>Ask the DBA team about the eviction policy.</p>\n$1');
  confluence.editPage(page.id, { body: edited });

  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact EU and US checkouts slow');
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action add a cache hit-rate alert');
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export confluence');
  await f.settle();

  const body = confluence.pages()[0]!.body;
  expect(confluence.pages()[0]).toMatchObject({ id: page.id, version: 3 });
  // Untouched sections follow Slack.
  expect(body).toContain('EU and US checkouts slow');
  expect(body).toContain('add a cache hit-rate alert');
  // What people wrote stays, where they wrote it.
  expect(body).toContain('Reviewed on Monday: the cache alert ships this sprint.');
  expect(body).toContain('cache hit rate dropped to 40%');
  expect(body.indexOf('<h2>Reviewer notes</h2>')).toBeGreaterThan(body.indexOf('ic:end:root-cause'));
  expect(body.indexOf('<h2>Reviewer notes</h2>')).toBeLessThan(body.indexOf('ic:start:measures'));
  expect(lastLine(f, channelId)).toContain('updated to version 3');
  expect(lastLine(f, channelId)).toContain('Someone edited Timeline on Confluence: I kept their edit and did not update that section.');

  // Nothing edited since: the same sections are kept, the rest refreshed again.
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'cause an eviction storm after the deploy');
  await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export confluence');
  await f.settle();
  const again = confluence.pages()[0]!.body;
  expect(again).toContain('an eviction storm after the deploy');
  expect(again).toContain('cache hit rate dropped to 40%');
  expect(again).toContain('Reviewed on Monday');
  expect(again).toContain('<h2>Reviewer notes</h2>');
}

describe.each(['cloud', 'datacenter'] as const)('export to Confluence (%s)', (deployment) => {
  let s: Setup;

  beforeEach(async () => {
    s = await setUp(deployment);
  });

  afterEach(async () => {
    await s.f.stop();
    await s.confluence.stop();
  });

  it('when the incident is closed and Export is pressed, then one page is created under the parent, stored and linked; later exports update it', async () => {
    const { f, confluence } = s;
    const { channelId } = await f.declare('Checkout latency sev2');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'impact EU checkouts slow');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();

    expect((await pressExport(f, channelId)).status).toBe(200);
    const [page] = confluence.pages();
    expect(confluence.pages()).toHaveLength(1);
    expect(page).toMatchObject({ title: 'Postmortem: INC-1 Checkout latency (2026-03-03)', version: 1, spaceKey: 'INC', parentId: confluence.spaces()[0].homepageId });
    expect(page.body).toContain('EU checkouts slow');
    expect(page.body).toContain('ac:name="status"');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.confluencePage).toMatchObject({ pageId: page.id, version: 1, title: page.title });
    expect(lastLine(f, channelId)).toContain(`is on Confluence: <${incident.confluencePage!.url}|${page.title}>`);

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action add a latency SLO alert');
    const again = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export confluence');
    expect(ackText(again)).toContain('Exporting the postmortem of INC-1 to Confluence');
    await f.settle();
    expect(confluence.pages()).toHaveLength(1);
    expect(confluence.pages()[0]).toMatchObject({ id: page.id, version: 2 });
    expect(confluence.pages()[0].body).toContain('add a latency SLO alert');
    expect(lastLine(f, channelId)).toContain('updated to version 2');
  });

  it('when reviewers edited the page, then a re-export refreshes the untouched sections and keeps theirs, saying which bot section it left', () => reviewerEditsSurvive(s));

  it('when a page exported before sections were marked was edited since, then it is left as it is and the channel is told how to refresh it', async () => {
    const { f, confluence } = s;
    const { channelId } = await f.declare('Checkout latency sev2');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    await pressExport(f, channelId);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    // As an older version of the bot stored it: no block hashes.
    const { blocks: _blocks, ...legacy } = incident.confluencePage!;
    await f.store.applyChange({ incidentId: incident.id, now: f.clock.now(), patch: { confluencePage: legacy } });
    confluence.editPage(legacy.pageId, { body: '<p>Rewritten by hand.</p>' });

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export confluence');
    await f.settle();

    expect(confluence.pages()[0]).toMatchObject({ version: 2, body: '<p>Rewritten by hand.</p>' });
    expect(lastLine(f, channelId)).toContain('was edited since the bot exported it, and it was exported before the bot marked its sections, so I left it as it is');
  });

  it('when the page was deleted in Confluence, then the next export creates a fresh one and says so', async () => {
    const { f, confluence } = s;
    const { channelId } = await f.declare('Checkout latency');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    await pressExport(f, channelId);
    const first = confluence.pages()[0];
    confluence.deletePage(first.id);

    await pressExport(f, channelId);
    const pages = confluence.pages();
    expect(pages).toHaveLength(1);
    expect(pages[0].id).not.toBe(first.id);
    expect(lastLine(f, channelId)).toContain('was deleted in Confluence, so I created a fresh page');
    expect((await f.store.findIncidentByChannel(channelId))!.confluencePage?.pageId).toBe(pages[0].id);
  });

  it('when the title is already used by another page, then the export gets a suffix instead of failing', async () => {
    const { f, confluence } = s;
    confluence.createPage({ spaceKey: 'INC', title: 'Postmortem: INC-1 Checkout latency (2026-03-03)', body: '<p>someone else</p>' });
    const { channelId } = await f.declare('Checkout latency');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    await pressExport(f, channelId);
    expect(
      confluence
        .pages()
        .map((p) => p.title)
        .sort(),
    ).toEqual(['Postmortem: INC-1 Checkout latency (2026-03-03)', 'Postmortem: INC-1 Checkout latency (2026-03-03) (2)']);
  });

  it('when Export is double-clicked, then still only one page exists', async () => {
    const { f, confluence } = s;
    const { channelId } = await f.declare('Checkout latency');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    const message = exportButton(f, channelId);
    const click = () => f.actor.clickButton(PEOPLE.ann.id, { channelId, messageTs: message.ts, actionId: 'postmortem_export_confluence' });
    await Promise.all([click(), click()]);
    await f.settle();
    expect(confluence.pages()).toHaveLength(1);
  });

  it('when Confluence answers 401, then the channel is told to check the token, nothing is lost, and pressing again works', async () => {
    const { f, confluence } = s;
    const { channelId } = await f.declare('Checkout latency');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    confluence.failNext({}, { status: 401 }, 1);
    await pressExport(f, channelId);
    expect(lastLine(f, channelId)).toContain('check the API token');
    expect(confluence.pages()).toHaveLength(0);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.status).toBe('closed');
    expect(await f.store.latestPostmortem(incident.id)).toBeDefined();

    await pressExport(f, channelId);
    expect(confluence.pages()).toHaveLength(1);
  });

  it('when Confluence answers 429 and 503, then the export is retried, honouring Retry-After', async () => {
    const { f, confluence, waits } = s;
    const { channelId } = await f.declare('Checkout latency');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    confluence.failNext({ method: 'POST' }, { status: 429, retryAfterSeconds: 2 });
    confluence.failNext({ method: 'POST' }, { status: 503 });
    await pressExport(f, channelId);
    expect(confluence.pages()).toHaveLength(1);
    expect(waits).toContain(2000);
    expect(confluence.calls.filter((c) => c.method === 'POST').map((c) => c.status)).toEqual([429, 503, 200]);
  });

  it('when the whole flow ran, then no credential appears in logs, Slack, the store or the page', async () => {
    const { f, confluence, secrets } = s;
    const { channelId } = await f.declare('Checkout latency');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
    await f.settle();
    confluence.failNext({}, { status: 403 });
    await pressExport(f, channelId);
    await pressExport(f, channelId);
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    const everything = [
      f.logs.join('\n'),
      JSON.stringify(f.emulator.messages(channelId)),
      JSON.stringify(f.emulator.responses()),
      JSON.stringify(incident),
      JSON.stringify(await f.store.listTimeline(incident.id)),
      confluence
        .pages()
        .map((p) => p.body)
        .join('\n'),
    ].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('Confluence export settings', () => {
  it('when export is not set up, then the postmortem message names the missing variables and the command explains', async () => {
    const f = await startFixture();
    try {
      const { channelId } = await f.declare('Checkout latency');
      await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
      await f.settle();
      expect(f.emulator.messages(channelId).some((m) => m.text.includes('Confluence export is not set up: set `CONFLUENCE_BASE_URL`'))).toBe(true);
      const answer = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export confluence');
      expect(ackText(answer)).toContain('`CONFLUENCE_SPACE_KEY`');
      const markdown = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export markdown');
      expect(ackText(markdown)).toContain('it will appear in this channel as a file');
      await f.settle();
      expect(f.emulator.files().map((x) => x.name)).toEqual(['INC-1-postmortem-v1.md', 'INC-1-postmortem-v2.md']);
    } finally {
      await f.stop();
    }
  });

  it('when CONFLUENCE_AUTO_EXPORT is on, then closing exports by itself', async () => {
    const s = await setUp('cloud', { autoExport: true });
    try {
      const { channelId } = await s.f.declare('Checkout latency');
      await s.f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close');
      await s.f.settle();
      expect(s.confluence.pages()).toHaveLength(1);
    } finally {
      await s.f.stop();
      await s.confluence.stop();
    }
  });
});

describe('re-export over Socket Mode', () => {
  it('when reviewers edited the page, then the re-export keeps their edits as over HTTP', async () => {
    const s = await setUp('cloud', { transport: 'socket' });
    try {
      await reviewerEditsSurvive(s);
    } finally {
      await s.f.stop();
      await s.confluence.stop();
    }
  });
});
