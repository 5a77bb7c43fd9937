// The resources both Jira APIs have in common (create, read, myself), and the dispatch to each
// deployment's own search and user search (jira-cloud.ts, jira-dc.ts).
import { readCreate } from './jira-create';
import { ISSUE_NOT_FOUND, jiraError } from './jira-errors';
import { ALL_FIELDS, fieldSelection, issueJson, userJson, type JsonContext } from './jira-json';
import { decodeSegment, jsonReply, parseJson, type Reply, type Request } from './server';

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

/** `path` is what follows the API prefix (`/rest/api/3` or `/rest/api/2`). */
export function jiraRoute(ctx: JsonContext, deployment: DeploymentRoutes, request: Request, path: string): Reply {
  if (path === '/issue') return request.method === 'POST' ? createIssue(ctx, request) : methodNotAllowed(request);
  const issueRef = /^\/issue\/([^/]+)$/.exec(path)?.[1];
  if (issueRef !== undefined) return request.method === 'GET' ? getIssue(ctx, request, issueRef) : methodNotAllowed(request);
  if (path === '/myself') return request.method === 'GET' ? jsonReply(200, userJson(ctx, ctx.store.myself)) : methodNotAllowed(request);
  return deployment.route(ctx, request, path) ?? jiraError(404, [`No REST resource at ${ctx.api}${path} in the emulator (wording ours).`]);
}
