// The resources both Jira APIs have in common (create, read, remote links, myself), and the dispatch to each
// deployment's own search and user search (jira-cloud.ts, jira-dc.ts).
import { readCreate } from './jira-create';
import { ISSUE_NOT_FOUND, jiraError } from './jira-errors';
import { ALL_FIELDS, fieldSelection, issueJson, userJson, type JsonContext } from './jira-json';
import { decodeSegment, isRecord, jsonReply, parseJson, type Reply, type Request } from './server';

export interface DeploymentRoutes {
  /** Answers search and user-search paths; undefined when the path is not one of them. */
  route(ctx: JsonContext, request: Request, path: string): Reply | undefined;
}

/** The JSON body, or the reply Jira's REST layer (Jersey) gives when there is none. */
export function jiraBody(request: Request): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  const parsed = parseJson(request, true);
  if (parsed.ok) return parsed;
  return parsed.problem === 'media_type'
    ? { ok: false, reply: jiraError(415, ['Unsupported Media Type: send Content-Type: application/json (wording ours).']) }
    : { ok: false, reply: jiraError(400, ['The request body is not valid JSON (wording ours).']) };
}

export function methodNotAllowed(request: Request): Reply {
  return jiraError(405, [`${request.method} is not allowed on this resource (wording ours).`]);
}

function createIssue(ctx: JsonContext, request: Request): Reply {
  const body = jiraBody(request);
  if (!body.ok) return body.reply;
  const result = readCreate(ctx.store, body.value, ctx.deployment);
  if (!result.ok) return jiraError(400, result.errorMessages, result.errors);
  const issue = ctx.store.create(result.issue);
  return jsonReply(201, { id: issue.id, key: issue.key, self: `${ctx.base}${ctx.api}/issue/${issue.id}` });
}

function getIssue(ctx: JsonContext, request: Request, idOrKey: string): Reply {
  const issue = ctx.store.issue(decodeSegment(idOrKey));
  if (!issue) return jiraError(404, [ISSUE_NOT_FOUND]);
  const fields = request.query.getAll('fields');
  return jsonReply(200, issueJson(ctx, issue, fieldSelection(fields, ALL_FIELDS)));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** POST creates or (same globalId) updates a remote link; GET lists them, or the one with `globalId`. */
function remoteLinks(ctx: JsonContext, request: Request, idOrKey: string): Reply {
  const issue = ctx.store.issue(decodeSegment(idOrKey));
  if (!issue) return jiraError(404, [ISSUE_NOT_FOUND]);
  const linkJson = (link: (typeof issue.remoteLinks)[number]) => ({
    id: link.id,
    self: `${ctx.base}${ctx.api}/issue/${issue.key}/remotelink/${link.id}`,
    ...(link.globalId === undefined ? {} : { globalId: link.globalId }),
    ...(link.relationship === undefined ? {} : { relationship: link.relationship }),
    object: { url: link.url, title: link.title },
  });
  if (request.method === 'GET') {
    const globalId = request.query.get('globalId');
    if (globalId === null) return jsonReply(200, issue.remoteLinks.map(linkJson));
    const found = issue.remoteLinks.find((l) => l.globalId === globalId);
    return found ? jsonReply(200, linkJson(found)) : jiraError(404, ['No remote link with this global id (wording ours).']);
  }
  if (request.method !== 'POST') return methodNotAllowed(request);
  const body = jiraBody(request);
  if (!body.ok) return body.reply;
  const input = isRecord(body.value) ? body.value : {};
  const object = isRecord(input.object) ? input.object : {};
  const url = text(object.url);
  const title = text(object.title);
  // Wording as Jira's field errors on a link without them (from memory).
  const errors: Record<string, string> = {
    ...(url ? {} : { url: "'url' is a required field" }),
    ...(title ? {} : { title: "'title' is a required field" }),
  };
  if (!url || !title) return jiraError(400, [], errors);
  if (typeof input.globalId === 'string' && input.globalId.length > 255) return jiraError(400, [], { globalId: 'The global ID must not exceed 255 characters (wording ours).' });
  const { link, created } = ctx.store.putRemoteLink(issue, {
    url,
    title,
    ...(typeof input.globalId === 'string' ? { globalId: input.globalId } : {}),
    ...(typeof input.relationship === 'string' ? { relationship: input.relationship } : {}),
  });
  const { id, self } = linkJson(link);
  return jsonReply(created ? 201 : 200, { id, self });
}

/** `path` is what follows the API prefix (`/rest/api/3` or `/rest/api/2`). */
export function jiraRoute(ctx: JsonContext, deployment: DeploymentRoutes, request: Request, path: string): Reply {
  if (path === '/issue') return request.method === 'POST' ? createIssue(ctx, request) : methodNotAllowed(request);
  const issueRef = /^\/issue\/([^/]+)$/.exec(path)?.[1];
  if (issueRef !== undefined) return request.method === 'GET' ? getIssue(ctx, request, issueRef) : methodNotAllowed(request);
  const linkedRef = /^\/issue\/([^/]+)\/remotelink$/.exec(path)?.[1];
  if (linkedRef !== undefined) return remoteLinks(ctx, request, linkedRef);
  if (path === '/myself') return request.method === 'GET' ? jsonReply(200, userJson(ctx, ctx.store.myself)) : methodNotAllowed(request);
  return deployment.route(ctx, request, path) ?? jiraError(404, [`No REST resource at ${ctx.api}${path} in the emulator (wording ours).`]);
}
