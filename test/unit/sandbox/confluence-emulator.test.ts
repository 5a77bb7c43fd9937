import { ConfluenceEmulator } from '../../../src/sandbox/confluence-emulator';
import { jsonCall, type Answer } from '../../support/json-call';

const EMAIL = 'incident-bot@example.com';
const API_TOKEN = 'ATATT-cloud-secret-token-0001';
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`;
const TITLE_TAKEN = 'A page with this title already exists: A page already exists with the same TITLE in this space';

interface CloudPage {
  id: string;
  status: string;
  title: string;
  spaceId: string;
  parentId: string | null;
  version: { number: number; message: string };
  body: { storage?: { value: string; representation: string } };
  _links: { webui: string; tinyui: string; base?: string };
}
interface CloudList<T> {
  results: T[];
  _links: { base: string };
}
interface CloudSpace {
  id: string;
  key: string;
  name: string;
  homepageId: string;
}
interface CloudErrors {
  errors: { status: number; code: string; title: string; detail: null }[];
}

describe('ConfluenceEmulator (Cloud REST API v2, driven with plain fetch)', () => {
  let emulator: ConfluenceEmulator;

  beforeEach(async () => {
    emulator = await ConfluenceEmulator.start({ deployment: 'cloud', spaces: [{ key: 'INC', name: 'Incidents' }], cloud: { email: EMAIL, apiToken: API_TOKEN } });
  });
  afterEach(() => emulator.stop());

  function call<T>(method: string, path: string, body?: unknown, authorization: string | null = BASIC): Promise<Answer<T>> {
    return jsonCall<T>(emulator.baseUrl, method, path, body, authorization);
  }

  async function space(): Promise<CloudSpace> {
    return (await call<CloudList<CloudSpace>>('GET', '/wiki/api/v2/spaces?keys=INC')).json.results[0];
  }

  function storage(value: string): { representation: string; value: string } {
    return { representation: 'storage', value };
  }

  async function create(title: string, value = '<p>Checkout was down.</p>', parentId?: string): Promise<Answer<CloudPage & CloudErrors>> {
    const { id } = await space();
    return call('POST', '/wiki/api/v2/pages', { spaceId: id, status: 'current', title, ...(parentId ? { parentId } : {}), body: storage(value) });
  }

  function update(page: { id: string }, title: string, value: string, version: number): Promise<Answer<CloudPage & CloudErrors>> {
    return call('PUT', `/wiki/api/v2/pages/${page.id}`, {
      id: page.id,
      status: 'current',
      title,
      body: storage(value),
      version: { number: version, message: 'Updated by incident-bot' },
    });
  }

  it('when the bot looks up the space, creates, reads, finds and updates a page, then each answer has v2 shapes', async () => {
    const lookup = await call<CloudList<CloudSpace>>('GET', '/wiki/api/v2/spaces?keys=INC');
    expect(lookup.status).toBe(200);
    expect(lookup.json.results).toEqual([expect.objectContaining({ key: 'INC', name: 'Incidents', id: expect.stringMatching(/^\d+$/) })]);
    expect(lookup.json._links.base).toBe(`${emulator.baseUrl}/wiki`);
    const { id: spaceId, homepageId } = lookup.json.results[0];

    const created = await create('INC-1 postmortem', '<h1>Summary</h1><p>Checkout &amp; payments down</p>');
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: 'current', title: 'INC-1 postmortem', spaceId, parentId: homepageId, version: { number: 1 } });
    const { id } = created.json;
    expect(`${created.json._links.base}${created.json._links.webui}`).toBe(`${emulator.baseUrl}/wiki/spaces/INC/pages/${id}/INC-1+postmortem`);

    const read = await call<CloudPage>('GET', `/wiki/api/v2/pages/${id}?body-format=storage`);
    expect(read.json).toMatchObject({ id, version: { number: 1 }, body: { storage: { representation: 'storage', value: '<h1>Summary</h1><p>Checkout &amp; payments down</p>' } } });
    expect((await call<CloudPage>('GET', `/wiki/api/v2/pages/${id}`)).json.body).toEqual({});

    const found = await call<CloudList<CloudPage>>('GET', `/wiki/api/v2/pages?space-id=${spaceId}&title=${encodeURIComponent('INC-1 postmortem')}&body-format=storage`);
    expect(found.json.results.map((p) => [p.id, p.body.storage?.value])).toEqual([[id, '<h1>Summary</h1><p>Checkout &amp; payments down</p>']]);
    expect((await call<CloudList<CloudPage>>('GET', `/wiki/api/v2/pages?space-id=${spaceId}&title=Other`)).json.results).toEqual([]);

    const updated = await update({ id }, 'INC-1 postmortem', '<p>Resolved.</p>', 2);
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ id, version: { number: 2, message: 'Updated by incident-bot' }, body: { storage: { value: '<p>Resolved.</p>' } } });
    expect(emulator.pages()).toEqual([
      expect.objectContaining({ id, spaceKey: 'INC', spaceId, parentId: homepageId, title: 'INC-1 postmortem', version: 2, body: '<p>Resolved.</p>', status: 'current' }),
    ]);
  });

  it('when a parent is given, then the page is filed under it', async () => {
    const parent = await create('Postmortems');
    const child = await create('INC-2 postmortem', '<p/>', parent.json.id);
    expect(child.json.parentId).toBe(parent.json.id);
    expect(emulator.page(child.json.id)?.parentId).toBe(parent.json.id);
  });

  it('when the version sent is not current + 1, then the update fails with 409 and the page is unchanged', async () => {
    const { json: page } = await create('INC-3 postmortem');
    for (const stale of [1, 3]) {
      const answer = await update(page, page.title, '<p>Mine.</p>', stale);
      expect(answer.status).toBe(409);
      expect(answer.json.errors).toEqual([{ status: 409, code: 'CONFLICT', title: 'Version must be incremented on update. Current version is: 1', detail: null }]);
    }
    emulator.editPage(page.id, { body: '<p>Edited by a person.</p>' });
    const late = await update(page, page.title, '<p>Mine.</p>', 2);
    expect(late.status).toBe(409);
    expect(late.json.errors[0].title).toContain('Current version is: 2');
    expect(emulator.page(page.id)).toMatchObject({ version: 2, body: '<p>Edited by a person.</p>' });
  });

  it('when a person deletes the page, then reads and writes answer 404 and its title is free again', async () => {
    const { json: page } = await create('INC-4 postmortem');
    emulator.deletePage(page.id);
    const read = await call<CloudErrors>('GET', `/wiki/api/v2/pages/${page.id}?body-format=storage`);
    expect(read.status).toBe(404);
    expect(read.json).toEqual({ errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] });
    expect((await update(page, page.title, '<p/>', 2)).status).toBe(404);
    expect((await call<CloudList<CloudPage>>('GET', `/wiki/api/v2/pages?space-id=${page.spaceId}&title=INC-4+postmortem`)).json.results).toEqual([]);
    expect((await call<CloudPage>('GET', `/wiki/api/v2/pages/${page.id}?status=trashed`)).json.status).toBe('trashed');
    expect(emulator.pages()).toEqual([]);
    const again = await create('INC-4 postmortem');
    expect(again.status).toBe(200);
    expect(again.json.id).not.toBe(page.id);
  });

  it('when the title is taken in the space, then create and rename fail with 400', async () => {
    await create('INC-5 postmortem');
    const clash = await create('inc-5 POSTMORTEM');
    expect(clash.status).toBe(400);
    expect(clash.json.errors).toEqual([{ status: 400, code: 'BAD_REQUEST', title: TITLE_TAKEN, detail: null }]);
    const { json: other } = await create('INC-6 postmortem');
    const rename = await update(other, 'INC-5 postmortem', '<p/>', 2);
    expect(rename.status).toBe(400);
    expect(rename.json.errors[0].title).toBe(TITLE_TAKEN);
    expect(emulator.pages().map((p) => p.title)).toEqual(['INC-5 postmortem', 'INC-6 postmortem']);
  });

  it('when credentials are missing or wrong, then every endpoint answers 401', async () => {
    const { json: page } = await create('INC-7 postmortem');
    const wrong = [null, `Basic ${Buffer.from(`${EMAIL}:nope`).toString('base64')}`, `Bearer ${API_TOKEN}`];
    for (const authorization of wrong) {
      for (const [method, path, body] of [
        ['GET', '/wiki/api/v2/spaces?keys=INC'],
        ['GET', `/wiki/api/v2/pages/${page.id}`],
        ['GET', `/wiki/api/v2/pages?space-id=${page.spaceId}&title=x`],
        ['POST', '/wiki/api/v2/pages', { spaceId: page.spaceId, status: 'current', title: 'Sneaky', body: storage('<p/>') }],
        ['PUT', `/wiki/api/v2/pages/${page.id}`, { id: page.id, status: 'current', title: 'Sneaky', body: storage('<p/>'), version: { number: 2 } }],
      ] as const) {
        expect((await call(method, path, body, authorization)).status).toBe(401);
      }
    }
    const missing = await call<CloudErrors>('GET', '/wiki/api/v2/spaces', undefined, null);
    expect(missing.json.errors[0]).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const bad = await call('GET', '/wiki/api/v2/spaces', undefined, wrong[1]);
    expect(bad.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(bad.text).toMatch(/^Basic authentication with passwords is deprecated/);
    expect(emulator.pages()).toEqual([expect.objectContaining({ title: 'INC-7 postmortem', version: 1 })]);
  });

  it('when a 429 is scheduled, then matching requests get it with Retry-After, and the rest go through', async () => {
    emulator.failNext({ method: 'POST', pathIncludes: '/wiki/api/v2/pages' }, { status: 429, retryAfterSeconds: 7 }, 2);
    expect((await call('GET', '/wiki/api/v2/spaces?keys=INC')).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const limited = await create('INC-8 postmortem');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.json.errors[0]).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    }
    expect((await create('INC-8 postmortem')).status).toBe(200);
  });

  it('when server faults are scheduled, then 5xx come back in order, matched on path and query', async () => {
    emulator.failNext({ pathIncludes: 'title=INC-9' }, { status: 503 });
    emulator.failNext({ method: 'get' }, { status: 500 });
    const unavailable = await call('GET', '/wiki/api/v2/pages?title=INC-9');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await call<CloudErrors>('GET', '/wiki/api/v2/spaces')).json.errors[0].code).toBe('INTERNAL_SERVER_ERROR');
    expect((await call('GET', '/wiki/api/v2/spaces')).status).toBe(200);
  });

  it('when the storage body is not well-formed XHTML, then create and update fail with 400 and nothing changes', async () => {
    const broken = await create('INC-10 postmortem', '<p>Unclosed <b>bold</p>');
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0]).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(broken.json.errors[0].title).toMatch(/^Error parsing xhtml: Unexpected close tag <\/p>; expected <\/b>\./);
    expect(emulator.pages()).toEqual([]);
    const { json: page } = await create('INC-10 postmortem');
    const entity = await update(page, page.title, '<p>a&nbsp;b</p>', 2);
    expect(entity.status).toBe(400);
    expect(entity.json.errors[0].title).toContain('Undeclared general entity "nbsp"');
    expect(emulator.page(page.id)?.version).toBe(1);
  });

  it('when the request is not JSON, then Confluence-style 415/400 come back', async () => {
    const res = await fetch(`${emulator.baseUrl}/wiki/api/v2/pages`, { method: 'POST', headers: { authorization: BASIC }, body: '{}' });
    expect(res.status).toBe(415);
    const { json: page } = await create('INC-11 postmortem');
    const missingVersion = await call<CloudErrors>('PUT', `/wiki/api/v2/pages/${page.id}`, { id: page.id, status: 'current', title: page.title, body: storage('<p/>') });
    expect(missingVersion.status).toBe(400);
  });

  it('when calls are logged, then they show method, path, query and status, and never the credentials', async () => {
    await call('GET', '/wiki/api/v2/spaces?keys=INC');
    await call('GET', '/wiki/api/v2/spaces', undefined, `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}-typo`).toString('base64')}`);
    await create('INC-12 postmortem');
    expect(emulator.calls).toEqual([
      { method: 'GET', path: '/wiki/api/v2/spaces', query: 'keys=INC', status: 200 },
      { method: 'GET', path: '/wiki/api/v2/spaces', query: '', status: 401 },
      { method: 'GET', path: '/wiki/api/v2/spaces', query: 'keys=INC', status: 200 },
      { method: 'POST', path: '/wiki/api/v2/pages', query: '', status: 200 },
    ]);
    const logged = JSON.stringify(emulator.calls);
    for (const secret of [API_TOKEN, EMAIL, BASIC.slice('Basic '.length)]) expect(logged).not.toContain(secret);
  });
});
