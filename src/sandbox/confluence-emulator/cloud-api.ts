// Confluence Cloud REST API v2, the part the export uses, under `/wiki/api/v2`. Shapes follow
// Atlassian's v2 OpenAPI spec (PageSingle/PageBulk, SpaceBulk, MultiEntityResult, 200 on create).
import { cloudError } from './errors';
import { jsonBody, jsonReply, type Reply, type Request } from '../emulated-http/server';
import { isNumericId, listParam, objectField, stringField, tinyui, titleSlug, type ApiContext } from './links';
import { ContentProblem } from './store';
import type { EmulatedPage, EmulatedSpace } from './types';

/** The Atlassian account the API token belongs to. */
const ACCOUNT_ID = '5b10ac8d82e05b22cc7d4ef5';
const TITLE_TAKEN = 'A page with this title already exists: A page already exists with the same TITLE in this space';

type BodyFormat = 'storage' | undefined;

class BadRequest extends Error {}

function spaceJson(space: EmulatedSpace, createdAt: string): Record<string, unknown> {
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: 'global',
    status: 'current',
    authorId: ACCOUNT_ID,
    createdAt,
    homepageId: space.homepageId,
    description: null,
    icon: null,
    _links: { webui: `/spaces/${space.key}` },
  };
}

function pageJson(page: EmulatedPage, format: BodyFormat): Record<string, unknown> {
  return {
    id: page.id,
    status: page.status,
    title: page.title,
    spaceId: page.spaceId,
    parentId: page.parentId ?? null,
    parentType: page.parentId ? 'page' : null,
    position: null,
    authorId: ACCOUNT_ID,
    ownerId: ACCOUNT_ID,
    lastOwnerId: null,
    createdAt: page.createdAt,
    version: { createdAt: page.updatedAt, message: page.versionMessage ?? '', number: page.version, minorEdit: false, authorId: ACCOUNT_ID },
    body: format === 'storage' ? { storage: { representation: 'storage', value: page.body } } : {},
    _links: {
      editui: `/pages/resumedraft.action?draftId=${page.id}`,
      webui: `/spaces/${page.spaceKey}/pages/${page.id}/${titleSlug(page.title)}`,
      edituiv2: `/spaces/${page.spaceKey}/pages/edit-v2/${page.id}`,
      tinyui: tinyui(page.id),
    },
  };
}

function singlePage(ctx: ApiContext, page: EmulatedPage, format: BodyFormat): Reply {
  const json = pageJson(page, format);
  return jsonReply(200, { ...json, _links: { ...(json._links as object), base: ctx.linkBase } });
}

/** The emulator keeps storage format only; other formats would need Confluence's converters. */
function bodyFormat(query: URLSearchParams): BodyFormat {
  const format = query.get('body-format');
  if (format === null) return undefined;
  if (format !== 'storage') throw new BadRequest(`The emulator supports body-format=storage only, not ${format}`);
  return 'storage';
}

/** `{ representation, value }`, or the nested `{ storage: { representation, value } }` form. */
function storageValue(raw: unknown): string {
  if (raw === undefined) return '';
  const body = objectField(raw);
  const write = objectField(body?.storage) ?? body;
  if (!write || write.representation !== 'storage' || typeof write.value !== 'string') {
    throw new BadRequest('body must be { representation: "storage", value: string }; the emulator accepts storage format only');
  }
  return write.value;
}

function problemReply(problem: ContentProblem): Reply {
  switch (problem.kind) {
    case 'title_taken':
      return cloudError(400, TITLE_TAKEN);
    case 'invalid_storage':
      return cloudError(400, problem.message);
    case 'version_conflict':
      return cloudError(409, problem.message);
    case 'parent_not_found':
      return cloudError(404, problem.message);
    case 'space_not_found':
    case 'page_not_found':
      return cloudError(404, 'Not Found');
  }
}

function listSpaces(ctx: ApiContext, query: URLSearchParams): Reply {
  const keys = listParam(query, 'keys');
  const ids = listParam(query, 'ids');
  const results = ctx.store
    .spaces()
    .filter((s) => (!keys || keys.includes(s.key)) && (!ids || ids.includes(s.id)))
    // A space is as old as its home page, which is created with it.
    .map((s) => spaceJson(s, ctx.store.page(s.homepageId)?.createdAt ?? ''));
  return jsonReply(200, { results, _links: { base: ctx.linkBase } });
}

