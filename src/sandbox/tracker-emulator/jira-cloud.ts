// Jira Cloud REST v3's own resources: the enhanced search (/search/jql, token pagination, only
// ids unless fields are asked for), the removed /search (410 since 2025), and user search by
// `query`, which the emulator answers for an exact e-mail match.
import { jiraError, searchError, SEARCH_REMOVED } from './jira-errors';
import { fieldSelection, ID_ONLY, issueJson, userJson, type JsonContext } from './jira-json';
import { jiraBody, methodNotAllowed, type DeploymentRoutes } from './jira-routes';
import { JqlError, runJql } from './jql';
import { isRecord, jsonReply, type Reply, type Request } from './server';

const DEFAULT_MAX = 50;
const MAX_RESULTS = 100;

interface SearchInput {
  jql: string;
  fields: string[] | undefined;
  maxResults: number;
  nextPageToken: string | undefined;
}

function tokenOffset(token: string | undefined): number | undefined {
  if (token === undefined) return 0;
  const offset = Number(
    Buffer.from(token, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

function searchInput(request: Request): SearchInput | Reply {
  if (request.method === 'GET') {
    const q = request.query;
    return { jql: q.get('jql') ?? '', fields: q.getAll('fields'), maxResults: Number(q.get('maxResults') ?? DEFAULT_MAX), nextPageToken: q.get('nextPageToken') ?? undefined };
  }
  const body = jiraBody(request);
  if (!body.ok) return body.reply;
  const value = isRecord(body.value) ? body.value : {};
  const fields = Array.isArray(value.fields) ? value.fields.filter((f): f is string => typeof f === 'string') : undefined;
  return {
    jql: typeof value.jql === 'string' ? value.jql : '',
    fields,
    maxResults: typeof value.maxResults === 'number' ? value.maxResults : DEFAULT_MAX,
    nextPageToken: typeof value.nextPageToken === 'string' ? value.nextPageToken : undefined,
  };
}

function search(ctx: JsonContext, request: Request): Reply {
  const input = searchInput(request);
  if (!('jql' in input)) return input;
  // The enhanced search refuses a query without a restriction (wording as Jira's, from memory).
  if (input.jql.trim() === '') return searchError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const offset = tokenOffset(input.nextPageToken);
  if (offset === undefined) return searchError('The provided next page token is invalid or expired (wording ours).');
  const max = Math.min(Math.max(Number.isInteger(input.maxResults) ? input.maxResults : DEFAULT_MAX, 1), MAX_RESULTS);
  let found;
  try {
    found = runJql(ctx.store, input.jql);
  } catch (err) {
    if (err instanceof JqlError) return searchError(err.message);
    throw err;
  }
  const page = found.slice(offset, offset + max);
  const selection = fieldSelection(input.fields, ID_ONLY);
  const isLast = offset + max >= found.length;
  return jsonReply(200, {
    issues: page.map((issue) => issueJson(ctx, issue, selection)),
    isLast,
    ...(isLast ? {} : { nextPageToken: Buffer.from(`offset:${offset + max}`).toString('base64url') }),
  });
}

function userSearch(ctx: JsonContext, request: Request): Reply {
  const query = request.query.get('query') ?? request.query.get('accountId');
  if (query === null || query === '') return jiraError(400, ["The query parameter 'query' or 'accountId' is required (wording ours)."]);
  const user = ctx.store.userByEmail(query) ?? ctx.store.user(query);
  return jsonReply(200, user ? [userJson(ctx, user)] : []);
}

export const cloudRoutes: DeploymentRoutes = {
  route(ctx, request, path) {
    if (path === '/search/jql') return request.method === 'GET' || request.method === 'POST' ? search(ctx, request) : methodNotAllowed(request);
    if (path === '/search') return jiraError(410, [SEARCH_REMOVED]);
    if (path === '/user/search') return request.method === 'GET' ? userSearch(ctx, request) : methodNotAllowed(request);
    return undefined;
  },
};
