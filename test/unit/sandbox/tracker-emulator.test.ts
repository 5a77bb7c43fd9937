import { JiraEmulator } from '../../../src/sandbox/tracker-emulator';
import { jsonCall, type Answer } from '../../support/json-call';

const EMAIL = 'incident-bot@example.com';
const API_TOKEN = 'ATATT-jira-cloud-secret-0001';
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`;
const ALICE = { id: '5b10a2844c20165700ede21g', email: 'Alice@Example.com', displayName: 'Alice Ops' };

interface JiraErrors {
  errorMessages: string[];
  errors: Record<string, string>;
}
interface Created {
  id: string;
  key: string;
  self: string;
}
interface Issue {
  id: string;
  key: string;
  self: string;
  fields: {
    summary?: string;
    labels?: string[];
    description?: unknown;
    status?: { name: string; statusCategory: { key: string; name: string } };
    resolution?: null | { name: string };
    assignee?: null | { accountId: string; displayName: string; emailAddress: string };
  };
}
interface SearchPage {
  issues: Issue[];
  isLast: boolean;
  nextPageToken?: string;
}

function adf(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

describe('JiraEmulator, Cloud (REST v3, driven with plain fetch)', () => {
  let jira: JiraEmulator;

  beforeEach(async () => {
    jira = await JiraEmulator.start({ deployment: 'cloud', cloud: { email: EMAIL, apiToken: API_TOKEN }, users: [ALICE] });
  });
  afterEach(() => jira.stop());

  function call<T>(method: string, path: string, body?: unknown, authorization: string | null = BASIC): Promise<Answer<T>> {
    return jsonCall<T>(jira.baseUrl, method, path, body, authorization);
  }

  function create(fields: Record<string, unknown>): Promise<Answer<Created & JiraErrors>> {
    return call('POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Checkout is down', ...fields } });
  }

  function search(body: unknown): Promise<Answer<SearchPage & JiraErrors>> {
    return call('POST', '/rest/api/3/search/jql', body);
  }

  it('when the bot creates an issue, then it answers 201 with id, key and self, and reading it back gives v3 fields', async () => {
    const description = adf('Payments fail for 20% of users');
    const created = await create({ description, labels: ['incident', 'inc-42'], assignee: { accountId: ALICE.id } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: '10001', key: 'OPS-1', self: `${jira.baseUrl}/rest/api/3/issue/10001` });

    const read = await call<Issue>('GET', '/rest/api/3/issue/OPS-1');
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      id: '10001',
      key: 'OPS-1',
      self: `${jira.baseUrl}/rest/api/3/issue/10001`,
      fields: {
        summary: 'Checkout is down',
        labels: ['incident', 'inc-42'],
        description,
        status: { name: 'To Do', statusCategory: { key: 'new', name: 'To Do' } },
        resolution: null,
        assignee: { accountId: ALICE.id, displayName: 'Alice Ops', emailAddress: ALICE.email },
      },
    });
    expect((await call<Issue>('GET', '/rest/api/3/issue/10001')).json.key).toBe('OPS-1');
    expect(jira.issues()).toEqual([
      expect.objectContaining({
        id: '10001',
        key: 'OPS-1',
        projectKey: 'OPS',
        issueType: 'Task',
        summary: 'Checkout is down',
        description,
        labels: ['incident', 'inc-42'],
        assigneeId: ALICE.id,
        status: 'To Do',
        statusCategory: 'new',
      }),
    ]);
    expect(jira.issues()[0].resolution).toBeUndefined();
    expect(Date.parse(jira.issues()[0].createdAt)).not.toBeNaN();
  });

  it('when fields= lists fields, then only those are sent', async () => {
    await create({});
    const read = await call<Issue>('GET', '/rest/api/3/issue/OPS-1?fields=status,resolution');
    expect(Object.keys(read.json.fields).sort()).toEqual(['resolution', 'status']);
    const without = await call<Issue>('GET', '/rest/api/3/issue/OPS-1?fields=*all,-description');
    expect(without.json.fields.description).toBeUndefined();
    expect(without.json.fields.summary).toBe('Checkout is down');
  });

  it("when keys count up per project and an issue is deleted, then reads answer Jira's 404 and the key is not reused", async () => {
    await create({});
    await create({});
    jira.deleteIssue('OPS-1');
    const gone = await call<JiraErrors>('GET', '/rest/api/3/issue/OPS-1');
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    expect((await create({})).json.key).toBe('OPS-3');
    expect(jira.issues().map((i) => i.key)).toEqual(['OPS-2', 'OPS-3']);
  });

  it('when a person transitions the issue, then reads show the status, category and resolution', async () => {
    await create({});
    jira.transition('OPS-1', { status: 'Done', category: 'done', resolution: "Won't Do" });
    const read = await call<Issue>('GET', '/rest/api/3/issue/OPS-1?fields=status,resolution');
    expect(read.json.fields).toMatchObject({ status: { name: 'Done', statusCategory: { key: 'done', name: 'Done' } }, resolution: { name: "Won't Do" } });
    jira.transition('OPS-1', { status: 'In Progress', category: 'indeterminate' });
    const reopened = await call<Issue>('GET', '/rest/api/3/issue/OPS-1?fields=status,resolution');
    expect(reopened.json.fields).toMatchObject({ status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } }, resolution: null });
    expect(jira.issues()[0]).toMatchObject({ status: 'In Progress', statusCategory: 'indeterminate' });
    expect(() => jira.transition('OPS-9', { status: 'Done', category: 'done' })).toThrow('No issue OPS-9');
  });

  it.each([
    ['a missing summary', { summary: undefined }, { summary: 'You must specify a summary of the issue.' }],
    ['a blank summary', { summary: '   ' }, { summary: 'You must specify a summary of the issue.' }],
    ['a summary over 255 characters', { summary: 'x'.repeat(256) }, { summary: "Summary can't exceed 255 characters." }],
    ['a summary with a newline', { summary: 'a\nb' }, { summary: 'The summary is invalid because it contains newline characters.' }],
    ['an unknown project', { project: { key: 'NOPE' } }, { project: 'Specify a valid project ID or key' }],
    ['an unknown issue type', { issuetype: { name: 'Epic' } }, { issuetype: 'The issue type selected is invalid.' }],
    ['an issue type in the wrong case', { issuetype: { name: 'task' } }, { issuetype: 'The issue type selected is invalid.' }],
    ['a label with a space', { labels: ['two words'] }, { labels: "The label 'two words' contains spaces which is invalid." }],
    ['a label over 255 characters', { labels: ['y'.repeat(256)] }, { labels: `The label '${'y'.repeat(256)}' exceeds the maximum length for a single label of 255 characters.` }],
    ['labels that are not a list', { labels: 'incident' }, { labels: 'data was not an array' }],
    ['an unknown assignee', { assignee: { accountId: 'nobody' } }, { assignee: 'Account ID nobody does not exist.' }],
    ['a Data Center style assignee', { assignee: { name: 'alice' } }, { assignee: "expected Object containing an 'accountId' property" }],
    ['a plain-string description', { description: 'Checkout is down' }, { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' }],
    ['a field Jira would not let it set', { priority: { name: 'High' } }, { priority: "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown." }],
  ])('when the create has %s, then Jira answers 400 naming the field and creates nothing', async (_name, fields, errors) => {
    const answer = await create(fields);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errorMessages: [], errors });
    expect(jira.issues()).toEqual([]);
  });

  it('when the description is not valid ADF, then the 400 names the problem path', async () => {
    const answer = await create({ description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] } });
    expect(answer.status).toBe(400);
    expect(answer.json.errors.description).toBe(
      'The field value is not valid Atlassian Document Format (ADF) content. (emulator: doc.content[0].content[0].text: must not be empty)',
    );
  });

  it('when several fields are wrong, then each is reported at once', async () => {
    const answer = await create({ summary: '', labels: ['a b'] });
    expect(Object.keys(answer.json.errors).sort()).toEqual(['labels', 'summary']);
  });

  it('when the body is not JSON or not sent as JSON, then Jira answers 400 or 415', async () => {
    const bad = await fetch(`${jira.baseUrl}/rest/api/3/issue`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{"fields":' });
    expect(bad.status).toBe(400);
    const form = await fetch(`${jira.baseUrl}/rest/api/3/issue`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('when the bot searches by project and marker label, then /search/jql finds the issue with the fields asked for', async () => {
    await create({ labels: ['inc-1'] });
    await create({ labels: ['inc-2', 'incident'] });
    const found = await search({ jql: 'project = "OPS" AND labels = "inc-2"', fields: ['status', 'resolution'], maxResults: 5 });
    expect(found.status).toBe(200);
    expect(found.json.isLast).toBe(true);
    expect(found.json.issues.map((i) => [i.key, Object.keys(i.fields).sort()])).toEqual([['OPS-2', ['resolution', 'status']]]);

    expect((await search({ jql: 'project = OPS AND labels = incident' })).json.issues.map((i) => i.id)).toEqual(['10002']);
    expect((await search({ jql: 'project = OPS AND labels = nothing', fields: ['summary'] })).json.issues).toEqual([]);
    const both = await search({ jql: 'key in (OPS-1, "OPS-2")', fields: ['summary'] });
    expect(both.json.issues.map((i) => i.key)).toEqual(['OPS-2', 'OPS-1']);
    expect((await search({ jql: 'project = OPS ORDER BY key ASC', fields: ['summary'] })).json.issues.map((i) => i.key)).toEqual(['OPS-1', 'OPS-2']);
    const viaGet = await call<SearchPage>('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('labels = inc-1')}&fields=summary`);
    expect(viaGet.json.issues.map((i) => i.fields.summary)).toEqual(['Checkout is down']);
  });

  it('when no fields are asked for, then /search/jql sends only ids, as Cloud does', async () => {
    await create({});
    expect((await search({ jql: 'project = OPS' })).json.issues).toEqual([{ id: '10001' }]);
  });

  it('when there are more results than maxResults, then pages follow nextPageToken until isLast', async () => {
    for (let i = 0; i < 3; i++) await create({});
    const first = await search({ jql: 'project = OPS', fields: ['summary'], maxResults: 2 });
    expect(first.json.isLast).toBe(false);
    expect(first.json.issues.map((i) => i.key)).toEqual(['OPS-3', 'OPS-2']);
    const second = await search({ jql: 'project = OPS', fields: ['summary'], maxResults: 2, nextPageToken: first.json.nextPageToken });
    expect(second.json).toMatchObject({ isLast: true });
    expect(second.json.nextPageToken).toBeUndefined();
    expect(second.json.issues.map((i) => i.key)).toEqual(['OPS-1']);
  });

  it.each([
    ['OR', 'project = OPS OR labels = x', 'Error in the JQL Query: the emulator supports only'],
    [
      'another field',
      'status = Done',
      "Error in the JQL Query: the emulator supports only project, labels and key clauses (= or in) joined by AND, with ORDER BY created, updated or key; not the field 'status'.",
    ],
    ['another operator', 'labels != x', "not the operator '!='"],
    [
      'a reserved character',
      'labels = a@b',
      "Error in the JQL Query: The character '@' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0040' instead. (line 1, character 11)",
    ],
    ['a missing AND', 'project = OPS labels = x', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'labels'. (line 1, character 15)"],
    ['an unclosed string', 'labels = "x', "Error in the JQL Query: The quoted string 'x' has not been completed. (line 1, character 10)"],
    ['an unknown project', 'project = NOPE', "The value 'NOPE' does not exist for the field 'project'."],
    ['a key that does not exist', 'key in (OPS-77)', "An issue with key 'OPS-77' does not exist for field 'key'."],
    ['no restriction', '', 'Unbounded JQL queries are not allowed here.'],
  ])("when the JQL has %s, then /search/jql answers 400 with Jira's message", async (_name, jql, message) => {
    const answer = await search({ jql, fields: ['summary'] });
    expect(answer.status).toBe(400);
    expect(answer.json.errorMessages).toEqual([expect.stringContaining(message)]);
    expect(answer.json.errors).toEqual({});
  });

  it('when the issue reference is malformed or the resource unknown, then Jira answers 404, not an emulator error', async () => {
    expect((await call('GET', '/rest/api/3/issue/%E0%A4%A')).status).toBe(404);
    expect((await call('GET', '/rest/api/3/project')).status).toBe(404);
    expect((await call('DELETE', '/rest/api/3/issue/OPS-1')).status).toBe(405);
  });

  it('when the bot uses the removed classic search, then Cloud answers 410 pointing at /search/jql', async () => {
    for (const path of ['/rest/api/3/search?jql=project%3DOPS', '/rest/api/2/search?jql=project%3DOPS']) {
      const answer = await call<JiraErrors>('GET', path);
      expect(answer.status).toBe(410);
      expect(answer.json.errorMessages[0]).toContain('Please migrate to the /rest/api/3/search/jql API');
    }
  });

  it('when the bot looks a user up by e-mail, then only an exact (case-insensitive) match is returned', async () => {
    const found = await call<unknown[]>('GET', '/rest/api/3/user/search?query=alice%40example.COM');
    expect(found.status).toBe(200);
    expect(found.json).toEqual([expect.objectContaining({ accountId: ALICE.id, emailAddress: ALICE.email, displayName: 'Alice Ops', active: true })]);
    expect((await call<unknown[]>('GET', '/rest/api/3/user/search?query=alice')).json).toEqual([]);
    expect((await call<unknown[]>('GET', '/rest/api/3/user/search?query=bob%40example.com')).json).toEqual([]);
  });

  it("when the bot asks who it is, then /myself names the token's account", async () => {
    const me = await call<{ accountId: string; emailAddress: string; active: boolean }>('GET', '/rest/api/3/myself');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ emailAddress: EMAIL, active: true, accountId: expect.any(String) });
  });

  it('when credentials are missing or wrong, then every endpoint answers 401 without echoing them', async () => {
    await create({});
    const wrong = [
      null,
      `Basic ${Buffer.from(`${EMAIL}:nope`).toString('base64')}`,
      `Bearer ${API_TOKEN}`,
      `Basic ${Buffer.from(`other@example.com:${API_TOKEN}`).toString('base64')}`,
    ];
    for (const authorization of wrong) {
      for (const [method, path, body] of [
        ['GET', '/rest/api/3/issue/OPS-1'],
        ['POST', '/rest/api/3/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Sneaky' } }],
        ['POST', '/rest/api/3/search/jql', { jql: 'project = OPS' }],
        ['GET', '/rest/api/3/user/search?query=alice%40example.com'],
        ['GET', '/rest/api/3/myself'],
      ] as const) {
        const answer = await call(method, path, body, authorization);
        expect(answer.status).toBe(401);
        expect(answer.text).not.toContain(API_TOKEN);
        expect(answer.text).not.toContain(EMAIL);
      }
    }
    const none = await call('GET', '/rest/api/3/myself', undefined, null);
    expect(none.text).toBe('Client must be authenticated to access this resource.');
    const bad = await call('GET', '/rest/api/3/myself', undefined, `Basic ${Buffer.from(`${EMAIL}:nope`).toString('base64')}`);
    expect(bad.text).toContain('Basic authentication with passwords is deprecated.');
    expect(jira.issues()).toHaveLength(1);
  });

  it('when a failure is scheduled, then the matching request gets it before anything is applied', async () => {
    jira.failNext({ method: 'POST', pathIncludes: '/issue' }, { status: 429, retryAfter: '7' });
    const limited = await create({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json.errorMessages).toEqual(['Rate limit exceeded.']);
    expect(jira.issues()).toEqual([]);
    expect((await create({})).status).toBe(201);
  });

  it('when failures are scheduled several times or with a body, then they are used in order and only for matching requests', async () => {
    jira.failNext({ pathIncludes: 'labels' }, { status: 503 }, 2);
    jira.failNext({ method: 'GET' }, { status: 500, body: 'upstream exploded' });
    const page = (jql: string) => call<SearchPage>('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`);
    expect((await page('labels = a')).status).toBe(503);
    expect((await page('project = OPS')).text).toBe('upstream exploded');
    expect((await page('labels = a')).status).toBe(503);
    expect((await page('labels = a')).status).toBe(200);
    expect(() => jira.failNext({}, { status: 500 }, 0)).toThrow('times must be a positive integer');
  });

  it('when the answer is lost after commit, then the issue exists but the bot got the error', async () => {
    jira.failNext({ method: 'POST', pathIncludes: '/rest/api/3/issue' }, { afterCommit: { status: 504 } });
    const lost = await create({ labels: ['inc-9'] });
    expect(lost.status).toBe(504);
    expect(jira.issues().map((i) => [i.key, i.labels])).toEqual([['OPS-1', ['inc-9']]]);
    const found = await search({ jql: 'project = OPS AND labels = inc-9', fields: ['status'] });
    expect(found.json.issues.map((i) => i.key)).toEqual(['OPS-1']);
  });

  it('when requests are made, then calls record method, path and status but never credentials or queries', async () => {
    await create({});
    await call('GET', '/rest/api/3/user/search?query=alice%40example.com');
    await call('GET', '/rest/api/3/myself', undefined, null);
    expect(jira.calls).toEqual([
      { method: 'POST', path: '/rest/api/3/issue', status: 201 },
      { method: 'GET', path: '/rest/api/3/user/search', status: 200 },
      { method: 'GET', path: '/rest/api/3/myself', status: 401 },
    ]);
    const recorded = JSON.stringify(jira.calls);
    for (const secret of [API_TOKEN, BASIC, Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64'), 'alice']) expect(recorded).not.toContain(secret);
  });

  it('when a remote link is posted twice with one global id, then the second updates the first (200), and a link without a title is refused', async () => {
    await create({});
    const link = { globalId: 'incident-commander:inc-1:postmortem', relationship: 'postmortem', object: { url: 'https://wiki.example/pages/1', title: 'Postmortem: INC-1' } };

    const first = await call<{ id: number; self: string }>('POST', '/rest/api/3/issue/OPS-1/remotelink', link);
    const second = await call<{ id: number; self: string }>('POST', '/rest/api/3/issue/ops-1/remotelink', {
      ...link,
      object: { url: 'https://wiki.example/pages/2', title: 'Postmortem: INC-1 (moved)' },
    });
    const other = await call<{ id: number }>('POST', '/rest/api/3/issue/OPS-1/remotelink', { object: { url: 'https://runbooks.example/x', title: 'Runbook' } });

    expect([first.status, second.status, other.status]).toEqual([201, 200, 201]);
    expect(second.json).toEqual(first.json);
    expect(first.json.self).toBe(`${jira.baseUrl}/rest/api/3/issue/OPS-1/remotelink/${first.json.id}`);
    expect(jira.issues()[0]?.remoteLinks).toEqual([
      { id: first.json.id, globalId: link.globalId, relationship: 'postmortem', url: 'https://wiki.example/pages/2', title: 'Postmortem: INC-1 (moved)' },
      { id: other.json.id, url: 'https://runbooks.example/x', title: 'Runbook' },
    ]);
    const listed = await call<unknown[]>('GET', `/rest/api/3/issue/OPS-1/remotelink?globalId=${encodeURIComponent(link.globalId)}`);
    expect(listed.json).toMatchObject({ globalId: link.globalId, object: { url: 'https://wiki.example/pages/2' } });

    const untitled = await call<JiraErrors>('POST', '/rest/api/3/issue/OPS-1/remotelink', { object: { url: 'https://wiki.example' } });
    expect(untitled.status).toBe(400);
    expect(Object.keys(untitled.json.errors)).toEqual(['title']);
    expect((await call<JiraErrors>('POST', '/rest/api/3/issue/OPS-404/remotelink', link)).status).toBe(404);
  });

  it('when started without Cloud credentials or with a context path, then it refuses', async () => {
    await expect(JiraEmulator.start({ deployment: 'cloud' })).rejects.toThrow('cloud: { email, apiToken }');
    await expect(JiraEmulator.start({ deployment: 'cloud', cloud: { email: EMAIL, apiToken: API_TOKEN }, contextPath: '/jira' })).rejects.toThrow('no context path');
    await expect(JiraEmulator.start({ deployment: 'cloud', cloud: { email: EMAIL, apiToken: API_TOKEN }, projects: [{ key: 'ops' }] })).rejects.toThrow('project keys');
  });
});
