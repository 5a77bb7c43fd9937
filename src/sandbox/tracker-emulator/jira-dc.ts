// Jira Data Center REST v2's own resources: the classic search (GET or POST /search, offset
// pagination with a total, navigable fields by default) and user search by `username`, which
// matches a user name or e-mail address here.
import { jiraError, searchError } from './jira-errors';
import { ALL_FIELDS, fieldSelection, issueJson, userJson, type JsonContext } from './jira-json';
import { jiraBody, methodNotAllowed, type DeploymentRoutes } from './jira-routes';
import { JqlError, runJql } from './jql';
import { isRecord, jsonReply, type Reply, type Request } from './server';

const DEFAULT_MAX = 50;
const MAX_RESULTS = 1000;

interface SearchInput {
  jql: string;
  fields: string[] | undefined;
  startAt: number;
  maxResults: number;
}

function searchInput(request: Request): SearchInput | Reply {
  if (request.method === 'GET') {
    const q = request.query;
    return { jql: q.get('jql') ?? '', fields: q.getAll('fields'), startAt: Number(q.get('startAt') ?? 0), maxResults: Number(q.get('maxResults') ?? DEFAULT_MAX) };
  }
  const body = jiraBody(request);
  if (!body.ok) return body.reply;
  const value = isRecord(body.value) ? body.value : {};
  return {
    jql: typeof value.jql === 'string' ? value.jql : '',
    fields: Array.isArray(value.fields) ? value.fields.filter((f): f is string => typeof f === 'string') : undefined,
    startAt: typeof value.startAt === 'number' ? value.startAt : 0,
    maxResults: typeof value.maxResults === 'number' ? value.maxResults : DEFAULT_MAX,
  };
}

function search(ctx: JsonContext, request: Request): Reply {
  const input = searchInput(request);
  if (!('jql' in input)) return input;
  let found;
  try {
    found = runJql(ctx.store, input.jql);
  } catch (err) {
    if (err instanceof JqlError) return searchError(err.message);
    throw err;
  }
  const startAt = Number.isInteger(input.startAt) && input.startAt > 0 ? input.startAt : 0;
  const maxResults = Math.min(Math.max(Number.isInteger(input.maxResults) ? input.maxResults : DEFAULT_MAX, 0), MAX_RESULTS);
  const selection = fieldSelection(input.fields, ALL_FIELDS);
  return jsonReply(200, {
    expand: 'names,schema',
    startAt,
    maxResults,
    total: found.length,
    issues: found.slice(startAt, startAt + maxResults).map((issue) => issueJson(ctx, issue, selection)),
  });
}

function userSearch(ctx: JsonContext, request: Request): Reply {
  const username = request.query.get('username');
  // Wording from memory of Data Center's answer.
  if (username === null || username === '') return jiraError(400, ['The username query parameter was not provided']);
  const user = ctx.store.user(username) ?? ctx.store.userByEmail(username);
  return jsonReply(200, user ? [userJson(ctx, user)] : []);
}

export const dcRoutes: DeploymentRoutes = {
  route(ctx, request, path) {
    if (path === '/search') return request.method === 'GET' || request.method === 'POST' ? search(ctx, request) : methodNotAllowed(request);
    if (path === '/user/search') return request.method === 'GET' ? userSearch(ctx, request) : methodNotAllowed(request);
    return undefined;
  },
};
