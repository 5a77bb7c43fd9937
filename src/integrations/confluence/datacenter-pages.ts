// The ConfluencePages port on Confluence Data Center / Server (/rest/api/content), authenticated
// with a personal access token. The base URL may carry a context path (`https://host/confluence`).

import { z } from 'zod';

import { ConfluenceError, type ConfluencePage, type ConfluencePages } from '../../ports/confluence';
import { isGone, onceUntilFailure, pickByTitle, trimSlashes } from './common';
import { ConfluenceHttp, isNotFound, parseBody, type ConfluenceHttpOptions } from './http';

export interface DataCenterPagesSettings {
  baseUrl: string;
  spaceKey: string;
  parentPageId?: string;
  personalAccessToken: string;
}

const API = '/rest/api';

const pageSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string(),
  status: z.string().optional(),
  version: z.object({ number: z.number().int() }),
  body: z.object({ storage: z.object({ value: z.string() }).optional() }).optional(),
  _links: z.object({ webui: z.string().optional(), base: z.string().optional() }).optional(),
});
type DataCenterPage = z.infer<typeof pageSchema>;
const pageListSchema = z.object({
  results: z.array(pageSchema),
  _links: z.object({ base: z.string().optional() }).optional(),
});

export class DataCenterPages implements ConfluencePages {
  readonly deployment = 'datacenter' as const;
  private readonly http: ConfluenceHttp;
  private readonly baseUrl: string;
  /** DC answers a search in an unknown space with an empty list, so the space is checked once up front. */
  private readonly checkSpace = onceUntilFailure(() => this.lookUpSpace());

  constructor(
    private readonly settings: DataCenterPagesSettings,
    options: ConfluenceHttpOptions = {},
  ) {
    this.baseUrl = trimSlashes(settings.baseUrl);
    const token = settings.personalAccessToken;
    this.http = new ConfluenceHttp({ baseUrl: this.baseUrl, authorization: `Bearer ${token}`, secrets: [token, `Bearer ${token}`] }, options);
  }

  async getPage(pageId: string): Promise<(ConfluencePage & { body: string }) | undefined> {
    const raw = await this.http.requestIfFound('GET', `${API}/content/${encodeURIComponent(pageId)}`, { query: { expand: 'body.storage,version,space' } });
    if (raw === undefined) return undefined;
    const page = parseBody(pageSchema, raw, 'get page');
    if (isGone(page.status)) return undefined;
    const body = page.body?.storage?.value;
    if (body === undefined) throw new ConfluenceError('invalid_response', 'Confluence get page: the page came without its storage body');
    return { ...this.toPage(page), body };
  }

  async findPageByTitle(title: string): Promise<(ConfluencePage & { body: string }) | undefined> {
    await this.checkSpace();
    const raw = await this.http.request('GET', `${API}/content`, {
      query: { spaceKey: this.settings.spaceKey, title, expand: 'body.storage,version' },
    });
    const list = parseBody(pageListSchema, raw, 'find page by title');
    const page = pickByTitle(list.results, title);
    if (!page) return undefined;
    const body = page.body?.storage?.value;
    if (body === undefined) throw new ConfluenceError('invalid_response', 'Confluence find page by title: the page came without its storage body');
    return { ...this.toPage(page, list._links?.base), body };
  }

  async createPage(input: { title: string; body: string }): Promise<ConfluencePage> {
    await this.checkSpace();
    const parentId = this.settings.parentPageId;
    const raw = await this.http.request('POST', `${API}/content`, {
      body: {
        type: 'page',
        title: input.title,
        space: { key: this.settings.spaceKey },
        ...(parentId ? { ancestors: [{ id: parentId }] } : {}),
        body: { storage: { value: input.body, representation: 'storage' } },
      },
    });
    return this.toPage(parseBody(pageSchema, raw, 'create page'));
  }

  async updatePage(input: { pageId: string; title: string; body: string; version: number }): Promise<ConfluencePage> {
    // No `ancestors`: leaving them out keeps the page where it is (someone may have moved it).
    const raw = await this.http.request('PUT', `${API}/content/${encodeURIComponent(input.pageId)}`, {
      body: {
        id: input.pageId,
        type: 'page',
        title: input.title,
        space: { key: this.settings.spaceKey },
        body: { storage: { value: input.body, representation: 'storage' } },
        version: { number: input.version },
      },
    });
    return this.toPage(parseBody(pageSchema, raw, 'update page'));
  }

  private async lookUpSpace(): Promise<void> {
    const key = this.settings.spaceKey;
    try {
      await this.http.request('GET', `${API}/space/${encodeURIComponent(key)}`);
    } catch (error) {
      if (isNotFound(error)) throw new ConfluenceError('space_not_found', `Confluence space "${key}" was not found (or is not visible to this token)`, 404);
      throw error;
    }
  }

  private toPage(page: DataCenterPage, listBase?: string): ConfluencePage {
    // `_links.base` is the server's own public base URL, which may differ from the address the bot uses.
    const base = trimSlashes(page._links?.base ?? listBase ?? this.baseUrl);
    const webui = page._links?.webui ?? `/pages/viewpage.action?pageId=${encodeURIComponent(page.id)}`;
    return { id: page.id, title: page.title, version: page.version.number, url: `${base}${webui}` };
  }
}
