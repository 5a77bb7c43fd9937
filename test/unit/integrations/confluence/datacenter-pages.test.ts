import { DataCenterPages } from '../../../../src/integrations/confluence/datacenter-pages';
import { ConfluenceError } from '../../../../src/ports/confluence';
import { type LocalServer, type Recorded, type Reply, rejectionOf, startLocalServer } from './local-server';

const PAT = 'NjE2NTQ0MzI5OTk0OkDC-pat-value';
const CTX = '/confluence';

const SPACE = { id: 65537, key: 'OPS', name: 'Operations', type: 'global', status: 'current', _links: { webui: '/display/OPS' } };

function content(id: string, title: string, version: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'page',
    status: 'current',
    title,
    space: { key: 'OPS' },
    version: { number: version, minorEdit: false, when: '2025-01-01T00:00:00.000Z' },
    body: { storage: { value: '<p>old</p>', representation: 'storage' } },
    _links: { webui: `/display/OPS/${title.replace(/ /g, '+')}`, tinyui: '/x/AbC', self: `https://wiki.acme.test/confluence/rest/api/content/${id}` },
    ...extra,
  };
}

function dcError(status: number, message: string, reason: string): Reply {
  return { status, json: { statusCode: status, data: { authorized: status !== 401, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false }, message, reason } };
}

