import { JiraTracker } from '../../../../src/integrations/tracker/jira';
import { TrackerError } from '../../../../src/ports/issue-tracker';
import { type LocalServer, recordingSleep, rejectionOf, sequence, startLocalServer } from '../confluence/local-server';

const TOKEN = 'jira-api-token-secret-1234';
const PAT = 'jira-pat-secret-5678';

function issue(key: string, status: string, category: string, resolution: string | null = null) {
  return {
    id: '10001',
    key,
    self: `x/rest/api/3/issue/${key}`,
    fields: { status: { name: status, statusCategory: { key: category, name: category } }, resolution: resolution ? { name: resolution } : null },
  };
}

const TICKET = {
  summary: 'Add a\nrollback runbook',
  description: [{ text: 'Owner: Erin *now*' }, { label: 'INC-4 channel', url: 'https://acme.slack.com/archives/C1' }],
  marker: 'ic-0123456789abcdef',
  labels: ['incident-follow-up'],
  assignee: 'acc-erin',
};

describe('Jira adapter', () => {
  let server: LocalServer;
  let recorder: ReturnType<typeof recordingSleep>;
  beforeEach(async () => {
    server = await startLocalServer();
    recorder = recordingSleep();
  });
  afterEach(() => server.close());

  const cloud = () =>
    new JiraTracker({ deployment: 'cloud', baseUrl: server.url, projectKey: 'OPS', issueType: 'Task', email: 'bot@acme.example', apiToken: TOKEN }, { sleep: recorder.sleep });
  const dc = () =>
    new JiraTracker({ deployment: 'datacenter', baseUrl: `${server.url}/jira`, projectKey: 'OPS', issueType: 'Task', personalAccessToken: PAT }, { sleep: recorder.sleep });

  describe('Cloud (REST v3)', () => {
    it('when a ticket is created, then it posts ADF, the labels with the marker and the assignee by accountId, with Basic auth', async () => {
      server.handle(sequence({ status: 201, json: { id: '10001', key: 'OPS-1', self: 'x' } }, { json: issue('OPS-1', 'To Do', 'new') }));

      const created = await cloud().create(TICKET);

      expect(created).toEqual({ key: 'OPS-1', url: `${server.url}/browse/OPS-1`, state: 'open', statusName: 'To Do' });
      const [post, get] = server.requests;
      expect(post).toMatchObject({ method: 'POST', path: '/rest/api/3/issue' });
      expect(post?.headers.authorization).toBe(`Basic ${Buffer.from(`bot@acme.example:${TOKEN}`).toString('base64')}`);
      expect(post?.body).toEqual({
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Task' },
          summary: 'Add a rollback runbook',
          description: {
            type: 'doc',
            version: 1,
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'Owner: Erin *now*' }] },
              { type: 'paragraph', content: [{ type: 'text', text: 'INC-4 channel', marks: [{ type: 'link', attrs: { href: 'https://acme.slack.com/archives/C1' } }] }] },
            ],
          },
          labels: ['incident-follow-up', 'ic-0123456789abcdef'],
          assignee: { accountId: 'acc-erin' },
        },
      });
      expect(get).toMatchObject({ method: 'GET', path: '/rest/api/3/issue/OPS-1', query: { fields: 'status,resolution' } });
    });

    it('when looking for an earlier ticket, then it searches by the marker label with the v3 JQL endpoint', async () => {
      server.handle(() => ({ json: { issues: [issue('OPS-9', 'In Progress', 'indeterminate')], isLast: true } }));

      expect(await cloud().findByMarker('ic-aa')).toMatchObject({ key: 'OPS-9', state: 'open', statusName: 'In Progress' });
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        path: '/rest/api/3/search/jql',
        body: { jql: 'project = "OPS" AND labels = "ic-aa"', fields: ['status', 'resolution'] },
      });
    });

    it("when a ticket is in a done status, then its resolution tells done from won't do", async () => {
      server.handle(
        sequence(
          { json: issue('OPS-1', 'Done', 'done', 'Done') },
          { json: issue('OPS-2', 'Closed', 'done', "Won't Do") },
          { status: 404, json: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } },
        ),
      );

      expect((await cloud().get('OPS-1'))?.state).toBe('done');
      expect((await cloud().get('OPS-2'))?.state).toBe('wont_do');
      expect(await cloud().get('OPS-3')).toBeUndefined();
    });

    it('when a user is looked up by email, then the exact match wins and privacy-hidden addresses still match a single result', async () => {
      server.handle(
        sequence(
          {
            json: [
              { accountId: 'a1', emailAddress: 'other@acme.example' },
              { accountId: 'a2', emailAddress: 'Erin@Acme.example' },
            ],
          },
          { json: [{ accountId: 'a3' }] },
          { json: [] },
        ),
      );

      expect(await cloud().userForEmail('erin@acme.example')).toBe('a2');
      expect(await cloud().userForEmail('hidden@acme.example')).toBe('a3');
      expect(await cloud().userForEmail('nobody@acme.example')).toBeUndefined();
      expect(server.requests[0]).toMatchObject({ path: '/rest/api/3/user/search', query: { query: 'erin@acme.example' } });
    });

    it('when Jira answers 401, then the error is unauthorized, not worth retrying, and names no credential', async () => {
      server.handle(() => ({ status: 401, text: `Client must be authenticated to access this resource. ${TOKEN}` }));

      const error = await rejectionOf(cloud().create(TICKET));

      expect(error).toBeInstanceOf(TrackerError);
      expect(error).toMatchObject({ code: 'unauthorized', status: 401, transient: false });
      expect(String((error as Error).message)).not.toContain(TOKEN);
      expect(server.requests).toHaveLength(1);
    });

    it('when Jira answers 429 with Retry-After, then it waits that long and tries again', async () => {
      server.handle(sequence({ status: 429, headers: { 'Retry-After': '2' }, json: {} }, { json: issue('OPS-1', 'To Do', 'new') }));

      expect((await cloud().get('OPS-1'))?.key).toBe('OPS-1');
      expect(recorder.waits).toEqual([2000]);
    });

    it("when Jira refuses a field, then the error is bad_request with Jira's own words", async () => {
      server.handle(() => ({ status: 400, json: { errorMessages: [], errors: { assignee: 'User does not exist' } } }));

      expect(await rejectionOf(cloud().create(TICKET))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('assignee: User does not exist') });
    });
  });

  describe('Data Center (REST v2)', () => {
    it('when a ticket is created, then it posts escaped wiki markup, the assignee by name, with the PAT as Bearer, under the context path', async () => {
      server.handle(sequence({ status: 201, json: { id: '1', key: 'OPS-2', self: 'x' } }, { json: issue('OPS-2', 'Open', 'new') }));

      const created = await dc().create({ ...TICKET, description: [{ text: '{code}x{code} [~admin]' }], assignee: 'erin' });

      expect(created.url).toBe(`${server.url}/jira/browse/OPS-2`);
      const [post] = server.requests;
      expect(post).toMatchObject({ method: 'POST', path: '/jira/rest/api/2/issue' });
      expect(post?.headers.authorization).toBe(`Bearer ${PAT}`);
      expect(post?.body).toMatchObject({ fields: { description: '\\{code\\}x\\{code\\} \\[\\~admin\\]', assignee: { name: 'erin' } } });
    });

    it('when looking for an earlier ticket, then it uses the v2 search with the JQL in the query', async () => {
      server.handle(() => ({ json: { startAt: 0, maxResults: 5, total: 0, issues: [] } }));

      expect(await dc().findByMarker('ic-bb')).toBeUndefined();
      expect(server.requests[0]).toMatchObject({
        method: 'GET',
        path: '/jira/rest/api/2/search',
        query: { jql: 'project = "OPS" AND labels = "ic-bb"', fields: 'status,resolution' },
      });
    });

    it('when a user is looked up, then the v2 user search by username gives the name', async () => {
      server.handle(() => ({ json: [{ name: 'erin', key: 'JIRAUSER1', emailAddress: 'erin@acme.example', active: true }] }));

      expect(await dc().userForEmail('erin@acme.example')).toBe('erin');
      expect(server.requests[0]).toMatchObject({ path: '/jira/rest/api/2/user/search', query: { username: 'erin@acme.example' } });
    });

    it('when Jira answers 403, then the error is forbidden and the PAT is not in it', async () => {
      server.handle(() => ({ status: 403, json: { errorMessages: [`You do not have permission (token ${PAT})`], errors: {} } }));

      const error = await rejectionOf(dc().get('OPS-1'));
      expect(error).toMatchObject({ code: 'forbidden', transient: false });
      expect((error as Error).message).not.toContain(PAT);
    });
  });
});
