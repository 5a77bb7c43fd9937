// Confluence Data Center / Server REST API (`/rest/api`), the part the export uses. Content comes
// back with Confluence's expansion model: fields not asked for in `expand` are listed under
// `_expandable` instead (GET by id defaults to `history,space,version`, as Data Center does).
import { dcError } from './errors';
import { jsonBody, jsonReply, type Reply, type Request } from '../emulated-http/server';
import { dcWebui, isNumericId, objectField, stringField, tinyui, type ApiContext } from './links';
import { ContentProblem } from './store';
import type { EmulatedPage, EmulatedSpace } from './types';

/** The user the personal access token belongs to. */
const USER = { type: 'known', username: 'incident-bot', userKey: 'ff8080817b0f0a4e017b0f0b2e3c0000', displayName: 'Incident Bot' };
const DEFAULT_EXPAND = ['history', 'space', 'version'];
const WRITE_EXPAND = ['body.storage', 'history', 'space', 'version', 'ancestors'];

class BadRequest extends Error {}

function expansions(query: URLSearchParams, fallback: string[]): Set<string> {
  const raw = query.get('expand');
  return new Set(raw === null ? fallback : raw.split(',').map((e) => e.trim()));
}

function spaceJson(ctx: ApiContext, space: EmulatedSpace): Record<string, unknown> {
  return {
    id: Number(space.id),
    key: space.key,
    name: space.name,
    type: 'global',
    status: 'current',
    _links: { webui: `/display/${space.key}`, collection: '/rest/api/space', base: ctx.linkBase, context: ctx.contextPath, self: `${ctx.linkBase}/rest/api/space/${space.key}` },
    _expandable: { metadata: '', icon: '', description: '', retentionPolicy: '', homepage: `/rest/api/content/${space.homepageId}` },
  };
}

function ancestorsOf(ctx: ApiContext, page: EmulatedPage): EmulatedPage[] {
  const chain: EmulatedPage[] = [];
  for (let id = page.parentId; id !== undefined;) {
    const parent = ctx.store.page(id);
    if (!parent) break;
    chain.unshift(parent); // Confluence lists the top of the tree first, the direct parent last
    id = parent.parentId;
  }
  return chain;
}

function contentJson(ctx: ApiContext, page: EmulatedPage, expand: Set<string>): Record<string, unknown> {
  const self = `${ctx.linkBase}/rest/api/content/${page.id}`;
  const json: Record<string, unknown> = { id: page.id, type: 'page', status: page.status, title: page.title };
  const expandable: Record<string, string> = { container: '', metadata: '', operations: '', children: `/rest/api/content/${page.id}/child`, restrictions: '', descendants: '' };
  const space = ctx.store.space(page.spaceKey);
  if (expand.has('space') && space) json.space = spaceJson(ctx, space);
  else expandable.space = `/rest/api/space/${page.spaceKey}`;
  if (expand.has('history')) json.history = { latest: true, createdBy: USER, createdDate: page.createdAt, _links: { self: `${self}/history` } };
  else expandable.history = `/rest/api/content/${page.id}/history`;
  if (expand.has('version')) {
    json.version = {
      by: USER,
      when: page.updatedAt,
      message: page.versionMessage ?? '',
      number: page.version,
      minorEdit: false,
      _expandable: { content: `/rest/api/content/${page.id}` },
    };
  } else expandable.version = '';
  if (expand.has('ancestors')) json.ancestors = ancestorsOf(ctx, page).map((a) => ({ id: a.id, type: 'page', status: a.status, title: a.title }));
  else expandable.ancestors = '';
  if (expand.has('body.storage')) {
    json.body = {
      storage: { value: page.body, representation: 'storage', _expandable: { content: `/rest/api/content/${page.id}` } },
      _expandable: { editor: '', view: '', export_view: '', styled_view: '', anonymous_export_view: '' },
    };
  } else expandable.body = '';
  json.extensions = { position: 'none' };
  json._links = {
    webui: dcWebui(page.spaceKey, page.id, page.title),
    edit: `/pages/resumedraft.action?draftId=${page.id}`,
    tinyui: tinyui(page.id),
    collection: '/rest/api/content',
    base: ctx.linkBase,
    context: ctx.contextPath,
    self,
  };
  json._expandable = expandable;
  return json;
}

function problemReply(problem: ContentProblem): Reply {
  switch (problem.kind) {
    case 'title_taken':
      return dcError(400, `A page with this title already exists: A page already exists with the title ${problem.subject} in the space with key ${problem.spaceKey}`);
    case 'invalid_storage':
      return dcError(400, problem.message);
    case 'version_conflict':
      return dcError(409, problem.message);
    case 'page_not_found':
      return dcError(404, `No content found with id: ContentId{id=${problem.subject}}`);
    case 'space_not_found':
    case 'parent_not_found':
      return dcError(404, problem.message);
  }
}

/** `body: { storage: { value, representation: 'storage' } }`; pages may be created empty. */
function storageValue(raw: unknown, required: boolean): string {
  if (raw === undefined && !required) return '';
  const storage = objectField(objectField(raw)?.storage);
  if (!storage || storage.representation !== 'storage' || typeof storage.value !== 'string') {
    throw new BadRequest('body.storage must be { value: string, representation: "storage" }; the emulator accepts storage format only');
  }
  return storage.value;
}

