import { cloudRoute } from './cloud-api';
import { dcRoute } from './dc-api';
import { errorReply, injectedReply, unauthorized } from './errors';
import { FailureQueue, type CallMatcher } from '../emulated-http/failures';
import { header, startServer, type Reply, type Request, type RunningServer } from '../emulated-http/server';
import type { ApiContext } from './links';
import { ContentProblem, ContentStore } from './store';
import type { ConfluenceCall, ConfluenceEmulatorOptions, EmulatedPage, EmulatedSpace, InjectedFailure, NewPage } from './types';

const CLOUD_API = '/wiki/api/v2';
const DC_API = '/rest/api';

function copy(page: EmulatedPage): EmulatedPage {
  return { ...page };
}

/**
 * A Confluence site in memory behind a real HTTP server on 127.0.0.1, speaking either Cloud's
 * REST API v2 or Data Center's REST API, for tests and the offline demo.
 *
 * CONFLUENCE_BASE_URL is `baseUrl`: the site root, below which the API paths start.
 * - Cloud: `https://<site>.atlassian.net` (no `/wiki`); the API is `${base}/wiki/api/v2/…`, and
 *   pages link as `_links.base` (`${base}/wiki`) + `_links.webui`.
 * - Data Center: the site URL including any context path, e.g. `https://confluence.example.com` or
 *   `https://example.com/confluence`; the API is `${base}/rest/api/…`, and `_links.base` is `${base}`.
 *
 * Error bodies copy real responses quoted in public bug reports:
 * - Cloud v2 `{ errors: [{ status, code, title, detail }] }`, 404 title "Not Found" (hunyadi/md2conf#113);
 *   title clash 400 "A page with this title already exists: A page already exists with the same TITLE
 *   in this space" (clients matching `errors[0].title`); wrong Basic credentials 401 text/plain
 *   "Basic authentication with passwords is deprecated. …" (jc1518/Confluence-Space-Exporter#11).
 * - Data Center `{ statusCode, data, message, reason }`: "No content found with id: ContentId{id=…}",
 *   "No space with key : X", "Version must be incremented on update. Current version is: N"
 *   (justmiles/go-markdown2confluence#43), "A page with this title already exists: A page already
 *   exists with the title T in the space with key K" (confluence-publisher#369), "Error parsing xhtml:
 *   Unexpected close tag </xml>; expected </p>.\n at [row,col {unknown-source}]: [r,c]" (kovetskiy/mark#54,
 *   chesshacker/terraform-provider-confluence#7); 401 is Tomcat's page with `X-Seraph-LoginReason`.
 * Cloud 409/invalid-body titles reuse the Data Center messages in the v2 shape (no real v2 body found).
 */
export class ConfluenceEmulator {
  private readonly store = new ContentStore();
  private readonly failures = new FailureQueue<InjectedFailure>();
  private readonly log: ConfluenceCall[] = [];
  private server?: RunningServer;

  private constructor(private readonly options: ConfluenceEmulatorOptions) {
    for (const space of options.spaces ?? [{ key: 'INC', name: 'Incidents' }]) this.store.addSpace(space.key, space.name ?? space.key);
  }

  static async start(options: ConfluenceEmulatorOptions): Promise<ConfluenceEmulator> {
    if (options.deployment === 'cloud' && !options.cloud) throw new Error('A Cloud emulator needs cloud: { email, apiToken }');
    if (options.deployment === 'datacenter' && !options.datacenter) throw new Error('A Data Center emulator needs datacenter: { personalAccessToken }');
    const emulator = new ConfluenceEmulator(options);
    emulator.server = await startServer('Confluence', (request) => emulator.handle(request));
    return emulator;
  }

  get deployment(): ConfluenceEmulatorOptions['deployment'] {
    return this.options.deployment;
  }

  /** What CONFLUENCE_BASE_URL should be set to (see the class comment). */
  get baseUrl(): string {
    if (!this.server) throw new Error('Confluence emulator is not running');
    return `${this.server.origin}${this.contextPath}`;
  }

