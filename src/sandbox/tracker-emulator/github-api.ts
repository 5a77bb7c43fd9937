// GitHub REST's issue endpoints: create, read, list (filters, newest first, Link pagination) and
// update, with GitHub's JSON shapes and validation. Errors and their sources: github-errors.ts.
import { DOCS_CREATE, DOCS_GET, DOCS_LIST, DOCS_UPDATE, notFound, problemsParsingJson, validationFailed, type FieldError } from './github-errors';
import type { GitHubStore, IssueWrite, StoredGitHubIssue, StoredRepo } from './github-store';
import { decodeSegment, isRecord, jsonReply, parseJson, type Reply, type Request } from './server';

const TITLE_MAX = 256;
const BODY_MAX = 65536;
const PER_PAGE_DEFAULT = 30;
const PER_PAGE_MAX = 100;
/** The token's owner, shown as every issue's author. */
const AUTHOR = 'incident-bot';

export interface GitHubContext {
  store: GitHubStore;
  /** The API root (`https://api.github.com` on github.com). */
  apiUrl: string;
  /** Where issues are shown (`https://github.com` on github.com). */
  webUrl: string;
}

function userJson(ctx: GitHubContext, login: string): Record<string, unknown> {
  return { login, id: 1000 + login.length, node_id: `U_${login}`, type: 'User', site_admin: false, url: `${ctx.apiUrl}/users/${login}`, html_url: `${ctx.webUrl}/${login}` };
}

export function issueJson(ctx: GitHubContext, repo: StoredRepo, issue: StoredGitHubIssue): Record<string, unknown> {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}/issues/${issue.number}`;
  const assignees = issue.assignees.map((login) => userJson(ctx, login));
  return {
    url,
    repository_url: `${ctx.apiUrl}/repos/${repo.fullName}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${ctx.webUrl}/${repo.fullName}/issues/${issue.number}`,
    id: issue.id,
    node_id: `I_${issue.id}`,
    number: issue.number,
    title: issue.title,
    user: userJson(ctx, AUTHOR),
    labels: issue.labels.map((name) => {
      const label = ctx.store.label(repo, name);
      return {
        id: label.id,
        node_id: `LA_${label.id}`,
        url: `${ctx.apiUrl}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
        name,
        color: label.color,
        default: false,
        description: null,
      };
    }),
    state: issue.state,
    locked: false,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments: 0,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt ?? null,
    author_association: 'OWNER',
    active_lock_reason: null,
    body: issue.body,
    closed_by: issue.state === 'closed' ? userJson(ctx, AUTHOR) : null,
    state_reason: issue.stateReason,
  };
}

type Read<T> = { ok: true; value: T } | { ok: false; reply: Reply };

function strings(value: unknown, field: string, docs: string): Read<string[]> {
  // GitHub takes label names or { name } objects.
  const items = Array.isArray(value) ? value.map((v) => (isRecord(v) ? v.name : v)) : undefined;
  if (!items || items.some((v) => typeof v !== 'string')) return { ok: false, reply: validationFailed([{ resource: 'Issue', code: 'invalid', field }], docs) };
  return { ok: true, value: items as string[] };
}

