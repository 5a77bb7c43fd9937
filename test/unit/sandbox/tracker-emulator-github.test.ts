import { GitHubEmulator } from '../../../src/sandbox/tracker-emulator';
import { jsonCall, type Answer } from '../../support/json-call';

const TOKEN = 'github_pat_11AAAAAAA0secret';
const BEARER = `Bearer ${TOKEN}`;

interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: string;
  state_reason: string | null;
  html_url: string;
  url: string;
  labels: { name: string }[];
  assignees: { login: string }[];
  created_at: string;
  closed_at: string | null;
}
interface GitHubError {
  message: string;
  documentation_url: string;
  status: string;
  errors?: { resource: string; code: string; field: string; value?: unknown; message?: string }[];
}

describe('GitHubEmulator (Issues REST, driven with plain fetch)', () => {
  let github: GitHubEmulator;
  let clock: number;

  beforeEach(async () => {
    clock = Date.parse('2024-05-01T10:00:00Z');
    github = await GitHubEmulator.start({ token: TOKEN, repos: ['acme/ops', 'acme/web'], users: ['Octocat', 'hubot'], now: () => clock });
  });
  afterEach(() => github.stop());

  function call<T>(method: string, path: string, body?: unknown, authorization: string | null = BEARER): Promise<Answer<T>> {
    return jsonCall<T>(github.apiUrl, method, path, body, authorization);
  }

  function create(body: Record<string, unknown>, repo = 'acme/ops'): Promise<Answer<Issue & GitHubError>> {
    return call('POST', `/repos/${repo}/issues`, { title: 'Checkout is down', ...body });
  }

  it("when the bot creates an issue, then it answers 201 with GitHub's shape and reading it back matches", async () => {
    const created = await create({ body: 'Details\n\n<!-- incident-commander: inc-1 -->', labels: ['incident', 'sev1'], assignees: ['octocat'] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      number: 1,
      title: 'Checkout is down',
      body: 'Details\n\n<!-- incident-commander: inc-1 -->',
      state: 'open',
      state_reason: null,
      html_url: `${github.apiUrl}/web/acme/ops/issues/1`,
      url: `${github.apiUrl}/repos/acme/ops/issues/1`,
      labels: [{ name: 'incident' }, { name: 'sev1' }],
      assignees: [{ login: 'Octocat' }],
      created_at: '2024-05-01T10:00:00Z',
      closed_at: null,
    });
    expect(created.json.id).toEqual(expect.any(Number));
    const read = await call<Issue>('GET', '/repos/acme/ops/issues/1');
    expect(read.json).toEqual(created.json);
    expect(github.issues('acme/ops')).toEqual([
      {
        repo: 'acme/ops',
        id: created.json.id,
        number: 1,
        title: 'Checkout is down',
        body: 'Details\n\n<!-- incident-commander: inc-1 -->',
        state: 'open',
        stateReason: null,
        labels: ['incident', 'sev1'],
        assignees: ['Octocat'],
        createdAt: '2024-05-01T10:00:00Z',
      },
    ]);
    expect((await create({}, 'acme/web')).json.number).toBe(1);
    expect(github.issues()).toHaveLength(2);
  });

  it('when labels differ only in case from existing ones, then the existing label is reused', async () => {
    await create({ labels: ['Incident'] });
    const second = await create({ labels: ['incident', 'INCIDENT', 'new-one'] });
    expect(second.json.labels.map((l) => l.name)).toEqual(['Incident', 'new-one']);
  });

  it.each([
    ['no title', { title: undefined }, [{ resource: 'Issue', code: 'missing_field', field: 'title' }]],
    ['an empty title', { title: '' }, [{ resource: 'Issue', code: 'missing_field', field: 'title' }]],
    ['a title over 256 characters', { title: 't'.repeat(257) }, [{ resource: 'Issue', code: 'custom', field: 'title', message: 'title is too long (maximum is 256 characters)' }]],
    ['an unknown assignee', { assignees: ['octocat', 'mallory'] }, [{ value: 'mallory', resource: 'Issue', field: 'assignees', code: 'invalid' }]],
    [
      'a body over 65536 characters',
      { body: 'b'.repeat(65537) },
      [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
    ],
  ])('when the create has %s, then GitHub answers 422 Validation Failed and creates nothing', async (_name, body, errors) => {
    const answer = await create(body);
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ message: 'Validation Failed', errors, documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue', status: '422' });
    expect(github.issues()).toEqual([]);
  });

  it('when a title is exactly 256 characters, then it is accepted', async () => {
    expect((await create({ title: 't'.repeat(256) })).status).toBe(201);
  });

  it('when the repository or issue does not exist, then GitHub answers 404 Not Found', async () => {
    const repo = await create({}, 'acme/nope');
    expect(repo.status).toBe(404);
    expect(repo.json).toMatchObject({ message: 'Not Found', status: '404' });
    expect((await call<GitHubError>('GET', '/repos/acme/ops/issues/99')).json.message).toBe('Not Found');
  });

  it('when the body is not JSON, then GitHub answers 400 Problems parsing JSON', async () => {
    const res = await fetch(`${github.apiUrl}/repos/acme/ops/issues`, { method: 'POST', headers: { authorization: BEARER }, body: '{"title":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as GitHubError).message).toBe('Problems parsing JSON');
  });

  it('when issues are listed, then they are filtered by labels and state, newest first', async () => {
    await create({ title: 'one', labels: ['incident', 'a'] });
    await create({ title: 'two', labels: ['incident'] });
    await create({ title: 'three', labels: ['Incident', 'a'] });
    github.close('acme/ops', 2, 'completed');
    const list = (query: string) => call<Issue[]>('GET', `/repos/acme/ops/issues?${query}`);
    expect((await list('')).json.map((i) => i.title)).toEqual(['three', 'one']);
    expect((await list('state=all')).json.map((i) => i.title)).toEqual(['three', 'two', 'one']);
    expect((await list('state=closed')).json.map((i) => i.title)).toEqual(['two']);
    expect((await list('state=all&labels=incident,A')).json.map((i) => i.title)).toEqual(['three', 'one']);
    expect((await list('state=all&direction=asc&sort=created')).json.map((i) => i.title)).toEqual(['one', 'two', 'three']);
    expect((await list('state=sideways')).status).toBe(422);
  });

  it('when there are more issues than per_page, then a Link header with rel="next" leads to the next page', async () => {
    for (let i = 1; i <= 5; i++) await create({ title: `issue ${i}` });
    const first = await call<Issue[]>('GET', '/repos/acme/ops/issues?state=all&per_page=2');
    expect(first.json.map((i) => i.number)).toEqual([5, 4]);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/rel="next"/);
    expect(link).toMatch(/rel="last"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    expect(next.startsWith(github.apiUrl)).toBe(true);
    const second = await jsonCall<Issue[]>(next, 'GET', '', undefined, BEARER);
    expect(second.json.map((i) => i.number)).toEqual([3, 2]);
    const last = await call<Issue[]>('GET', '/repos/acme/ops/issues?state=all&per_page=2&page=3');
    expect(last.json.map((i) => i.number)).toEqual([1]);
    expect(last.headers.get('link') ?? '').not.toMatch(/rel="next"/);
    expect(last.headers.get('link') ?? '').toMatch(/rel="prev"/);
  });

  it('when sorted by updated, then the most recently changed issue comes first', async () => {
    await create({ title: 'old' });
    await create({ title: 'new' });
    clock += 1000;
    await call('PATCH', '/repos/acme/ops/issues/1', { body: 'edited' });
    const list = await call<Issue[]>('GET', '/repos/acme/ops/issues?sort=updated');
    expect(list.json.map((i) => i.title)).toEqual(['old', 'new']);
    expect((await call<Issue[]>('GET', '/repos/acme/ops/issues?sort=updated&direction=asc')).json.map((i) => i.title)).toEqual(['new', 'old']);
  });

  it('when the bot checks the repository or sends a malformed path, then it gets the repository or a 404', async () => {
    const repo = await call<{ full_name: string; has_issues: boolean }>('GET', '/repos/ACME/Ops');
    expect(repo.json).toMatchObject({ full_name: 'acme/ops', has_issues: true });
    expect((await call('GET', '/repos/acme/%E0%A4%A/issues')).status).toBe(404);
    expect((await call('GET', '/nothing/here')).status).toBe(404);
  });

  it('when per_page is missing or too big, then GitHub uses 30 and caps at 100', async () => {
    for (let i = 0; i < 31; i++) await create({});
    expect((await call<Issue[]>('GET', '/repos/acme/ops/issues')).json).toHaveLength(30);
    const capped = await call<Issue[]>('GET', '/repos/acme/ops/issues?per_page=500');
    expect(capped.json).toHaveLength(31);
    expect(capped.headers.get('link')).toBeNull();
  });

  it('when the bot closes and reopens with PATCH, then state and state_reason follow GitHub', async () => {
    await create({});
    clock += 60_000;
    const closed = await call<Issue>('PATCH', '/repos/acme/ops/issues/1', { state: 'closed', state_reason: 'not_planned' });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ state: 'closed', state_reason: 'not_planned', closed_at: '2024-05-01T10:01:00Z' });
    const reopened = await call<Issue>('PATCH', '/repos/acme/ops/issues/1', { state: 'open' });
    expect(reopened.json).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    const done = await call<Issue>('PATCH', '/repos/acme/ops/issues/1', { state: 'closed' });
    expect(done.json.state_reason).toBe('completed');
    expect((await call<GitHubError>('PATCH', '/repos/acme/ops/issues/1', { state: 'gone' })).status).toBe(422);
    expect((await call<GitHubError>('PATCH', '/repos/acme/ops/issues/1', { state_reason: 'bored' })).status).toBe(422);
  });

  it('when a person closes or reopens in the UI, then reads show it', async () => {
    await create({});
    github.close('acme/ops', 1, 'not_planned');
    expect((await call<Issue>('GET', '/repos/acme/ops/issues/1')).json).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    github.reopen('acme/ops', 1);
    expect((await call<Issue>('GET', '/repos/acme/ops/issues/1')).json).toMatchObject({ state: 'open', state_reason: 'reopened' });
    expect(() => github.close('acme/ops', 7, 'completed')).toThrow('No issue #7');
    expect(() => github.issues('acme/none')).toThrow('No repository acme/none');
  });

  it('when the token is missing or wrong, then every endpoint answers 401 Bad credentials; token and Bearer schemes both work', async () => {
    await create({});
    for (const authorization of [null, 'Bearer nope', `Basic ${TOKEN}`, TOKEN]) {
      for (const [method, path, body] of [
        ['GET', '/repos/acme/ops/issues/1'],
        ['GET', '/repos/acme/ops/issues'],
        ['POST', '/repos/acme/ops/issues', { title: 'Sneaky' }],
        ['PATCH', '/repos/acme/ops/issues/1', { state: 'closed' }],
      ] as const) {
        const answer = await call<GitHubError>(method, path, body, authorization);
        expect(answer.status).toBe(401);
        expect(answer.json).toEqual({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      }
    }
    expect((await call('GET', '/repos/acme/ops/issues/1', undefined, `token ${TOKEN}`)).status).toBe(200);
    expect(github.issues()[0].state).toBe('open');
  });

  it('when the primary rate limit is hit, then the answer is 403 with x-ratelimit-remaining 0 and the reset time', async () => {
    github.failNext({ method: 'GET' }, { rateLimited: { resetInSeconds: 120 } });
    const limited = await call<GitHubError>('GET', '/repos/acme/ops/issues');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(clock / 1000 + 120));
    expect(limited.json.message).toMatch(/^API rate limit exceeded/);
    github.failNext({}, { rateLimited: { resetInSeconds: 5, status: 429 } });
    expect((await call('GET', '/repos/acme/ops/issues')).status).toBe(429);
    const ok = await call('GET', '/repos/acme/ops/issues');
    expect(ok.status).toBe(200);
    expect(Number(ok.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
  });

  it("when the secondary rate limit is hit, then the answer is 403 with retry-after and GitHub's message, and nothing is created", async () => {
    github.failNext({ method: 'POST', pathIncludes: '/issues' }, { status: 403, retryAfter: '60' });
    const limited = await create({});
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.json.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect(github.issues()).toEqual([]);
  });

  it('when the answer to a create is lost after commit, then the issue exists and the next list finds it', async () => {
    github.failNext({ method: 'POST' }, { afterCommit: { status: 502 } });
    const lost = await create({ body: '<!-- incident-commander: inc-7 -->', labels: ['incident'] });
    expect(lost.status).toBe(502);
    expect(github.issues()).toHaveLength(1);
    const listed = await call<Issue[]>('GET', '/repos/acme/ops/issues?state=all&labels=incident');
    expect(listed.json.map((i) => i.body)).toEqual(['<!-- incident-commander: inc-7 -->']);
  });

  it('when requests are made, then calls record method, path and status but never the token', async () => {
    await create({});
    await call('GET', '/repos/acme/ops/issues?labels=incident', undefined, null);
    expect(github.calls).toEqual([
      { method: 'POST', path: '/repos/acme/ops/issues', status: 201 },
      { method: 'GET', path: '/repos/acme/ops/issues', status: 401 },
    ]);
    expect(JSON.stringify(github.calls)).not.toContain(TOKEN);
  });
});