function listPages(ctx: ApiContext, query: URLSearchParams): Reply {
  const format = bodyFormat(query);
  const spaceIds = listParam(query, 'space-id');
  const ids = listParam(query, 'id');
  const statuses = listParam(query, 'status') ?? ['current', 'archived'];
  const title = query.get('title');
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 25) || 25, 1), 250);
  const results = ctx.store
    .pages()
    .filter((p) => statuses.includes(p.status) && (!spaceIds || spaceIds.includes(p.spaceId)) && (!ids || ids.includes(p.id)))
    .filter((p) => title === null || p.title.toLowerCase() === title.toLowerCase())
    .slice(0, limit)
    .map((p) => pageJson(p, format));
  return jsonReply(200, { results, _links: { base: ctx.linkBase } });
}

function createPage(ctx: ApiContext, request: Request): Reply {
  const parsed = jsonBody(request);
  if (!parsed.ok) return cloudError(parsed.status, parsed.message);
  const input = parsed.value;
  const spaceId = stringField(input.spaceId);
  if (!spaceId) throw new BadRequest('spaceId is required');
  if ((input.status ?? 'current') !== 'current') throw new BadRequest('The emulator creates published pages only (status "current")');
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) throw new BadRequest('Title is required when creating a page that is not a draft');
  const space = ctx.store.spaceById(spaceId);
  if (!space) return cloudError(404, 'Not Found');
  const rootLevel = request.query.get('root-level') === 'true';
  const explicitParent = stringField(input.parentId);
  if (rootLevel && explicitParent) throw new BadRequest('parentId may not be supplied when root-level is true');
  // Without a parent, v2 files the page under the space's home page.
  const parentId = rootLevel ? undefined : (explicitParent ?? space.homepageId);
  const page = ctx.store.create(space.key, parentId, { title, body: storageValue(input.body) });
  return singlePage(ctx, page, 'storage');
}

function updatePage(ctx: ApiContext, id: string, request: Request): Reply {
  const current = ctx.store.currentPage(id);
  const parsed = jsonBody(request);
  if (!parsed.ok) return cloudError(parsed.status, parsed.message);
  const input = parsed.value;
  if (stringField(input.id) !== id) throw new BadRequest(`id in the body must be the page's id (${id})`);
  if (input.status !== 'current') throw new BadRequest('status is required; the emulator accepts "current" only');
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) throw new BadRequest('title is required');
  if (input.body === undefined) throw new BadRequest('body is required');
  const version = objectField(input.version);
  const number = version?.number;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new BadRequest('version.number is required');
  const spaceId = stringField(input.spaceId);
  if (spaceId !== undefined && spaceId !== current.spaceId) throw new BadRequest('Moving a page to a different space is not supported');
  const parentId = stringField(input.parentId);
  if (parentId !== undefined && parentId !== current.parentId) throw new BadRequest('The emulator does not move pages between parents');
  const message = typeof version?.message === 'string' ? version.message : undefined;
  const page = ctx.store.update(id, number, { title, body: storageValue(input.body), versionMessage: message });
  return singlePage(ctx, page, 'storage');
}

function pageById(ctx: ApiContext, id: string, request: Request): Reply {
  if (request.method === 'GET') {
    const page = ctx.store.page(id);
    // Trashed pages are found only when asked for by status, as in Confluence.
    const statuses = listParam(request.query, 'status') ?? ['current', 'archived'];
    if (!page || !statuses.includes(page.status)) return cloudError(404, 'Not Found');
    return singlePage(ctx, page, bodyFormat(request.query));
  }
  if (request.method === 'PUT') return updatePage(ctx, id, request);
  if (request.method === 'DELETE') {
    ctx.store.trash(id);
    return { status: 204, headers: {}, body: '' };
  }
  return cloudError(405);
}

function dispatch(ctx: ApiContext, request: Request, path: string): Reply {
  if (path === '/spaces') return request.method === 'GET' ? listSpaces(ctx, request.query) : cloudError(405);
  if (path === '/pages') {
    if (request.method === 'GET') return listPages(ctx, request.query);
    return request.method === 'POST' ? createPage(ctx, request) : cloudError(405);
  }
  const id = /^\/pages\/([^/]+)$/.exec(path)?.[1];
  if (id === undefined) return cloudError(404, 'Not Found');
  if (!isNumericId(id)) throw new BadRequest(`Invalid page id: ${decodeURIComponent(id)}`);
  return pageById(ctx, id, request);
}

/** Answers a request below `/wiki/api/v2` (`path` is what follows it), already authenticated. */
export function cloudRoute(ctx: ApiContext, request: Request, path: string): Reply {
  try {
    return dispatch(ctx, request, path);
  } catch (err) {
    if (err instanceof BadRequest) return cloudError(400, err.message);
    if (err instanceof ContentProblem) return problemReply(err);
    throw err;
  }
}
