// Action items filed as Jira tickets and GitHub issues over signed HTTP: once per item (a lost create is adopted, a
// second request finds the first ticket), the owner assigned by Slack email, hostile text kept
// literal, a 401 explained in the channel, and the ticket's key and state in the postmortem.

import type { TrackerConfig } from '../../src/config/tracker-config';
import { GitHubTracker } from '../../src/integrations/tracker/github';
import { JiraTracker } from '../../src/integrations/tracker/jira';
import type { ConfluenceEmulator } from '../../src/sandbox/confluence-emulator';
import { adfProblem, GitHubEmulator, JiraEmulator, readWikiMarkup } from '../../src/sandbox/tracker-emulator';
import { CREATE_TICKET_ACTION } from '../../src/blocks/ids';
import { postmortemLinkId, ticketMarker } from '../../src/usecases/effects/ticket-effects';
import { SYNC_HORIZON_MS } from '../../src/usecases/effects/ticket-sync';
import { autoExportingConfluence } from '../support/confluence-fixture';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const TOKEN = 'jira-token-for-tests-0001';

describe('action items as Jira tickets', () => {
  let jira: JiraEmulator | undefined;
  let f: Fixture;

  let confluence: ConfluenceEmulator | undefined;

  interface StartOptions {
    apiToken?: string;
    autoCreate?: boolean;
    withConfluence?: boolean;
    syncEveryMs?: number;
  }

  async function start(deployment: 'cloud' | 'datacenter', { apiToken = TOKEN, autoCreate = false, withConfluence = false, syncEveryMs }: StartOptions = {}): Promise<void> {
    const started = await JiraEmulator.start({
      deployment,
      cloud: { email: 'bot@acme.example', apiToken: TOKEN },
      datacenter: { personalAccessToken: TOKEN },
      ...(deployment === 'datacenter' ? { contextPath: '/jira' } : {}),
      users: [{ id: deployment === 'cloud' ? '5b10ac8d82e05b22cc7d4ef5' : 'bob', email: 'bob@acme.example', displayName: 'Bob Example' }],
    });
    jira = started;
    const settings = {
      deployment,
      baseUrl: started.baseUrl,
      projectKey: 'OPS',
      issueType: 'Task',
      ...(deployment === 'cloud' ? { email: 'bot@acme.example', apiToken } : { personalAccessToken: apiToken }),
    };
    const tracker: TrackerConfig = {
      enabled: true,
      kind: 'jira',
      jira: settings,
      labels: ['incident-follow-up'],
      assignees: new Map(),
      autoCreate,
      ...(syncEveryMs ? { syncEveryMs } : {}),
    };
    f = await startFixture({ tracker, issueTracker: new JiraTracker(settings, { sleep: async () => undefined }), ...(withConfluence ? await confluenceOptions() : {}) });
  }

  async function confluenceOptions() {
    const site = await autoExportingConfluence(TOKEN);
    confluence = site.emulator;
    return site.options;
  }

  afterEach(async () => {
    await f?.stop();
    await jira?.stop();
    await confluence?.stop();
    jira = undefined;
    confluence = undefined;
  });

  const emulated = (): JiraEmulator => {
    if (!jira) throw new Error('start(…) first');
    return jira;
  };
  const incidentOf = async (channelId: string) => (await f.store.findIncidentByChannel(channelId))!;

  it('when an action is added with --ticket on Jira Cloud, then one ticket is created with valid ADF, assigned by email, and shown in the channel and the postmortem', async () => {
    await start('cloud');
    const { channelId } = await f.declare('Checkout errors sev2');

    const reply = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Add a *rollback* runbook [see|http://evil.example] &lt;b&gt; <@U0BOB|bob> --ticket');
    expect(ackText(reply)).toContain('A Jira ticket is on its way.');
    await f.settle();

    const [issue] = emulated().issues();
    expect(emulated().issues()).toHaveLength(1);
    expect(issue).toMatchObject({ key: 'OPS-1', summary: 'Add a *rollback* runbook [see|http://evil.example] <b>', assigneeId: '5b10ac8d82e05b22cc7d4ef5' });
    expect(adfProblem(issue?.description)).toBeUndefined();
    expect(JSON.stringify(issue?.description)).toContain('Owner: Bob Example');
    expect(issue?.labels).toEqual(['incident-follow-up', expect.stringMatching(/^ic-[0-9a-f]{24}$/)]);
    const posted = f.emulator.messages(channelId).map((m) => m.text);
    expect(posted.some((t) => t.startsWith(`:ticket: Filed in Jira as <${emulated().baseUrl}/browse/OPS-1|OPS-1> (To Do)`))).toBe(true);

    emulated().transition('OPS-1', { status: 'Done', category: 'done', resolution: 'Done' });
    const incident = await incidentOf(channelId);
    expect(incident.tickets).toEqual([expect.objectContaining({ key: 'OPS-1', state: 'open' })]);
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    const file = f.emulator.files().find((x) => x.name === 'INC-1-postmortem-v1.md')!;
    // The state is read back when the postmortem is compiled.
    expect(file.content).toContain(`| Add a \\*rollback\\* runbook \\[see\\|http://evil.example\\] \\<b> | @Bob Example | [OPS-1](<${emulated().baseUrl}/browse/OPS-1>) | done |`);
    expect((await incidentOf(channelId)).tickets).toEqual([expect.objectContaining({ key: 'OPS-1', state: 'done', statusName: 'Done' })]);
  });

  it('when the postmortem is exported to Confluence, then each ticket is linked with its state read back, and a done ticket ticks its task', async () => {
    await start('cloud', { withConfluence: true });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Add a canary --ticket');
    await f.settle();
    emulated().transition('OPS-1', { status: 'Done', category: 'done', resolution: 'Done' });

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();

    const [page] = confluence!.pages();
    const body = page?.body ?? '';
    for (const key of ['OPS-1', 'OPS-2']) expect(body).toContain(`<a href="${emulated().baseUrl}/browse/${key}">${key}</a>`);
    const rows = body.split('<tr>').filter((row) => row.includes('<ac:task>'));
    expect(rows.map((row) => [/<ac:task-status>(\w+)</.exec(row)?.[1], /<td>(done|open|won't do)<\/td>/.exec(row)?.[1]])).toEqual([
      ['complete', 'done'],
      ['incomplete', 'open'],
    ]);
    // Filed before the page existed: each ticket now links to it, once.
    const exported = await incidentOf(channelId);
    for (const issue of emulated().issues()) {
      expect(issue.remoteLinks).toEqual([expect.objectContaining({ url: exported.confluencePage?.url, title: page?.title, globalId: postmortemLinkId(exported) })]);
    }

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'export confluence');
    await f.settle();
    expect(f.emulator.messages(channelId).some((m) => m.text.includes('updated to version 2'))).toBe(true);
    expect(
      emulated()
        .issues()
        .map((i) => i.remoteLinks.length),
    ).toEqual([1, 1]);
  });

  it('when Jira refuses to link the tickets to the new page, then the channel is told which and the export stands', async () => {
    await start('cloud', { withConfluence: true });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.settle();
    emulated().failNext({ method: 'POST', pathIncludes: '/remotelink' }, { status: 403 });

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();

    const texts = f.emulator.messages(channelId).map((m) => m.text);
    expect(texts.some((t) => t.includes(':white_check_mark: The postmortem of INC-1 is on Confluence'))).toBe(true);
    expect(texts).toContainEqual(
      ":warning: Jira refused to link the tickets to the postmortem (403): check that the token's user may edit and link issues in the project or repository. Not linked: OPS-1; the postmortem still lists them.",
    );
    expect(emulated().issues()[0]?.remoteLinks).toEqual([]);
  });

  it('when a ticket was created but its answer lost, then the retry adopts it; a second request for the item creates nothing', async () => {
    await start('cloud');
    const { channelId } = await f.declare('Checkout errors');
    emulated().failNext({ method: 'POST', pathIncludes: '/issue' }, { afterCommit: { status: 502 } });

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.settle();
    expect(emulated().issues()).toHaveLength(1);
    // The runner waits out its backoff, then runs the effect again: the marker finds the ticket.
    for (let i = 0; i < 3; i++) {
      f.clock.advance(3_000);
      await f.settle();
    }

    expect(emulated().issues()).toHaveLength(1);
    const incident = await incidentOf(channelId);
    expect(incident.tickets?.map((t) => t.key)).toEqual(['OPS-1']);
    const [action] = (await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'action');
    expect(emulated().issues()[0]?.labels).toContain(ticketMarker(action!.sourceId));

    // A double click: the same item asked for again.
    await f.store.applyChange({ incidentId: incident.id, now: f.clock.now(), effects: [{ kind: 'ticket.create', actionSourceId: action!.sourceId, requestedBy: PEOPLE.ann.id }] });
    f.bot.services.wakeEffects();
    await f.settle();
    expect(emulated().issues()).toHaveLength(1);
    expect(f.emulator.messages(channelId).filter((m) => m.text.startsWith(':ticket:'))).toHaveLength(1);
  });

  it('when Jira Data Center gets hostile wiki markup, then the description is escaped and the assignee is the user name', async () => {
    await start('datacenter');
    const { channelId } = await f.declare('Search down');

    const typed = 'Check {code}x{code} and [~admin] h1. *now* at 10:02; C:\\tmp\\*.log &lt;b&gt; (y) :D';
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, `action ${typed.replace(/&/g, '&amp;')} <@U0BOB|bob> --ticket`);
    await f.settle();

    const [issue] = emulated().issues();
    expect(issue?.assigneeId).toBe('bob');
    const [summary, ...rest] = String(issue?.description).split('\n\n');
    // Read as Jira's renderer would: the text as typed, and no construct at all.
    expect(readWikiMarkup(summary!)).toEqual({ literal: typed, markup: [] });
    // Only our own links are markup in the rest.
    const links = readWikiMarkup(rest.join('\n\n')).markup;
    expect(links.length).toBeGreaterThan(0);
    for (const construct of links) expect(construct).toMatch(/^\[[^|\]]+\|https?:\/\/[^\]\s]+\]$/);
  });

  it('when Jira refuses the credentials, then the channel is told what to check, nothing is stored and no secret is logged', async () => {
    await start('cloud', { apiToken: 'wrong-token-value-9999' });
    const { channelId } = await f.declare('Checkout errors');

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.settle();

    expect(emulated().issues()).toHaveLength(0);
    expect(f.emulator.messages(channelId).some((m) => m.text.includes("Jira refused the bot's credentials (401)"))).toBe(true);
    expect((await incidentOf(channelId)).tickets).toBeUndefined();
    expect(f.logs.join('\n')).not.toContain('wrong-token-value-9999');
  });

  it('when auto-create is on, then closing files every action item without a ticket, once, and the draft shows their keys', async () => {
    await start('cloud', { autoCreate: true });
    const { channelId } = await f.declare('Checkout errors');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Add a canary <@U0BOB|bob>');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Page earlier');
    await f.settle();
    expect(
      emulated()
        .issues()
        .map((i) => i.summary),
    ).toEqual(['Rotate the keys']);

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();

    expect(
      emulated()
        .issues()
        .map((i) => `${i.key} ${i.summary}`),
    ).toEqual(['OPS-1 Rotate the keys', 'OPS-2 Add a canary', 'OPS-3 Page earlier']);
    const file = f.emulator.files().find((x) => x.name === 'INC-1-postmortem-v1.md')!;
    for (const key of ['OPS-1', 'OPS-2', 'OPS-3']) expect(file.content).toContain(`| [${key}](<${emulated().baseUrl}/browse/${key}>) | open |`);
  });

  it('when the "Create Jira ticket" button is double clicked, then one ticket is filed, the button gives way to who asked, and both clickers are answered', async () => {
    await start('cloud');
    const { channelId } = await f.declare('Checkout errors');
    const added = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys <@U0BOB|bob>');
    expect(added.messageTs).toBeDefined();
    const click = { channelId, messageTs: added.messageTs!, actionId: CREATE_TICKET_ACTION };
    const offered = f.emulator.messages(channelId).find((m) => m.ts === added.messageTs)!;
    expect(JSON.stringify(offered.blocks)).toContain('Create Jira ticket');

    // Both clicks leave before either is answered, as a double click does.
    const clicks = await Promise.all([f.actor.clickButton(PEOPLE.ann.id, click), f.actor.clickButton(PEOPLE.bob.id, click)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await f.settle();

    expect(
      emulated()
        .issues()
        .map((i) => `${i.key} ${i.summary} ${i.assigneeId ?? ''}`),
    ).toEqual(['OPS-1 Rotate the keys 5b10ac8d82e05b22cc7d4ef5']);
    const settled = f.emulator.messages(channelId).find((m) => m.ts === added.messageTs)!;
    expect(JSON.stringify(settled.blocks)).not.toContain(CREATE_TICKET_ACTION);
    expect(JSON.stringify(settled.blocks)).toMatch(/:ticket: <@U0(ANN|BOB)> asked for a ticket\./);
    expect(settled.text).toContain('Rotate the keys');
    for (const c of clicks) {
      expect(f.emulator.responses(c.responseUrlId).map((r) => String(r.body.text))).toContainEqual(expect.stringContaining('A Jira ticket is on its way'));
    }
    expect(f.emulator.messages(channelId).filter((m) => m.text.startsWith(':ticket: Filed in Jira as'))).toHaveLength(1);
    expect((await incidentOf(channelId)).tickets?.map((t) => t.key)).toEqual(['OPS-1']);
  });

  it('when the button is clicked after the item was filed on close, then it says where the ticket is and files nothing', async () => {
    await start('cloud', { autoCreate: true });
    const { channelId } = await f.declare('Checkout errors');
    const added = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    expect(emulated().issues()).toHaveLength(1);

    const click = await f.actor.clickButton(PEOPLE.bob.id, { channelId, messageTs: added.messageTs!, actionId: CREATE_TICKET_ACTION });
    await f.settle();

    expect(f.emulator.responses(click.responseUrlId).map((r) => String(r.body.text))).toContainEqual(
      `That action item is already filed as <${emulated().baseUrl}/browse/OPS-1|OPS-1>.`,
    );
    expect(emulated().issues()).toHaveLength(1);
  });

  it('when the periodic sync is on, then open tickets are read back on their schedule, changes are said once in the channel, and the sync stops once all are settled', async () => {
    const HOUR = 60 * 60_000;
    await start('cloud', { syncEveryMs: 6 * HOUR });
    const { channelId } = await f.declare('Checkout errors sev4');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Add a canary --ticket');
    await f.settle();
    const incident = await incidentOf(channelId);
    // The steered clock also moves with wall time: times are checked against what was stored.
    const filedAt = incident.tickets![0]!.createdAt;
    const due = filedAt + 6 * HOUR;
    expect(incident.ticketSyncDue).toBe(due);
    // One deadline for the incident, however many tickets it has.
    expect((await f.store.outbox.pending(incident.id)).filter((e) => e.spec.kind === 'tickets.sync')).toHaveLength(1);
    const syncLines = () => f.emulator.messages(channelId).filter((m) => m.text.startsWith(':ticket: Follow-up tickets changed'));
    const filingReads = emulated().calls.length;
    // Ticket reads since filing (which reads each new ticket once).
    const reads = () =>
      emulated()
        .calls.slice(filingReads)
        .filter((c) => c.method === 'GET' && /\/issue\/OPS-\d+$/.test(c.path)).length;
    const browse = (key: string) => `<${emulated().baseUrl}/browse/${key}|${key}>`;

    emulated().transition('OPS-1', { status: 'Done', category: 'done', resolution: 'Done' });
    f.clock.advance(6 * HOUR - 60_000);
    await f.settle();
    expect(reads()).toBe(0);
    f.clock.advance(60_000);
    await f.settle();

    expect(syncLines().map((m) => m.text)).toEqual([`:ticket: Follow-up tickets changed in Jira:\n• ${browse('OPS-1')} is done (Done)`]);
    const synced = await incidentOf(channelId);
    expect(synced.tickets?.map((t) => `${t.key} ${t.state} ${t.checkedAt >= due}`)).toEqual(['OPS-1 done true', 'OPS-2 open true']);
    expect(synced.ticketSyncDue).toBeGreaterThanOrEqual(due + 6 * HOUR);

    // Nothing changed: the tickets are read, nothing is said.
    f.clock.advance(6 * HOUR);
    await f.settle();
    expect(reads()).toBe(4);
    expect(syncLines()).toHaveLength(1);

    emulated().transition('OPS-2', { status: "Won't Do", category: 'done', resolution: "Won't Do" });
    f.clock.advance(6 * HOUR);
    await f.settle();
    expect(syncLines().map((m) => m.text)[1]).toBe(
      `:ticket: Follow-up tickets changed in Jira:\n• ${browse('OPS-2')} is won't do (Won't Do)\nEvery follow-up is settled; the bot stops checking.`,
    );
    const settled = await incidentOf(channelId);
    expect(settled.ticketSyncDue).toBeUndefined();
    expect((await f.store.outbox.pending(incident.id)).filter((e) => e.spec.kind === 'tickets.sync')).toEqual([]);

    f.clock.advance(24 * HOUR);
    await f.settle();
    expect(reads()).toBe(6);
  });

  it('when the tracker cannot be read at a sync, then the last known states stay and the sync tries again next period; a moved deadline does nothing', async () => {
    const HOUR = 60 * 60_000;
    await start('cloud', { syncEveryMs: HOUR });
    const { channelId } = await f.declare('Checkout errors sev4');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.settle();
    const filedAt = (await incidentOf(channelId)).tickets![0]!.createdAt;
    emulated().transition('OPS-1', { status: 'In Progress', category: 'indeterminate' });
    emulated().failNext({ method: 'GET', pathIncludes: '/issue/OPS-1' }, { status: 401 });

    f.clock.advance(HOUR);
    await f.settle();
    const after = await incidentOf(channelId);
    expect(after.tickets?.map((t) => `${t.state} ${t.statusName} ${t.checkedAt}`)).toEqual([`open To Do ${filedAt}`]);
    expect(after.ticketSyncDue).toBeGreaterThanOrEqual(filedAt + 2 * HOUR);

    // A sync whose deadline is no longer the stored one (a stale copy after a crash) reads nothing.
    const readsBefore = emulated().calls.length;
    await f.store.applyChange({ incidentId: after.id, now: f.clock.now(), effects: [{ kind: 'tickets.sync', at: filedAt + HOUR }] });
    expect(after.ticketSyncDue).not.toBe(filedAt + HOUR);
    f.bot.services.wakeEffects();
    await f.settle();
    expect(emulated().calls.length).toBe(readsBefore);

    f.clock.advance(HOUR);
    await f.settle();
    expect(
      f.emulator
        .messages(channelId)
        .filter((m) => m.text.startsWith(':ticket: Follow-up tickets changed'))
        .map((m) => m.text),
    ).toEqual([`:ticket: Follow-up tickets changed in Jira:\n• <${emulated().baseUrl}/browse/OPS-1|OPS-1> is open (In Progress)`]);
    expect((await incidentOf(channelId)).ticketSyncDue).toBeGreaterThanOrEqual(after.ticketSyncDue! + HOUR);
  });

  it('when tickets stay open for 90 days after the last was filed, then the sync says it lets go and stops', async () => {
    const DAY = 24 * 60 * 60_000;
    await start('cloud', { syncEveryMs: DAY });
    const { channelId } = await f.declare('Checkout errors sev4');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.settle();

    f.clock.advance(SYNC_HORIZON_MS - DAY / 2);
    await f.settle();

    expect(f.emulator.messages(channelId).at(-1)?.text).toBe(
      ':ticket: The bot stops checking these tickets 90 days after the last was filed; the postmortem shows their last known status.',
    );
    const incident = await incidentOf(channelId);
    expect(incident.ticketSyncDue).toBeUndefined();
    expect(incident.tickets?.map((t) => t.state)).toEqual(['open']);
    expect((await f.store.outbox.pending(incident.id)).filter((e) => e.spec.kind === 'tickets.sync')).toEqual([]);
  });

  it('when no tracker is set up, then --ticket keeps the action item and says how to set tickets up', async () => {
    f = await startFixture();
    const { channelId } = await f.declare('Checkout errors');

    const reply = await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');

    expect(ackText(reply)).toContain('No ticket: tickets are not set up');
    const incident = await incidentOf(channelId);
    expect((await f.store.listTimeline(incident.id)).filter((e) => e.kind === 'action').map((e) => e.text)).toEqual(['Rotate the keys']);
  });
});