  /** Every request so far, oldest first. Credentials are never recorded. */
  get calls(): ConfluenceCall[] {
    return this.log.map((c) => ({ ...c }));
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  spaces(): EmulatedSpace[] {
    return this.store.spaces().map((s) => ({ ...s }));
  }

  /** Current (not trashed) pages, oldest first; each space's home page is left out. */
  pages(): EmulatedPage[] {
    return this.store
      .pages()
      .filter((p) => p.status === 'current' && !this.store.isHomepage(p))
      .map(copy);
  }

  /** Any page by id, trashed or not. */
  page(id: string): EmulatedPage | undefined {
    const page = this.store.page(id);
    return page && copy(page);
  }

  /** A person creates a page in the UI (not logged as an API call). */
  createPage(input: NewPage): EmulatedPage {
    const space = this.store.space(input.spaceKey);
    return copy(this.asUser(() => this.store.create(input.spaceKey, input.parentId ?? space?.homepageId, { title: input.title, body: input.body })));
  }

  /** A person edits a page in the UI: the version goes up by one, so a writer holding the old one gets a 409. */
  editPage(id: string, changes: { title?: string; body?: string }): EmulatedPage {
    return copy(
      this.asUser(() => {
        const page = this.store.currentPage(id);
        return this.store.update(id, page.version + 1, { title: changes.title ?? page.title, body: changes.body ?? page.body });
      }),
    );
  }

  /** A person deletes the page in the UI: it goes to the trash and API reads answer 404. */
  deletePage(id: string): void {
    this.asUser(() => this.store.trash(id));
  }

  /**
   * The next `times` requests that match fail this way, before authentication (as a gateway or
   * rate limiter would). 429s carry `Retry-After` in seconds.
   */
  failNext(matcher: CallMatcher, failure: InjectedFailure, times = 1): void {
    this.failures.add(matcher, failure, times);
  }

  private get contextPath(): string {
    const path = this.options.datacenter?.contextPath ?? '';
    return this.options.deployment === 'datacenter' && path ? `/${path.replace(/^\/+|\/+$/g, '')}` : '';
  }

  private asUser<T>(action: () => T): T {
    try {
      return action();
    } catch (err) {
      if (err instanceof ContentProblem) throw new Error(`Confluence would refuse this: ${err.message}`);
      throw err;
    }
  }

  private authenticated(request: Request): boolean {
    const authorization = header(request, 'authorization') ?? '';
    if (this.options.deployment === 'cloud') {
      const encoded = /^Basic\s+(\S+)$/i.exec(authorization)?.[1];
      const { email, apiToken } = this.options.cloud ?? { email: '', apiToken: '' };
      return encoded !== undefined && Buffer.from(encoded, 'base64').toString('utf8') === `${email}:${apiToken}`;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    return token !== undefined && token === this.options.datacenter?.personalAccessToken;
  }

  private answer(request: Request): Reply {
    const { deployment } = this.options;
    const target = request.rawQuery ? `${request.path}?${request.rawQuery}` : request.path;
    const injected = this.failures.take(request.method, target);
    if (injected) return injectedReply(deployment, injected);
    if (!this.authenticated(request)) return unauthorized(deployment, header(request, 'authorization') !== undefined);
    const ctx: ApiContext = {
      store: this.store,
      linkBase: deployment === 'cloud' ? `${this.baseUrl}/wiki` : this.baseUrl,
      contextPath: this.contextPath,
    };
    const prefix = deployment === 'cloud' ? CLOUD_API : `${this.contextPath}${DC_API}`;
    if (!request.path.startsWith(`${prefix}/`)) return errorReply(deployment, 404, deployment === 'cloud' ? 'Not Found' : `No REST resource at ${request.path}`);
    const path = request.path.slice(prefix.length);
    return deployment === 'cloud' ? cloudRoute(ctx, request, path) : dcRoute(ctx, request, path);
  }

  private handle(request: Request): Reply {
    const reply = this.answer(request);
    this.log.push({ method: request.method, path: request.path, query: request.rawQuery, status: reply.status });
    return reply;
  }
}
