import { CloudPages } from '../../../../src/integrations/confluence/cloud-pages';
import { ConfluenceError } from '../../../../src/ports/confluence';
import { type LocalServer, type Recorded, type Reply, recordingSleep, rejectionOf, startLocalServer } from './local-server';

const EMAIL = 'ic-bot@acme.test';
const TOKEN = 'ATATT3xFfGF0-cloud-token-value';
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;

const SPACES = { results: [{ id: '98304', key: 'OPS', name: 'Operations', type: 'global', status: 'current' }], _links: {} };

function page(id: string, title: string, version: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    status: 'current',
    title,
    spaceId: '98304',
    parentId: '777',
    version: { number: version, message: '', minorEdit: false, authorId: 'abc', createdAt: '2025-01-01T00:00:00.000Z' },
    body: { storage: { representation: 'storage', value: '<p>old</p>' } },
    _links: { webui: `/spaces/OPS/pages/${id}/${title.replace(/ /g, '+')}`, editui: `/pages/resumedraft.action?draftId=${id}`, tinyui: '/x/AbC' },
    ...extra,
  };
}

describe('Confluence Cloud pages (REST API v2)', () => {
  let server: LocalServer;
  let pages: CloudPages;
  const recorder = recordingSleep();

  function route(replies: Record<string, Reply | ((r: Recorded) => Reply)>): void {
    server.handle((request) => {
      const reply = replies[`${request.method} ${request.path}`];
      if (!reply) return { status: 404, json: { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] } };
      return typeof reply === 'function' ? reply(request) : reply;
    });
  }

  beforeEach(async () => {
    server = await startLocalServer();
    recorder.waits.length = 0;
    pages = new CloudPages({ baseUrl: server.url, spaceKey: 'OPS', parentPageId: '777', email: EMAIL, apiToken: TOKEN }, { sleep: recorder.sleep });
  });
  afterEach(() => server.close());

  it('when a page is created, then the space key is resolved to its id and the v2 create body is posted with Basic auth', async () => {
    route({
      'GET /wiki/api/v2/spaces': { json: SPACES },
      'POST /wiki/api/v2/pages': { json: page('1234', 'INC-7 Checkout down', 1, { _links: { webui: '/spaces/OPS/pages/1234/INC-7', base: 'https://acme.atlassian.net/wiki' } }) },
    });

    const created = await pages.createPage({ title: 'INC-7 Checkout down', body: '<h1>Summary</h1>' });

    expect(created).toEqual({ id: '1234', title: 'INC-7 Checkout down', version: 1, url: 'https://acme.atlassian.net/wiki/spaces/OPS/pages/1234/INC-7' });
    const [lookup, post] = server.requests;
    expect(lookup).toMatchObject({ method: 'GET', path: '/wiki/api/v2/spaces', rawQuery: 'keys=OPS' });
    expect(post).toMatchObject({ method: 'POST', path: '/wiki/api/v2/pages', rawQuery: '' });
    expect(post.body).toEqual({
      spaceId: '98304',
      status: 'current',
      title: 'INC-7 Checkout down',
      parentId: '777',
      body: { representation: 'storage', value: '<h1>Summary</h1>' },
    });
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(BASIC);
      expect(request.headers.accept).toBe('application/json');
    }
    expect(post.headers['content-type']).toBe('application/json');
  });

  it('when pages are created twice, then the space is looked up only once', async () => {
    route({ 'GET /wiki/api/v2/spaces': { json: SPACES }, 'POST /wiki/api/v2/pages': { json: page('1', 'A', 1) } });

    await Promise.all([pages.createPage({ title: 'A', body: '' }), pages.createPage({ title: 'B', body: '' })]);

    expect(server.requests.filter((r) => r.path === '/wiki/api/v2/spaces')).toHaveLength(1);
  });

  it('when no parent page is configured, then the create body has no parentId', async () => {
    route({ 'GET /wiki/api/v2/spaces': { json: SPACES }, 'POST /wiki/api/v2/pages': { json: page('1', 'A', 1) } });
    const atRoot = new CloudPages({ baseUrl: server.url, spaceKey: 'OPS', email: EMAIL, apiToken: TOKEN });

    await atRoot.createPage({ title: 'A', body: '<p/>' });

    expect(server.requests[1].body).not.toHaveProperty('parentId');
  });

  it('when the space key is unknown, then space_not_found names the key and nothing is created', async () => {
    route({ 'GET /wiki/api/v2/spaces': { json: { results: [], _links: {} } } });

    const error = await rejectionOf(pages.createPage({ title: 'A', body: '' }));

    expect(error).toBeInstanceOf(ConfluenceError);
    expect(error).toMatchObject({ code: 'space_not_found', message: expect.stringContaining('"OPS"') });
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('when a page is read, then it is fetched with its storage body and its URL is the site wiki + webui', async () => {
    route({ 'GET /wiki/api/v2/pages/1234': { json: page('1234', 'INC-7', 3) } });

    const found = await pages.getPage('1234');

    expect(server.requests[0]).toMatchObject({ method: 'GET', rawQuery: 'body-format=storage' });
    // No _links.base on this page: the configured site root + /wiki stands in.
    expect(found).toEqual({ id: '1234', title: 'INC-7', version: 3, url: `${server.url}/wiki/spaces/OPS/pages/1234/INC-7`, body: '<p>old</p>' });
  });

  it('when a page is missing or trashed, then getPage answers undefined', async () => {
    route({ 'GET /wiki/api/v2/pages/9': { json: page('9', 'Old', 2, { status: 'trashed' }) } });

    expect(await pages.getPage('404')).toBeUndefined();
    expect(await pages.getPage('9')).toBeUndefined();
  });

  it('when a page is searched by title, then the v2 query names space id, title, storage body and current status', async () => {
    route({
      'GET /wiki/api/v2/spaces': { json: SPACES },
      'GET /wiki/api/v2/pages': { json: { results: [page('55', 'INC-7 Checkout & cart', 4)], _links: { base: 'https://acme.atlassian.net/wiki' } } },
    });

    const found = await pages.findPageByTitle('INC-7 Checkout & cart');

    expect(server.requests[1].rawQuery).toBe('space-id=98304&title=INC-7%20Checkout%20%26%20cart&body-format=storage&status=current');
    expect(found).toEqual({
      id: '55',
      title: 'INC-7 Checkout & cart',
      version: 4,
      body: '<p>old</p>',
      url: 'https://acme.atlassian.net/wiki/spaces/OPS/pages/55/INC-7+Checkout+&+cart',
    });
  });

  it('when no page has the title, then findPageByTitle answers undefined', async () => {
    route({ 'GET /wiki/api/v2/spaces': { json: SPACES }, 'GET /wiki/api/v2/pages': { json: { results: [], _links: {} } } });

    expect(await pages.findPageByTitle('Nothing here')).toBeUndefined();
  });

  it('when a page is updated, then the PUT carries id, status, title, storage body and the new version with its message', async () => {
    route({ 'PUT /wiki/api/v2/pages/1234': { json: page('1234', 'INC-7', 4) } });

    const updated = await pages.updatePage({ pageId: '1234', title: 'INC-7', body: '<p>new</p>', version: 4 });

    expect(server.requests[0].body).toEqual({
      id: '1234',
      status: 'current',
      title: 'INC-7',
      body: { representation: 'storage', value: '<p>new</p>' },
      version: { number: 4, message: 'Updated by Incident Commander' },
    });
    expect(updated.version).toBe(4);
  });

  it('when the title is taken, then create fails with title_taken', async () => {
    route({
      'GET /wiki/api/v2/spaces': { json: SPACES },
      'POST /wiki/api/v2/pages': {
        status: 400,
        json: {
          errors: [{ status: 400, code: 'BAD_REQUEST', title: 'A page with this title already exists: A page already exists with the same TITLE in this space', detail: null }],
        },
      },
    });

    const error = await rejectionOf(pages.createPage({ title: 'INC-7', body: '' }));

    expect(error).toMatchObject({ code: 'title_taken', status: 400, transient: false });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'version_conflict'],
  ])('when an update answers %i, then it fails with %s', async (status, code) => {
    route({ 'PUT /wiki/api/v2/pages/1': { status, json: { errors: [{ status, code: 'X', title: 'Version must be incremented on update', detail: null }] } } });

    const error = await rejectionOf(pages.updatePage({ pageId: '1', title: 'T', body: '', version: 2 }));

    expect(error).toMatchObject({ code, status });
    expect(server.requests).toHaveLength(1); // 4xx is never retried
  });

  it('when the site answers a non-JSON 401 (as Atlassian does for a bad token), then it is still unauthorized', async () => {
    route({ 'GET /wiki/api/v2/pages/1': { status: 401, text: 'Client must be authenticated to access this resource.' } });

    expect(await rejectionOf(pages.getPage('1'))).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('Client must be authenticated') });
  });
});