describe('Confluence Data Center pages (/rest/api/content)', () => {
  let server: LocalServer;
  let pages: DataCenterPages;

  function route(replies: Record<string, Reply | ((r: Recorded) => Reply)>): void {
    server.handle((request) => {
      const reply = replies[`${request.method} ${request.path}`];
      if (!reply) return dcError(404, 'No content found with id: ContentId{id=0}', 'Not Found');
      return typeof reply === 'function' ? reply(request) : reply;
    });
  }

  beforeEach(async () => {
    server = await startLocalServer();
    // The base URL carries a context path, as many DC installs do.
    pages = new DataCenterPages({ baseUrl: `${server.url}${CTX}/`, spaceKey: 'OPS', parentPageId: '4242', personalAccessToken: PAT }, { sleep: async () => {} });
  });
  afterEach(() => server.close());

  it('when a page is created, then the space is checked and the content is posted under the parent with the PAT as Bearer', async () => {
    route({
      [`GET ${CTX}/rest/api/space/OPS`]: { json: SPACE },
      [`POST ${CTX}/rest/api/content`]: {
        json: content('131073', 'INC-7 Checkout down', 1, {
          _links: { webui: '/display/OPS/INC-7+Checkout+down', base: 'https://wiki.acme.test/confluence', context: '/confluence' },
        }),
      },
    });

    const created = await pages.createPage({ title: 'INC-7 Checkout down', body: '<h1>Summary</h1>' });

    expect(created).toEqual({ id: '131073', title: 'INC-7 Checkout down', version: 1, url: 'https://wiki.acme.test/confluence/display/OPS/INC-7+Checkout+down' });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${CTX}/rest/api/space/OPS`, `POST ${CTX}/rest/api/content`]);
    expect(server.requests[1].body).toEqual({
      type: 'page',
      title: 'INC-7 Checkout down',
      space: { key: 'OPS' },
      ancestors: [{ id: '4242' }],
      body: { storage: { value: '<h1>Summary</h1>', representation: 'storage' } },
    });
    for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${PAT}`);
  });

  it('when pages are created twice, then the space is checked only once', async () => {
    route({ [`GET ${CTX}/rest/api/space/OPS`]: { json: SPACE }, [`POST ${CTX}/rest/api/content`]: { json: content('1', 'A', 1) } });

    await pages.createPage({ title: 'A', body: '' });
    await pages.createPage({ title: 'B', body: '' });

    expect(server.requests.filter((r) => r.path.endsWith('/space/OPS'))).toHaveLength(1);
  });

  it('when no parent page is configured, then the create body has no ancestors', async () => {
    route({ [`GET ${CTX}/rest/api/space/OPS`]: { json: SPACE }, [`POST ${CTX}/rest/api/content`]: { json: content('1', 'A', 1) } });
    const atRoot = new DataCenterPages({ baseUrl: `${server.url}${CTX}`, spaceKey: 'OPS', personalAccessToken: PAT });

    await atRoot.createPage({ title: 'A', body: '' });

    expect(server.requests[1].body).not.toHaveProperty('ancestors');
  });

  it('when the space does not exist, then space_not_found names the key and nothing is created', async () => {
    route({ [`GET ${CTX}/rest/api/space/OPS`]: dcError(404, 'No space with key : OPS', 'Not Found') });

    const error = await rejectionOf(pages.createPage({ title: 'A', body: '' }));

    expect(error).toBeInstanceOf(ConfluenceError);
    expect(error).toMatchObject({ code: 'space_not_found', message: expect.stringContaining('"OPS"') });
    expect(server.requests).toHaveLength(1);
  });

  it('when a page is read, then it is fetched with body, version and space expanded; without _links.base the URL is the base URL + webui', async () => {
    route({ [`GET ${CTX}/rest/api/content/131073`]: { json: content('131073', 'INC-7', 3) } });

    const found = await pages.getPage('131073');

    expect(server.requests[0].rawQuery).toBe('expand=body.storage,version,space');
    expect(found).toEqual({ id: '131073', title: 'INC-7', version: 3, url: `${server.url}${CTX}/display/OPS/INC-7`, body: '<p>old</p>' });
  });

  it('when a page is missing or trashed, then getPage answers undefined', async () => {
    route({ [`GET ${CTX}/rest/api/content/9`]: { json: content('9', 'Old', 2, { status: 'trashed' }) } });

    expect(await pages.getPage('404')).toBeUndefined();
    expect(await pages.getPage('9')).toBeUndefined();
  });

  it('when a page is searched by title, then the query names space key, title and the expansions', async () => {
    route({
      [`GET ${CTX}/rest/api/space/OPS`]: { json: SPACE },
      [`GET ${CTX}/rest/api/content`]: {
        json: { results: [content('77', 'INC-7 Checkout & cart', 5)], start: 0, limit: 25, size: 1, _links: { base: 'https://wiki.acme.test/confluence', context: '/confluence' } },
      },
    });

    const found = await pages.findPageByTitle('INC-7 Checkout & cart');

    expect(server.requests[1].rawQuery).toBe('spaceKey=OPS&title=INC-7%20Checkout%20%26%20cart&expand=body.storage,version');
    expect(found).toEqual({ id: '77', title: 'INC-7 Checkout & cart', version: 5, body: '<p>old</p>', url: 'https://wiki.acme.test/confluence/display/OPS/INC-7+Checkout+&+cart' });
  });

  it('when no page has the title, then findPageByTitle answers undefined', async () => {
    route({ [`GET ${CTX}/rest/api/space/OPS`]: { json: SPACE }, [`GET ${CTX}/rest/api/content`]: { json: { results: [], start: 0, limit: 25, size: 0 } } });

    expect(await pages.findPageByTitle('Nothing')).toBeUndefined();
  });

  it('when a page is updated, then the PUT carries type, title, space, storage body and the new version number', async () => {
    route({ [`PUT ${CTX}/rest/api/content/131073`]: { json: content('131073', 'INC-7', 4) } });

    const updated = await pages.updatePage({ pageId: '131073', title: 'INC-7', body: '<p>new</p>', version: 4 });

    expect(server.requests[0].body).toEqual({
      id: '131073',
      type: 'page',
      title: 'INC-7',
      space: { key: 'OPS' },
      body: { storage: { value: '<p>new</p>', representation: 'storage' } },
      version: { number: 4 },
    });
    expect(updated.version).toBe(4);
  });

  it('when the title is taken, then create fails with title_taken', async () => {
    route({
      [`GET ${CTX}/rest/api/space/OPS`]: { json: SPACE },
      [`POST ${CTX}/rest/api/content`]: dcError(400, 'A page with this title already exists: A page already exists with the title INC-7 in the space with key OPS', 'Bad Request'),
    });

    expect(await rejectionOf(pages.createPage({ title: 'INC-7', body: '' }))).toMatchObject({ code: 'title_taken', status: 400 });
  });

  it.each([
    [401, 'unauthorized', 'Unauthorized'],
    [403, 'forbidden', 'Forbidden'],
    [404, 'not_found', 'Not Found'],
    [409, 'version_conflict', 'Conflict'],
  ])('when an update answers %i, then it fails with %s', async (status, code, reason) => {
    route({ [`PUT ${CTX}/rest/api/content/1`]: dcError(status, `com.atlassian.confluence.api.service.exceptions.${reason}Exception`, reason) });

    const error = await rejectionOf(pages.updatePage({ pageId: '1', title: 'T', body: '', version: 2 }));

    expect(error).toMatchObject({ code, status, message: expect.stringContaining(`${reason}Exception`) });
    expect(server.requests).toHaveLength(1);
  });
});
