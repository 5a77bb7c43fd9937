// Every error path of both adapters, with a server that even echoes the Authorization header back:
// no message, stack, inspection or JSON of a thrown error may carry a credential.
import { inspect } from 'node:util';

import { createConfluencePages, type ConfluenceSettings } from '../../../../src/integrations/confluence';
import { ConfluenceError, type ConfluenceErrorCode, type ConfluencePages } from '../../../../src/ports/confluence';
import { type LocalServer, type Recorded, type Reply, rejectionOf, startLocalServer } from './local-server';

const EMAIL = 'ic-bot@acme.test';
const API_TOKEN = 'ATATT3xFfGF0-cloud-secret-0042';
const PAT = 'MzQ1Njc4OTAxMjM0-dc-secret-0042';
const BASIC = Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64');
const FORBIDDEN_TEXT = [API_TOKEN, `${EMAIL}:${API_TOKEN}`, BASIC, `Basic ${BASIC}`, PAT, `Bearer ${PAT}`];

const ALL_CODES: ConfluenceErrorCode[] = [
  'unauthorized',
  'forbidden',
  'space_not_found',
  'not_found',
  'title_taken',
  'version_conflict',
  'rate_limited',
  'server_error',
  'network',
  'bad_request',
  'invalid_response',
];

const echo = (r: Recorded) => `auth=${String(r.headers.authorization)} body=${JSON.stringify(r.body)}`;

// Each scenario answers every request the same way; the operation is chosen to reach the reply.
const SCENARIOS: { name: string; reply: (r: Recorded) => Reply; op: 'update' | 'create' | 'get' }[] = [
  { name: '400', reply: (r) => ({ status: 400, json: { message: echo(r), errors: [{ title: echo(r) }] } }), op: 'update' },
  { name: '400 title', reply: (r) => ({ status: 400, json: { message: `A page with this title already exists ${echo(r)}` } }), op: 'update' },
  { name: '401', reply: (r) => ({ status: 401, text: echo(r) }), op: 'update' },
  { name: '403', reply: (r) => ({ status: 403, json: { message: echo(r) } }), op: 'update' },
  { name: '404', reply: (r) => ({ status: 404, json: { message: echo(r) } }), op: 'update' },
  { name: '409', reply: (r) => ({ status: 409, json: { message: echo(r) } }), op: 'update' },
  { name: '429', reply: (r) => ({ status: 429, headers: { 'Retry-After': '1' }, json: { message: echo(r) } }), op: 'update' },
  { name: '429 long', reply: (r) => ({ status: 429, headers: { 'Retry-After': '600' }, json: { message: echo(r) } }), op: 'update' },
  { name: '503', reply: (r) => ({ status: 503, text: echo(r) }), op: 'update' },
  { name: 'not JSON', reply: (r) => ({ status: 200, text: echo(r) }), op: 'update' },
  { name: 'wrong shape', reply: (r) => ({ status: 200, json: { id: echo(r) } }), op: 'update' },
  {
    name: 'space',
    reply: (r) => (r.path.includes('space') ? { status: r.path.includes('/rest/') ? 404 : 200, json: { results: [], message: echo(r) } } : { status: 500 }),
    op: 'create',
  },
  { name: 'missing page', reply: (r) => ({ status: 200, json: { id: '1', title: 'T', version: {}, message: echo(r) } }), op: 'get' },
];

function settingsFor(deployment: 'cloud' | 'datacenter', baseUrl: string): ConfluenceSettings {
  return deployment === 'cloud' ? { deployment, baseUrl, spaceKey: 'OPS', email: EMAIL, apiToken: API_TOKEN } : { deployment, baseUrl, spaceKey: 'OPS', personalAccessToken: PAT };
}

function run(pages: ConfluencePages, op: 'update' | 'create' | 'get'): Promise<unknown> {
  if (op === 'create') return pages.createPage({ title: 'INC-1', body: '<p>b</p>' });
  if (op === 'get') return pages.getPage('1');
  return pages.updatePage({ pageId: '1', title: 'INC-1', body: '<p>b</p>', version: 2 });
}

describe.each(['cloud', 'datacenter'] as const)('Confluence %s errors and credentials', (deployment) => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startLocalServer();
  });
  afterEach(() => server.close());

  it('when every error path is forced, then no thrown error carries the token, the email:token pair or the Authorization header', async () => {
    const errors: unknown[] = [];
    for (const scenario of SCENARIOS) {
      server.handle(scenario.reply);
      const pages = createConfluencePages(settingsFor(deployment, server.url), { sleep: async () => {} });
      errors.push(await rejectionOf(run(pages, scenario.op)));
    }
    const closed = await startLocalServer();
    await closed.close();
    errors.push(await rejectionOf(run(createConfluencePages(settingsFor(deployment, closed.url), { sleep: async () => {} }), 'update')));
    server.handle(() => ({ hang: true }));
    errors.push(await rejectionOf(run(createConfluencePages(settingsFor(deployment, server.url), { maxRetries: 0, timeoutMs: 50 }), 'update')));

    // Every code the port defines was reached, so no path went unchecked.
    expect(new Set(errors.map((e) => (e as ConfluenceError).code))).toEqual(new Set(ALL_CODES));
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConfluenceError);
      const e = error as ConfluenceError;
      const surfaces = [e.message, String(e), e.stack ?? '', inspect(e, { depth: 5 }), JSON.stringify(e)].join('\n');
      for (const secret of FORBIDDEN_TEXT) expect(surfaces).not.toContain(secret);
    }
    // The scrubbing was really exercised: the server echoed the header and the message shows the redaction.
    expect(errors.some((e) => (e as Error).message.includes('[redacted]'))).toBe(true);
  });
});
