import { GitHubTracker, markerComment } from '../../../../src/integrations/tracker/github';
import { type LocalServer, recordingSleep, rejectionOf, sequence, startLocalServer } from '../confluence/local-server';

const TOKEN = 'ghp_secretsecretsecret1234';

function gh(number: number, state: 'open' | 'closed', extra: Record<string, unknown> = {}) {
  return {
    id: number * 100,
    number,
    title: 't',
    body: '',
    state,
    state_reason: null,
    html_url: `https://github.example/acme/ops/issues/${number}`,
    labels: [],
    assignees: [],
    ...extra,
  };
}

describe('GitHub Issues adapter', () => {
  let server: LocalServer;
  let recorder: ReturnType<typeof recordingSleep>;
  beforeEach(async () => {
    server = await startLocalServer();
    recorder = recordingSleep();
  });
  afterEach(() => server.close());

  const tracker = () => new GitHubTracker({ apiUrl: server.url, repository: 'acme/ops', token: TOKEN, findLabel: 'incident-follow-up' }, { sleep: recorder.sleep });

  it('when a ticket is created, then the body is escaped Markdown ending with the marker comment, with the API version headers', async () => {
    server.handle(() => ({ status: 201, json: gh(42, 'open') }));

    const created = await tracker().create({
      summary: 'Rotate keys',
      description: [{ text: '@channel look #1' }],
      marker: 'ic-1',
      labels: ['incident-follow-up'],
      assignee: 'erin',
    });

    expect(created).toEqual({ key: '#42', url: 'https://github.example/acme/ops/issues/42', state: 'open', statusName: 'open' });
    const [post] = server.requests;
    expect(post).toMatchObject({ method: 'POST', path: '/repos/acme/ops/issues' });
    expect(post?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' });
    expect(post?.body).toEqual({ title: 'Rotate keys', body: `\\@channel look \\#1\n\n${markerComment('ic-1')}`, labels: ['incident-follow-up'], assignees: ['erin'] });
  });

  it('when looking for an earlier ticket, then it walks the labelled issues page by page and skips pull requests', async () => {
    const wanted = markerComment('ic-7');
    server.handle(
      sequence(
        { json: [gh(9, 'open', { body: wanted, pull_request: {} }), gh(8, 'open')], headers: { Link: `<${'x'}?page=2>; rel="next"` } },
        { json: [gh(7, 'closed', { body: `text\n\n${wanted}`, state_reason: 'completed' })] },
      ),
    );

    expect(await tracker().findByMarker('ic-7')).toMatchObject({ key: '#7', state: 'done' });
    expect(server.requests.map((r) => r.query)).toEqual([
      { state: 'all', per_page: '100', page: '1', sort: 'created', direction: 'desc', labels: 'incident-follow-up' },
      { state: 'all', per_page: '100', page: '2', sort: 'created', direction: 'desc', labels: 'incident-follow-up' },
    ]);
  });

  it('when nothing carries the marker and there is no next page, then nothing is found', async () => {
    server.handle(() => ({ json: [gh(1, 'open')] }));
    expect(await tracker().findByMarker('ic-none')).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it("when an issue is closed as not planned, then it is won't do; a missing one is undefined", async () => {
    server.handle(sequence({ json: gh(3, 'closed', { state_reason: 'not_planned' }) }, { status: 404, json: { message: 'Not Found' } }));

    expect(await tracker().get('#3')).toMatchObject({ state: 'wont_do', statusName: 'closed (not_planned)' });
    expect(await tracker().get('#4')).toBeUndefined();
    expect(await tracker().get('OPS-1')).toBeUndefined();
  });

  it('when GitHub says the rate limit is exhausted with a 403, then it is retried after the reset', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 5;
    server.handle(
      sequence(
        { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, json: { message: 'API rate limit exceeded' } },
        { json: gh(3, 'open') },
      ),
    );

    expect((await tracker().get('#3'))?.key).toBe('#3');
    expect(recorder.waits).toHaveLength(1);
    expect(recorder.waits[0]).toBeGreaterThan(3000);
    expect(recorder.waits[0]).toBeLessThanOrEqual(6000);
  });

  it('when the token is bad, then the error is unauthorized and the token is not in it', async () => {
    server.handle(() => ({ status: 401, json: { message: `Bad credentials ${TOKEN}`, documentation_url: 'https://docs.github.com/rest' } }));

    const error = await rejectionOf(tracker().get('#1'));
    expect(error).toMatchObject({ code: 'unauthorized', transient: false });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('when GitHub refuses the fields with 422, then it is bad_request naming the field', async () => {
    server.handle(() => ({ status: 422, json: { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'invalid', field: 'assignees' }] } }));

    expect(await rejectionOf(tracker().create({ summary: 'x', description: [], marker: 'm', labels: [] }))).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('assignees: invalid'),
    });
  });
});