describe('action items as GitHub issues', () => {
  const REPO = 'acme/ops';
  let github: GitHubEmulator;
  let f: Fixture;

  beforeEach(async () => {
    github = await GitHubEmulator.start({ token: TOKEN, repos: [REPO], users: ['bob-gh'] });
    const settings = { apiUrl: github.apiUrl, repository: REPO, token: TOKEN, findLabel: 'incident-follow-up' };
    const tracker: TrackerConfig = {
      enabled: true,
      kind: 'github',
      github: settings,
      labels: ['incident-follow-up'],
      assignees: new Map([['bob@acme.example', 'bob-gh']]),
      autoCreate: false,
    };
    f = await startFixture({ tracker, issueTracker: new GitHubTracker(settings, { sleep: async () => undefined }) });
  });

  afterEach(async () => {
    await f.stop();
    await github.stop();
  });

  it("when an action is filed as a GitHub issue, then its text pings nobody, the owner is assigned by the email mapping, and a closed-as-not-planned issue shows as won't do", async () => {
    const { channelId } = await f.declare('Checkout errors');

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Tell @security about #12 &lt;b&gt;now&lt;/b&gt; ![x](http://evil.example/p.png) <@U0BOB|bob> --ticket');
    await f.settle();

    const [issue] = github.issues(REPO);
    expect(github.issues(REPO)).toHaveLength(1);
    expect(issue).toMatchObject({ number: 1, title: 'Tell @security about #12 <b>now</b> ![x](http://evil.example/p.png)', assignees: ['bob-gh'], labels: ['incident-follow-up'] });
    const firstParagraph = (issue?.body ?? '').split('\n\n')[0];
    // Escaped: no mention, no issue link, no HTML, no image.
    expect(firstParagraph).toBe('Tell \\@security about \\#12 &lt;b\\>now&lt;/b\\> \\!\\[x\\]\\(http\\://evil\\.example/p\\.png\\)');
    expect(issue?.body).toMatch(/<!-- incident-commander: ic-[0-9a-f]{24} -->/);
    expect(f.emulator.messages(channelId).some((m) => m.text.startsWith(`:ticket: Filed in GitHub as <${github.apiUrl}/web/${REPO}/issues/1|#1>`))).toBe(true);

    github.close(REPO, 1, 'not_planned');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'close Thanks');
    await f.settle();
    const file = f.emulator.files().find((x) => x.name === 'INC-1-postmortem-v1.md')!;
    expect(file.content).toContain(`| @Bob Example | [\\#1](<${github.apiUrl}/web/${REPO}/issues/1>) | won't do |`);
  });

  it('when the create answer is lost and GitHub then rate-limits, then the retry waits, finds the issue by its marker and creates no second one', async () => {
    const { channelId } = await f.declare('Checkout errors');
    github.failNext({ method: 'POST', pathIncludes: '/issues' }, { afterCommit: { status: 502 } });
    github.failNext({ method: 'GET', pathIncludes: '/issues' }, { rateLimited: { resetInSeconds: 1 } });

    await f.actor.slashCommand(PEOPLE.ann.id, channelId, 'action Rotate the keys --ticket');
    await f.settle();
    for (let i = 0; i < 3; i++) {
      f.clock.advance(3_000);
      await f.settle();
    }

    expect(github.issues(REPO)).toHaveLength(1);
    expect((await f.store.findIncidentByChannel(channelId))?.tickets?.map((t) => t.key)).toEqual(['#1']);
    expect(github.calls.filter((c) => c.method === 'POST').map((c) => c.status)).toEqual([502]);
  });
});