/** The fields of a create or update body that are present, checked as GitHub checks them. */
function readWrite(ctx: GitHubContext, input: Record<string, unknown>, docs: string, creating: boolean): Read<IssueWrite> {
  const errors: FieldError[] = [];
  const write: IssueWrite = {};
  const { title } = input;
  if (title === undefined || title === null || title === '') {
    if (creating || title !== undefined) errors.push({ resource: 'Issue', code: 'missing_field', field: 'title' });
  } else if (typeof title !== 'string' && typeof title !== 'number') {
    errors.push({ resource: 'Issue', code: 'invalid', field: 'title', value: title });
  } else if (String(title).length > TITLE_MAX) {
    errors.push({ resource: 'Issue', code: 'custom', field: 'title', message: `title is too long (maximum is ${TITLE_MAX} characters)` });
  } else {
    write.title = String(title);
  }
  if (input.body !== undefined) {
    if (input.body !== null && typeof input.body !== 'string') errors.push({ resource: 'Issue', code: 'invalid', field: 'body' });
    else if (typeof input.body === 'string' && input.body.length > BODY_MAX)
      errors.push({ resource: 'Issue', code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_MAX} characters)` });
    else write.body = input.body;
  }
  if (input.labels !== undefined) {
    const labels = strings(input.labels, 'labels', docs);
    if (!labels.ok) return labels;
    write.labels = labels.value;
  }
  if (input.assignees !== undefined) {
    const logins = strings(input.assignees, 'assignees', docs);
    if (!logins.ok) return logins;
    const unknown = logins.value.filter((login) => ctx.store.assignable(login) === undefined);
    for (const login of unknown) errors.push({ value: login, resource: 'Issue', field: 'assignees', code: 'invalid' });
    write.assignees = logins.value.map((login) => ctx.store.assignable(login) ?? login);
  }
  return errors.length ? { ok: false, reply: validationFailed(errors, docs) } : { ok: true, value: write };
}

function body(request: Request, docs: string): Read<Record<string, unknown>> {
  const parsed = parseJson(request, false);
  if (!parsed.ok || !isRecord(parsed.value)) return { ok: false, reply: problemsParsingJson(docs) };
  return { ok: true, value: parsed.value };
}

function create(ctx: GitHubContext, repo: StoredRepo, request: Request): Reply {
  const input = body(request, DOCS_CREATE);
  if (!input.ok) return input.reply;
  const write = readWrite(ctx, input.value, DOCS_CREATE, true);
  if (!write.ok) return write.reply;
  const issue = ctx.store.create(repo, { ...write.value, title: write.value.title ?? '' });
  return jsonReply(201, issueJson(ctx, repo, issue), { location: `${ctx.apiUrl}/repos/${repo.fullName}/issues/${issue.number}` });
}

function update(ctx: GitHubContext, repo: StoredRepo, issue: StoredGitHubIssue, request: Request): Reply {
  const input = body(request, DOCS_UPDATE);
  if (!input.ok) return input.reply;
  const { state, state_reason: reason } = input.value;
  if (state !== undefined && state !== 'open' && state !== 'closed') return validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state', value: state }], DOCS_UPDATE);
  if (reason !== undefined && reason !== null && reason !== 'completed' && reason !== 'not_planned' && reason !== 'reopened') {
    return validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state_reason', value: reason }], DOCS_UPDATE);
  }
  const write = readWrite(ctx, input.value, DOCS_UPDATE, false);
  if (!write.ok) return write.reply;
  ctx.store.update(repo, issue, write.value);
  const closing = state === 'closed' || (state === undefined && issue.state === 'closed' && (reason === 'completed' || reason === 'not_planned'));
  if (closing) ctx.store.close(issue, reason === 'not_planned' ? 'not_planned' : 'completed');
  else if (state === 'open') ctx.store.reopen(issue);
  return jsonReply(200, issueJson(ctx, repo, issue));
}

function pageLink(ctx: GitHubContext, repo: StoredRepo, query: URLSearchParams, page: number, rel: string): string {
  const params = new URLSearchParams(query);
  params.set('page', String(page));
  // GitHub's links name the repository by id.
  return `<${ctx.apiUrl}/repositories/${repo.id}/issues?${params.toString()}>; rel="${rel}"`;
}

function positive(raw: string | null, fallback: number): number {
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n > 0 ? n : fallback;
}

function list(ctx: GitHubContext, repo: StoredRepo, query: URLSearchParams): Reply {
  const state = query.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) return validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state', value: state }], DOCS_LIST);
  const wanted = (query.get('labels') ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const sort = query.get('sort') ?? 'created';
  const ascending = query.get('direction') === 'asc';
  const perPage = Math.min(positive(query.get('per_page'), PER_PAGE_DEFAULT), PER_PAGE_MAX);
  const page = positive(query.get('page'), 1);
  // Numbers grow with creation; `updated` ties fall back to them. (No comments are kept, so
  // sort=comments orders as created.)
  const order = (a: StoredGitHubIssue, b: StoredGitHubIssue) => (sort === 'updated' ? Date.parse(a.updatedAt) - Date.parse(b.updatedAt) : 0) || a.number - b.number;
  const found = repo.issues
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
    .sort((a, b) => (ascending ? order(a, b) : order(b, a)));
  const last = Math.max(1, Math.ceil(found.length / perPage));
  const links: string[] = [];
  if (page > 1) links.push(pageLink(ctx, repo, query, page - 1, 'prev'));
  if (page < last) links.push(pageLink(ctx, repo, query, page + 1, 'next'), pageLink(ctx, repo, query, last, 'last'));
  if (page > 1) links.push(pageLink(ctx, repo, query, 1, 'first'));
  const issues = found.slice((page - 1) * perPage, page * perPage).map((i) => issueJson(ctx, repo, i));
  return jsonReply(200, issues, links.length ? { link: links.join(', ') } : {});
}

function repoJson(ctx: GitHubContext, repo: StoredRepo): Record<string, unknown> {
  const [owner, name] = repo.fullName.split('/');
  return {
    id: repo.id,
    name,
    full_name: repo.fullName,
    owner: userJson(ctx, owner),
    private: true,
    html_url: `${ctx.webUrl}/${repo.fullName}`,
    url: `${ctx.apiUrl}/repos/${repo.fullName}`,
    has_issues: true,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

function issueRoute(ctx: GitHubContext, repo: StoredRepo, request: Request, rest: string): Reply {
  if (rest === '') return request.method === 'GET' ? jsonReply(200, repoJson(ctx, repo)) : notFound();
  if (rest === '/issues') {
    if (request.method === 'POST') return create(ctx, repo, request);
    return request.method === 'GET' ? list(ctx, repo, request.query) : notFound(DOCS_LIST);
  }
  const number = /^\/issues\/(\d+)$/.exec(rest)?.[1];
  const issue = number === undefined ? undefined : repo.issues.find((i) => i.number === Number(number));
  if (number === undefined) return notFound();
  if (!issue) return notFound(request.method === 'PATCH' ? DOCS_UPDATE : DOCS_GET);
  if (request.method === 'GET') return jsonReply(200, issueJson(ctx, repo, issue));
  return request.method === 'PATCH' ? update(ctx, repo, issue, request) : notFound();
}

/** Answers an authenticated request. */
export function gitHubRoute(ctx: GitHubContext, request: Request): Reply {
  const byName = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(request.path);
  if (byName) {
    const repo = ctx.store.repo(`${decodeSegment(byName[1])}/${decodeSegment(byName[2])}`);
    const rest = byName[3] ?? '';
    return repo ? issueRoute(ctx, repo, request, rest) : notFound(rest.startsWith('/issues') ? (request.method === 'POST' ? DOCS_CREATE : DOCS_GET) : undefined);
  }
  const byId = /^\/repositories\/(\d+)(\/issues)$/.exec(request.path);
  const repo = byId ? ctx.store.repoById(Number(byId[1])) : undefined;
  if (byId && repo && request.method === 'GET') return list(ctx, repo, request.query);
  return notFound();
}
