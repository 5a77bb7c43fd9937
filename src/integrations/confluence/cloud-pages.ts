// The ConfluencePages port on Confluence Cloud's REST API v2 (/wiki/api/v2). v2 addresses spaces by
// numeric id, so the configured key is resolved once and cached.

import { z } from 'zod';

import { ConfluenceError, type ConfluencePage, type ConfluencePages } from '../../ports/confluence';
import { isGone, onceUntilFailure, pickByTitle, trimSlashes } from './common';
import { ConfluenceHttp, parseBody, type ConfluenceHttpOptions } from './http';

export interface CloudPagesSettings {
  /** The site root, e.g. `https://acme.atlassian.net` (no `/wiki`). */
  baseUrl: string;
  spaceKey: string;
  parentPageId?: string;
  email: string;
  apiToken: string;
}

const API = '/wiki/api/v2';
export const VERSION_MESSAGE = 'Updated by Incident Commander';

const id = z.union([z.string().min(1), z.number()]).transform(String);
const links = z.object({ webui: z.string().optional(), base: z.string().optional() }).optional();
const pageSchema = z.object({
  id,
  title: z.string(),
  status: z.string().optional(),
  version: z.object({ number: z.number().int() }),
  body: z.object({ storage: z.object({ value: z.string() }).optional() }).optional(),
  _links: links,
});
type CloudPage = z.infer<typeof pageSchema>;
const pageListSchema = z.object({ results: z.array(pageSchema), _links: links });
const spaceListSchema = z.object({ results: z.array(z.object({ id, key: z.string() })) });

export class CloudPages implements ConfluencePages {
  readonly deployment = 'cloud' as const;
  private readonly http: ConfluenceHttp;
  private readonly baseUrl: string;
  private readonly resolveSpaceId = onceUntilFailure(() => this.lookUpSpaceId());

  constructor(
    private readonly settings: CloudPagesSettings,
    options: ConfluenceHttpOptions = {},
  ) {
    this.baseUrl = trimSlashes(settings.baseUrl);
    const pair = `${settings.email}:${settings.apiToken}`;
    const basic = Buffer.from(pair, 'utf8').toString('base64');
    this.http = new ConfluenceHttp({ baseUrl: this.baseUrl, authorization: `Basic ${basic}`, secrets: [settings.apiToken, pair, basic, `Basic ${basic}`] }, options);
  }

  async getPage(pageId: string): Promise<(ConfluencePage & { body: string }) | undefined> {
    const raw = await this.http.requestIfFound('GET', `${API}/pages/${encodeURIComponent(pageId)}`, { query: { 'body-format': 'storage' } });
    if (raw === undefined) return undefined;
    const page = parseBody(pageSchema, raw, 'get page');
    if (isGone(page.status)) return undefined;
    const body = page.body?.storage?.value;
    if (body === undefined) throw new ConfluenceError('invalid_response', 'Confluence get page: the page came without its storage body');
    return { ...this.toPage(page), body };
  }

  async findPageByTitle(title: string): Promise<(ConfluencePage & { body: string }) | undefined> {
    const spaceId = await this.resolveSpaceId();
    const raw = await this.http.request('GET', `${API}/pages`, {
      query: { 'space-id': spaceId, title, 'body-format': 'storage', status: 'current' },
    });
    const list = parseBody(pageListSchema, raw, 'find page by title');
    const page = pickByTitle(list.results, title);
    if (!page) return undefined;
    const body = page.body?.storage?.value;
    if (body === undefined) throw new ConfluenceError('invalid_response', 'Confluence find page by title: the page came without its storage body');
    // In a list, `base` sits on the list's own _links rather than on each page.
    return { ...this.toPage(page, list._links?.base), body };
  }

  async createPage(input: { title: string; body: string }): Promise<ConfluencePage> {
    const spaceId = await this.resolveSpaceId();
    const raw = await this.http.request('POST', `${API}/pages`, {
      body: {
        spaceId,
        status: 'current',
        title: input.title,
        ...(this.settings.parentPageId ? { parentId: this.settings.parentPageId } : {}),
        body: { representation: 'storage', value: input.body },
      },
    });
    return this.toPage(parseBody(pageSchema, raw, 'create page'));
  }

  async updatePage(input: { pageId: string; title: string; body: string; version: number }): Promise<ConfluencePage> {
    const raw = await this.http.request('PUT', `${API}/pages/${encodeURIComponent(input.pageId)}`, {
      body: {
        id: input.pageId,
        status: 'current',
        title: input.title,
        body: { representation: 'storage', value: input.body },
        version: { number: input.version, message: VERSION_MESSAGE },
      },
    });
    return this.toPage(parseBody(pageSchema, raw, 'update page'));
  }

  private async lookUpSpaceId(): Promise<string> {
    const key = this.settings.spaceKey;
    const raw = await this.http.request('GET', `${API}/spaces`, { query: { keys: key } });
    const space = parseBody(spaceListSchema, raw, 'look up space').results.find((s) => s.key.toUpperCase() === key.toUpperCase());
    if (!space) throw new ConfluenceError('space_not_found', `Confluence space "${key}" was not found (or is not visible to this account)`);
    return space.id;
  }

  private toPage(page: CloudPage, listBase?: string): ConfluencePage {
    const base = trimSlashes(page._links?.base ?? listBase ?? `${this.baseUrl}/wiki`);
    const webui = page._links?.webui ?? `/pages/viewpage.action?pageId=${encodeURIComponent(page.id)}`;
    return { id: page.id, title: page.title, version: page.version.number, url: `${base}${webui}` };
  }
}
