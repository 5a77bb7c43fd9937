import { CloudPages, ConfluenceSettingsError, createConfluencePages, DataCenterPages, type ConfluenceSettings } from '../../../../src/integrations/confluence';
import { type LocalServer, startLocalServer } from './local-server';

function problemsOf(settings: ConfluenceSettings): string {
  try {
    createConfluencePages(settings);
  } catch (error) {
    if (error instanceof ConfluenceSettingsError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfluenceSettingsError');
}

describe('createConfluencePages', () => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startLocalServer(() => ({
      status: 200,
      json: { id: '1', title: 'T', status: 'current', version: { number: 2 }, body: { storage: { value: '<p>x</p>', representation: 'storage' } }, _links: { webui: '/x' } },
    }));
  });
  afterEach(() => server.close());

  it('when the deployment is cloud, then the Cloud adapter is built; a pasted /wiki suffix is dropped so paths are not doubled', async () => {
    const pages = createConfluencePages({ deployment: 'cloud', baseUrl: `${server.url}/wiki/`, spaceKey: 'OPS', email: 'a@b.test', apiToken: 'tok-123456' });

    expect(pages).toBeInstanceOf(CloudPages);
    expect(pages.deployment).toBe('cloud');
    await pages.getPage('1');
    expect(server.requests[0].path).toBe('/wiki/api/v2/pages/1');
  });

  it('when the deployment is datacenter, then the DC adapter is built and keeps the context path', async () => {
    const pages = createConfluencePages({ deployment: 'datacenter', baseUrl: `${server.url}/confluence`, spaceKey: 'OPS', personalAccessToken: 'pat-123456' });

    expect(pages).toBeInstanceOf(DataCenterPages);
    await pages.getPage('1');
    expect(server.requests[0].path).toBe('/confluence/rest/api/content/1');
  });

  it('when credentials for the deployment are missing, then each missing field is named', () => {
    expect(problemsOf({ deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', spaceKey: 'OPS' })).toMatch(/email is required.*apiToken is required/);
    expect(problemsOf({ deployment: 'datacenter', baseUrl: 'https://wiki.acme.test', spaceKey: '', apiToken: 'x' })).toMatch(
      /spaceKey is required.*personalAccessToken is required/,
    );
  });

  it('when the base URL embeds credentials or is not a URL, then it is refused without echoing it', () => {
    const withCredentials = problemsOf({ deployment: 'datacenter', baseUrl: 'https://bot:hunter2-secret@wiki.acme.test', spaceKey: 'OPS', personalAccessToken: 'p-123456' });
    expect(withCredentials).toContain('baseUrl must not contain credentials');
    expect(withCredentials).not.toContain('hunter2-secret');
    expect(problemsOf({ deployment: 'cloud', baseUrl: 'acme.atlassian.net', spaceKey: 'OPS', email: 'a@b.test', apiToken: 't-123456' })).toContain(
      'baseUrl must be an absolute http(s) URL',
    );
  });
});
