import { JiraEmulator } from '../../../src/sandbox/tracker-emulator';
import { jsonCall, type Answer } from '../../support/json-call';

const PAT = 'NjM4OTk5OTk5OTk5OkRDLXNlY3JldC1wYXQ=';
const BEARER = `Bearer ${PAT}`;
const BOB = { id: 'bob.smith', email: 'bob@example.com', displayName: 'Bob Smith' };

interface JiraErrors {
  errorMessages: string[];
  errors: Record<string, string>;
}
interface Issue {
  id: string;
  key: string;
  self: string;
  fields: Record<string, unknown>;
}
interface SearchPage {
  startAt: number;
  maxResults: number;
  total: number;
  issues: Issue[];
}

describe('JiraEmulator, Data Center (REST v2 below a context path)', () => {
  let jira: JiraEmulator;

  beforeEach(async () => {
    jira = await JiraEmulator.start({
      deployment: 'datacenter',
      datacenter: { personalAccessToken: PAT },
      contextPath: '/jira/',
      projects: [
        { key: 'OPS', issueTypes: ['Task'] },
        { key: 'SEC', issueTypes: ['Incident'] },
      ],
      users: [BOB],
    });
  });
  afterEach(() => jira.stop());

  function call<T>(method: string, path: string, body?: unknown, authorization: string | null = BEARER): Promise<Answer<T>> {
    return jsonCall<T>(jira.baseUrl, method, path, body, authorization);
  }

  function create(fields: Record<string, unknown>): Promise<Answer<{ id: string; key: string; self: string } & JiraErrors>> {
    return call('POST', '/rest/api/2/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Checkout is down', ...fields } });
  }

  it('when the base URL includes the context path, then the API lives below it and self links use it', async () => {
    expect(jira.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/jira$/);
    const created = await create({ description: 'h1. Summary\n\\*not bold\\*', labels: ['incident'], assignee: { name: 'BOB.SMITH' } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: '10001', key: 'OPS-1', self: `${jira.baseUrl}/rest/api/2/issue/10001` });
    const read = await call<Issue>('GET', '/rest/api/2/issue/ops-1');
    expect(read.json.fields).toMatchObject({
      summary: 'Checkout is down',
      description: 'h1. Summary\n\\*not bold\\*',
      labels: ['incident'],
      status: { name: 'Open', statusCategory: { key: 'new' } },
      resolution: null,
      assignee: { name: 'bob.smith', key: expect.stringMatching(/^JIRAUSER\d+$/), emailAddress: 'bob@example.com', displayName: 'Bob Smith', active: true },
    });
    expect(jira.issues()[0]).toMatchObject({ description: 'h1. Summary\n\\*not bold\\*', assigneeId: 'bob.smith', status: 'Open' });
    const outside = await jsonCall(jira.baseUrl.replace(/\/jira$/, ''), 'GET', '/rest/api/2/myself', undefined, BEARER);
    expect(outside.status).toBe(404);
  });

  it.each([
    ['an ADF description', { description: { type: 'doc', version: 1, content: [] } }, { description: 'Operation value must be a string' }],
    ['a Cloud style assignee', { assignee: { accountId: 'abc' } }, { assignee: "expected Object containing a 'name' property" }],
    ['an unknown assignee', { assignee: { name: 'carol' } }, { assignee: "User 'carol' does not exist." }],
    ['a summary over 255 characters', { summary: 's'.repeat(256) }, { summary: 'Summary must be less than 255 characters.' }],
    ['no project', { project: undefined }, { project: 'project is required' }],
    ["another project's issue type", { issuetype: { name: 'Incident' } }, { issuetype: 'The issue type selected is invalid.' }],
  ])('when the create has %s, then Data Center answers 400 naming the field', async (_name, fields, errors) => {
    const answer = await create(fields);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errorMessages: [], errors });
    expect(jira.issues()).toEqual([]);
  });

  it('when projects differ, then keys count per project and ids are global', async () => {
    await create({});
    const sec = await create({ project: { key: 'SEC' }, issuetype: { name: 'Incident' } });
    expect(sec.json).toMatchObject({ id: '10002', key: 'SEC-1' });
    expect((await create({})).json).toMatchObject({ id: '10003', key: 'OPS-2' });
  });

  it('when the bot searches with GET /search, then the answer has startAt, maxResults, total and the fields asked for', async () => {
    await create({ labels: ['inc-1'] });
    await create({ labels: ['inc-1'] });
    await create({ labels: ['inc-2'] });
    const jql = encodeURIComponent('project = "OPS" AND labels = "inc-1"');
    const found = await call<SearchPage>('GET', `/rest/api/2/search?jql=${jql}&fields=status,resolution&maxResults=1`);
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ startAt: 0, maxResults: 1, total: 2 });
    expect(found.json.issues.map((i) => [i.key, Object.keys(i.fields).sort()])).toEqual([['OPS-2', ['resolution', 'status']]]);
    const next = await call<SearchPage>('GET', `/rest/api/2/search?jql=${jql}&startAt=1&maxResults=1`);
    expect(next.json.issues.map((i) => i.key)).toEqual(['OPS-1']);
    // Without fields= Data Center sends the navigable fields.
    expect(next.json.issues[0].fields.summary).toBe('Checkout is down');
    const posted = await call<SearchPage>('POST', '/rest/api/2/search', { jql: 'key in (OPS-3)', fields: ['labels'] });
    expect(posted.json.issues.map((i) => i.fields.labels)).toEqual([['inc-2']]);
    const bad = await call<JiraErrors>('GET', `/rest/api/2/search?jql=${encodeURIComponent('project = OPS OR project = SEC')}`);
    expect(bad.status).toBe(400);
    expect(bad.json.errorMessages[0]).toMatch(/^Error in the JQL Query: /);
  });

  it('when an issue is deleted, then search no longer finds it by label', async () => {
    await create({ labels: ['inc-5'] });
    jira.deleteIssue('OPS-1');
    const found = await call<SearchPage>('GET', `/rest/api/2/search?jql=${encodeURIComponent('labels = inc-5')}`);
    expect(found.json).toMatchObject({ total: 0, issues: [] });
  });

  it('when the bot looks up a user by e-mail or name, then username= matches either exactly', async () => {
    for (const username of ['bob%40example.com', 'BOB%40EXAMPLE.COM', 'bob.smith']) {
      const found = await call<unknown[]>('GET', `/rest/api/2/user/search?username=${username}`);
      expect(found.json).toEqual([
        expect.objectContaining({ name: 'bob.smith', emailAddress: 'bob@example.com', displayName: 'Bob Smith', active: true, key: expect.any(String) }),
      ]);
    }
    expect((await call<unknown[]>('GET', '/rest/api/2/user/search?username=bo')).json).toEqual([]);
    const missing = await call<JiraErrors>('GET', '/rest/api/2/user/search');
    expect(missing.status).toBe(400);
  });

  it('when the bot asks who it is, then /myself answers with a user name', async () => {
    const me = await call<{ name: string }>('GET', '/rest/api/2/myself');
    expect(me.status).toBe(200);
    expect(me.json.name).toEqual(expect.any(String));
  });

  it('when the PAT is missing or wrong, or sent as Basic, then Data Center answers 401 without echoing it', async () => {
    for (const authorization of [null, 'Bearer wrong-token', `Basic ${Buffer.from(`bob:${PAT}`).toString('base64')}`]) {
      for (const path of ['/rest/api/2/myself', '/rest/api/2/issue/OPS-1', `/rest/api/2/search?jql=project%3DOPS`]) {
        const answer = await call('GET', path, undefined, authorization);
        expect(answer.status).toBe(401);
        expect(answer.text).not.toContain(PAT);
      }
    }
    const none = await call<JiraErrors>('GET', '/rest/api/2/myself', undefined, null);
    expect(none.json.errorMessages).toEqual(['You are not authenticated. Authentication required to perform this operation.']);
    const wrong = await call('GET', '/rest/api/2/myself', undefined, 'Bearer wrong');
    expect(wrong.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
  });

  it('when the Cloud API version is used against Data Center, then it is not there', async () => {
    expect((await call('GET', '/rest/api/3/myself')).status).toBe(404);
  });

  it('when a failure is scheduled after commit on Data Center, then the issue is created and the answer is the error', async () => {
    jira.failNext({ method: 'POST' }, { afterCommit: { status: 502 } });
    const lost = await create({});
    expect(lost.status).toBe(502);
    expect(lost.text).toContain('502 Bad Gateway');
    expect(jira.issues()).toHaveLength(1);
    expect(jira.calls).toEqual([{ method: 'POST', path: '/jira/rest/api/2/issue', status: 502 }]);
    expect(JSON.stringify(jira.calls)).not.toContain(PAT);
  });

  it('when started without a PAT, then it refuses', async () => {
    await expect(JiraEmulator.start({ deployment: 'datacenter' })).rejects.toThrow('personalAccessToken');
  });
});
