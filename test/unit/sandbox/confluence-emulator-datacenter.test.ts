import { ConfluenceEmulator } from '../../../src/sandbox/confluence-emulator';
import { jsonCall, type Answer } from '../../support/json-call';

const PAT = 'NjY0OTk1MzQ3NTQ4OkdZbf-dc-secret-pat';
const BEARER = `Bearer ${PAT}`;

interface DcContent {
  id: string;
  type: string;
  status: string;
  title: string;
  space?: { id: number; key: string; name: string };
  version?: { number: number; message: string };
  ancestors?: { id: string }[];
  body?: { storage: { value: string; representation: string } };
  _links: { webui: string; base: string; context: string; tinyui: string };
  _expandable: Record<string, string>;
}
interface DcError {
  statusCode: number;
  data: { authorized: boolean; valid: boolean; errors: unknown[]; successful: boolean };
  message: string;
  reason: string;
}

describe('ConfluenceEmulator (Data Center REST API, driven with plain fetch)', () => {
  let emulator: ConfluenceEmulator;

  beforeEach(async () => {
    emulator = await ConfluenceEmulator.start({
      deployment: 'datacenter',
      spaces: [{ key: 'INC', name: 'Incidents' }],
      datacenter: { personalAccessToken: PAT, contextPath: '/confluence' },
    });
  });
  afterEach(() => emulator.stop());

  function call<T>(method: string, path: string, body?: unknown, authorization: string | null = BEARER): Promise<Answer<T>> {
    return jsonCall<T>(emulator.baseUrl, method, path, body, authorization);
  }

  function create(title: string, value = '<p>Checkout was down.</p>', parentId?: string): Promise<Answer<DcContent & DcError>> {
    const ancestors = parentId ? { ancestors: [{ id: parentId }] } : {};
    return call('POST', '/rest/api/content', { type: 'page', title, space: { key: 'INC' }, ...ancestors, body: { storage: { value, representation: 'storage' } } });
  }

  function update(page: { id: string }, title: string, value: string, version: number): Promise<Answer<DcContent & DcError>> {
    const body = { id: page.id, type: 'page', title, space: { key: 'INC' }, body: { storage: { value, representation: 'storage' } }, version: { number: version } };
    return call('PUT', `/rest/api/content/${page.id}`, body);
  }

  it('when the bot looks up the space, creates, reads, finds and updates a page, then each answer has Data Center shapes', async () => {
    expect(emulator.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/confluence$/);
    const lookup = await call<{ id: number; key: string; name: string }>('GET', '/rest/api/space/INC');
    expect(lookup.status).toBe(200);
    expect(lookup.json).toMatchObject({ id: expect.any(Number), key: 'INC', name: 'Incidents' });

    const created = await create('INC-1 postmortem', '<h1>Summary</h1><p>Payments &amp; checkout</p>');
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ type: 'page', status: 'current', title: 'INC-1 postmortem', version: { number: 1 }, ancestors: [], space: { key: 'INC' } });
    const { id } = created.json;
    expect(created.json._links).toMatchObject({ base: emulator.baseUrl, context: '/confluence', webui: '/display/INC/INC-1+postmortem' });

    const read = await call<DcContent>('GET', `/rest/api/content/${id}?expand=body.storage,version,space`);
    expect(read.json).toMatchObject({
      id,
      version: { number: 1 },
      space: { key: 'INC' },
      body: { storage: { value: '<h1>Summary</h1><p>Payments &amp; checkout</p>', representation: 'storage' } },
    });

    const found = await call<{ results: DcContent[]; size: number }>(
      'GET',
      `/rest/api/content?spaceKey=INC&title=${encodeURIComponent('INC-1 postmortem')}&expand=body.storage,version`,
    );
    expect(found.json.size).toBe(1);
    expect(found.json.results.map((p) => [p.id, p.version?.number, p.body?.storage.value])).toEqual([[id, 1, '<h1>Summary</h1><p>Payments &amp; checkout</p>']]);
    expect((await call<{ size: number }>('GET', '/rest/api/content?spaceKey=INC&title=Other')).json.size).toBe(0);

    const updated = await update({ id }, 'INC-1 postmortem', '<p>Resolved.</p>', 2);
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ id, version: { number: 2 }, body: { storage: { value: '<p>Resolved.</p>' } } });
    expect(emulator.pages()).toEqual([expect.objectContaining({ id, spaceKey: 'INC', title: 'INC-1 postmortem', version: 2, body: '<p>Resolved.</p>', status: 'current' })]);
    expect(emulator.pages()[0].parentId).toBeUndefined();
  });

  it('when expand is left out, then version and space come back and the body is only expandable', async () => {
    const { json: page } = await create('INC-2 postmortem');
    const read = await call<DcContent>('GET', `/rest/api/content/${page.id}`);
    expect(read.json.version?.number).toBe(1);
    expect(read.json.space?.key).toBe('INC');
    expect(read.json.body).toBeUndefined();
    expect(read.json._expandable).toHaveProperty('body');
    const bodyOnly = await call<DcContent>('GET', `/rest/api/content/${page.id}?expand=body.storage`);
    expect(bodyOnly.json.version).toBeUndefined();
  });

  it('when ancestors are given, then the page is filed under the last one', async () => {
    const { json: parent } = await create('Postmortems');
    const { json: child } = await create('INC-3 postmortem', '<p/>', parent.id);
    expect(child.ancestors?.map((a) => a.id)).toEqual([parent.id]);
    expect(emulator.page(child.id)?.parentId).toBe(parent.id);
  });

  it('when the version is stale, then the update fails with 409 in the Data Center error shape', async () => {
    const { json: page } = await create('INC-4 postmortem');
    emulator.editPage(page.id, { body: '<p>Edited by a person.</p>' });
    const stale = await update(page, page.title, '<p>Mine.</p>', 2);
    expect(stale.status).toBe(409);
    expect(stale.json).toEqual({
      statusCode: 409,
      data: { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false },
      message: 'Version must be incremented on update. Current version is: 2',
      reason: 'Conflict',
    });
    expect((await update(page, page.title, '<p>Mine.</p>', 3)).status).toBe(200);
  });

  it('when a person deletes the page, then reads and writes answer 404', async () => {
    const { json: page } = await create('INC-5 postmortem');
    emulator.deletePage(page.id);
    const read = await call<DcError>('GET', `/rest/api/content/${page.id}?expand=body.storage,version,space`);
    expect(read.status).toBe(404);
    expect(read.json).toMatchObject({ statusCode: 404, message: `No content found with id: ContentId{id=${page.id}}`, reason: 'Not Found' });
    expect((await update(page, page.title, '<p/>', 2)).status).toBe(404);
    expect((await call<{ size: number }>('GET', '/rest/api/content?spaceKey=INC&title=INC-5+postmortem')).json.size).toBe(0);
    expect(emulator.page(page.id)?.status).toBe('trashed');
  });

  it('when the title is taken, then creation fails with 400 naming the title and space', async () => {
    await create('INC-6 postmortem');
    const clash = await create('INC-6 postmortem');
    expect(clash.status).toBe(400);
    expect(clash.json.message).toBe('A page with this title already exists: A page already exists with the title INC-6 postmortem in the space with key INC');
  });

  it('when the space or the route does not exist, then 404 comes back', async () => {
    const space = await call<DcError>('GET', '/rest/api/space/NOPE');
    expect(space.status).toBe(404);
    expect(space.json.message).toBe('No space with key : NOPE');
    expect((await call<DcError>('GET', '/rest/api/content?spaceKey=NOPE&title=x')).json.message).toBe('No space with key : NOPE');
    // Without the context path the request misses the site, as it would on a real install.
    const res = await fetch(`${emulator.baseUrl.replace('/confluence', '')}/rest/api/space/INC`, { headers: { authorization: BEARER } });
    expect(res.status).toBe(404);
  });

  it('when the token is missing or wrong, then every endpoint answers 401', async () => {
    const { json: page } = await create('INC-7 postmortem');
    for (const authorization of [null, 'Bearer wrong-token', `Basic ${Buffer.from(`bot:${PAT}`).toString('base64')}`]) {
      for (const [method, path, body] of [
        ['GET', '/rest/api/space/INC'],
        ['GET', `/rest/api/content/${page.id}?expand=body.storage,version,space`],
        ['GET', '/rest/api/content?spaceKey=INC&title=x'],
        ['POST', '/rest/api/content', { type: 'page', title: 'Sneaky', space: { key: 'INC' }, body: { storage: { value: '<p/>', representation: 'storage' } } }],
        ['PUT', `/rest/api/content/${page.id}`, { type: 'page', title: 'Sneaky', body: { storage: { value: '<p/>', representation: 'storage' } }, version: { number: 2 } }],
      ] as const) {
        const answer = await call(method, path, body, authorization);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
      }
    }
    expect(emulator.pages()).toEqual([expect.objectContaining({ title: 'INC-7 postmortem', version: 1 })]);
  });

  it('when a 429 is scheduled, then it carries Retry-After and the Data Center error shape', async () => {
    emulator.failNext({ method: 'PUT' }, { status: 429, retryAfterSeconds: 3 });
    const { json: page } = await create('INC-8 postmortem');
    const limited = await update(page, page.title, '<p/>', 2);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.json).toMatchObject({ statusCode: 429, reason: 'Too Many Requests' });
    expect((await update(page, page.title, '<p/>', 2)).status).toBe(200);
  });

  it('when the storage body is malformed, then Confluence answers 400 "Error parsing xhtml"', async () => {
    const broken = await create('INC-9 postmortem', '<p>This page was built by a bot<p>');
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ statusCode: 400, reason: 'Bad Request' });
    expect(broken.json.message).toMatch(/^Error parsing xhtml: Unexpected close tag <\/xml>; expected <\/p>\.\n at \[row,col \{unknown-source\}\]: \[1,\d+\]$/);
    expect(emulator.pages()).toEqual([]);
  });

  it('when calls are logged, then the personal access token never appears', async () => {
    await call('GET', '/rest/api/space/INC');
    await call('GET', '/rest/api/space/INC', undefined, `Bearer ${PAT}x`);
    await create('INC-10 postmortem');
    expect(emulator.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'GET /confluence/rest/api/space/INC 200',
      'GET /confluence/rest/api/space/INC 401',
      'POST /confluence/rest/api/content 200',
    ]);
    expect(JSON.stringify(emulator.calls)).not.toContain(PAT);
  });
});
