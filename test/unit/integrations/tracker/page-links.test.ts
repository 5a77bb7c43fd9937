// Linking a ticket to its postmortem page, through each adapter against the emulated trackers:
// once however often it is asked, what people wrote kept, a deleted ticket reported as gone.

import { GitHubTracker, markerComment } from '../../../../src/integrations/tracker/github';
import { JiraTracker } from '../../../../src/integrations/tracker/jira';
import type { IssueTracker } from '../../../../src/ports/issue-tracker';
import { GitHubEmulator, JiraEmulator } from '../../../../src/sandbox/tracker-emulator';

const TOKEN = 'tracker-token-for-links-01';
const PAGE = { id: 'incident-commander:inc-1:postmortem', url: 'https://wiki.example/wiki/spaces/INC/pages/98305', title: 'Postmortem: INC-1 Checkout [errors] (2026-12-07)' };
const NEW_TICKET = { summary: 'Rotate the keys', description: [{ text: 'Rotate *all* keys' }], marker: 'ic-links', labels: ['incident-follow-up'] };
const noWait = { sleep: async () => undefined };

describe.each(['cloud', 'datacenter'] as const)('Jira %s: linking a ticket to the postmortem', (deployment) => {
  let jira: JiraEmulator;
  let tracker: IssueTracker;

  beforeEach(async () => {
    jira = await JiraEmulator.start({
      deployment,
      cloud: { email: 'bot@acme.example', apiToken: TOKEN },
      datacenter: { personalAccessToken: TOKEN },
      ...(deployment === 'datacenter' ? { contextPath: '/jira' } : {}),
    });
    const credentials = deployment === 'cloud' ? { email: 'bot@acme.example', apiToken: TOKEN } : { personalAccessToken: TOKEN };
    tracker = new JiraTracker({ deployment, baseUrl: jira.baseUrl, projectKey: 'OPS', issueType: 'Task', ...credentials }, noWait);
  });
  afterEach(() => jira.stop());

  it('when the page is linked twice, then the ticket has one remote link to it, updated in place', async () => {
    const { key } = await tracker.create(NEW_TICKET);

    expect(await tracker.linkPage(key, PAGE)).toBe(true);
    expect(await tracker.linkPage(key, { ...PAGE, url: `${PAGE.url}/v2` })).toBe(true);

    expect(jira.issues()[0]?.remoteLinks).toEqual([{ id: expect.any(Number), globalId: PAGE.id, relationship: 'postmortem', url: `${PAGE.url}/v2`, title: PAGE.title }]);
    const api = deployment === 'cloud' ? '/rest/api/3' : '/jira/rest/api/2';
    expect(jira.calls.filter((c) => c.path === `${api}/issue/${key}/remotelink`).map((c) => c.status)).toEqual([201, 200]);
  });

  it('when the ticket was deleted, then linking says so instead of failing', async () => {
    const { key } = await tracker.create(NEW_TICKET);
    jira.deleteIssue(key);

    expect(await tracker.linkPage(key, PAGE)).toBe(false);
  });
});

describe('GitHub: linking an issue to the postmortem', () => {
  let github: GitHubEmulator;
  let tracker: IssueTracker;

  beforeEach(async () => {
    github = await GitHubEmulator.start({ token: TOKEN, repos: ['acme/ops'] });
    tracker = new GitHubTracker({ apiUrl: github.apiUrl, repository: 'acme/ops', token: TOKEN, findLabel: 'incident-follow-up' }, noWait);
  });
  afterEach(() => github.stop());

  it('when the page is linked twice, then the body gains one escaped link paragraph and keeps its text and marker', async () => {
    const { key } = await tracker.create(NEW_TICKET);

    expect(await tracker.linkPage(key, PAGE)).toBe(true);
    expect(await tracker.linkPage(key, PAGE)).toBe(true);

    const body = github.issues()[0]?.body ?? '';
    expect(body).toBe(`Rotate \\*all\\* keys\n\n${markerComment('ic-links')}\n\n[Postmortem\\: INC\\-1 Checkout \\[errors\\] \\(2026\\-12\\-07\\)](<${PAGE.url}>)`);
    expect(github.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(await tracker.findByMarker('ic-links')).toMatchObject({ key });
  });

  it('when the issue does not exist, then linking says so', async () => {
    expect(await tracker.linkPage('#7', PAGE)).toBe(false);
  });
});