function commonFields(input: Record<string, unknown>): { title: string; spaceKey?: string; parentId?: string } {
  if (input.type !== 'page') throw new BadRequest('type is required and the emulator supports "page" only');
  if ((input.status ?? 'current') !== 'current') throw new BadRequest('The emulator writes published pages only (status "current")');
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) throw new BadRequest('Content title is required');
  const ancestors = Array.isArray(input.ancestors) ? input.ancestors : undefined;
  // The new parent is the last ancestor given; the rest of the chain follows from it.
  const parentId = ancestors?.length ? stringField(objectField(ancestors[ancestors.length - 1])?.id) : undefined;
  if (ancestors?.length && parentId === undefined) throw new BadRequest('ancestors must be [{ id }]');
  return { title, spaceKey: stringField(objectField(input.space)?.key), parentId };
}

function createContent(ctx: ApiContext, request: Request): Reply {
  const parsed = jsonBody(request);
  if (!parsed.ok) return dcError(parsed.status, parsed.message);
  const { title, spaceKey, parentId } = commonFields(parsed.value);
  if (!spaceKey) throw new BadRequest('space.key is required');
  const page = ctx.store.create(spaceKey, parentId, { title, body: storageValue(parsed.value.body, false) });
  return jsonReply(200, contentJson(ctx, page, new Set(WRITE_EXPAND)));
}

function updateContent(ctx: ApiContext, id: string, request: Request): Reply {
  const current = ctx.store.currentPage(id);
  const parsed = jsonBody(request);
  if (!parsed.ok) return dcError(parsed.status, parsed.message);
  const input = parsed.value;
  const { title, spaceKey, parentId } = commonFields(input);
  if (input.id !== undefined && stringField(input.id) !== id) throw new BadRequest(`id in the body must be the content's id (${id})`);
  if (spaceKey !== undefined && spaceKey !== current.spaceKey) throw new BadRequest('Moving content to a different space is not supported');
  if (parentId !== undefined && parentId !== current.parentId) throw new BadRequest('The emulator does not move pages between parents');
  const number = objectField(input.version)?.number;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new BadRequest('version.number is required');
  const message = objectField(input.version)?.message;
  const page = ctx.store.update(id, number, { title, body: storageValue(input.body, true), versionMessage: typeof message === 'string' ? message : undefined });
  return jsonReply(200, contentJson(ctx, page, new Set(WRITE_EXPAND)));
}

function listContent(ctx: ApiContext, request: Request): Reply {
  const { query } = request;
  const spaceKey = query.get('spaceKey');
  if (spaceKey !== null && !ctx.store.space(spaceKey)) return dcError(404, `No space with key : ${spaceKey}`);
  const title = query.get('title');
  const status = query.get('status') ?? 'current';
  const type = query.get('type') ?? 'page';
  const start = Math.max(Number(query.get('start') ?? 0) || 0, 0);
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 25) || 25, 1), 500);
  const expand = expansions(query, []);
  const matches = ctx.store
    .pages()
    .filter((p) => type === 'page' && (status === 'any' || p.status === status) && (spaceKey === null || p.spaceKey === spaceKey))
    .filter((p) => title === null || p.title.toLowerCase() === title.toLowerCase());
  const results = matches.slice(start, start + limit).map((p) => contentJson(ctx, p, expand));
  const self = `${ctx.linkBase}/rest/api/content${request.rawQuery ? `?${request.rawQuery}` : ''}`;
  return jsonReply(200, { results, start, limit, size: results.length, _links: { self, base: ctx.linkBase, context: ctx.contextPath } });
}

function contentById(ctx: ApiContext, id: string, request: Request): Reply {
  if (request.method === 'GET') {
    const page = ctx.store.page(id);
    const status = request.query.get('status') ?? 'current';
    if (!page || (status !== 'any' && page.status !== status)) return dcError(404, `No content found with id: ContentId{id=${id}}`);
    return jsonReply(200, contentJson(ctx, page, expansions(request.query, DEFAULT_EXPAND)));
  }
  if (request.method === 'PUT') return updateContent(ctx, id, request);
  if (request.method === 'DELETE') {
    ctx.store.trash(id);
    return { status: 204, headers: {}, body: '' };
  }
  return dcError(405, `${request.method} is not supported here`);
}

function dispatch(ctx: ApiContext, request: Request, path: string): Reply {
  const spaceKey = /^\/space\/([^/]+)$/.exec(path)?.[1];
  if (spaceKey !== undefined) {
    const space = ctx.store.space(decodeURIComponent(spaceKey));
    if (request.method !== 'GET') return dcError(405, `${request.method} is not supported here`);
    return space ? jsonReply(200, spaceJson(ctx, space)) : dcError(404, `No space with key : ${decodeURIComponent(spaceKey)}`);
  }
  if (path === '/content') {
    if (request.method === 'GET') return listContent(ctx, request);
    return request.method === 'POST' ? createContent(ctx, request) : dcError(405, `${request.method} is not supported here`);
  }
  const id = /^\/content\/([^/]+)$/.exec(path)?.[1];
  if (id === undefined) return dcError(404, `No REST resource at /rest/api${path}`);
  if (!isNumericId(id)) return dcError(404, `No content found with id: ContentId{id=${decodeURIComponent(id)}}`);
  return contentById(ctx, id, request);
}

/** Answers a request below `<context>/rest/api` (`path` is what follows it), already authenticated. */
export function dcRoute(ctx: ApiContext, request: Request, path: string): Reply {
  try {
    return dispatch(ctx, request, path);
  } catch (err) {
    if (err instanceof BadRequest) return dcError(400, err.message);
    if (err instanceof ContentProblem) return problemReply(err);
    throw err;
  }
}
