// Jira's JSON for issues and users, from the store's records. Cloud (v3) and Data Center (v2) share
// the issue shape; they differ in how users are named and in the description's format, which is
// stored as sent (ADF or wiki markup).
import type { JiraStore, JiraUser, StoredIssue } from './jira-store';
import type { JiraDeployment, StatusCategory } from './types';

export interface JsonContext {
  deployment: JiraDeployment;
  /** Site base URL: origin plus any context path. */
  base: string;
  /** `/rest/api/3` or `/rest/api/2`. */
  api: string;
  store: JiraStore;
}

/** Which fields to send: Jira's `fields` parameter (`*all`, `*navigable`, names, `-name`). */
export type FieldSelection = { include: 'all' | Set<string>; exclude: Set<string> };

export const ALL_FIELDS: FieldSelection = { include: 'all', exclude: new Set() };
/** Cloud's /search/jql sends only the id unless fields are asked for. */
export const ID_ONLY: FieldSelection = { include: new Set(), exclude: new Set() };

export function fieldSelection(names: string[] | undefined, fallback: FieldSelection): FieldSelection {
  const list = (names ?? [])
    .flatMap((n) => n.split(','))
    .map((n) => n.trim())
    .filter(Boolean);
  if (list.length === 0) return fallback;
  const exclude = new Set(list.filter((n) => n.startsWith('-')).map((n) => n.slice(1)));
  const named = list.filter((n) => !n.startsWith('-'));
  const everything = named.length === 0 || named.some((n) => n === '*all' || n === '*navigable');
  return { include: everything ? 'all' : new Set(named), exclude };
}

const CATEGORIES: Record<StatusCategory, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};
const STATUS_IDS: Record<string, string> = { Open: '1', 'In Progress': '3', Reopened: '4', Resolved: '5', Closed: '6', 'To Do': '10000', Done: '10001' };
const RESOLUTION_IDS: Record<string, string> = { Fixed: '1', "Won't Fix": '2', Duplicate: '3', Incomplete: '4', 'Cannot Reproduce': '5', Done: '10000', "Won't Do": '10001' };

/** A stable id for a name the table does not know. */
function derivedId(name: string): string {
  let sum = 0;
  for (const c of name) sum = (sum * 31 + (c.codePointAt(0) ?? 0)) % 9000;
  return String(11000 + sum);
}

/** Jira's timestamps: `2024-05-01T10:15:30.000+0000`. */
export function jiraTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

function avatarUrls(base: string, seed: string): Record<string, string> {
  const url = `${base}/secure/useravatar?ownerId=${encodeURIComponent(seed)}`;
  return { '48x48': url, '24x24': `${url}&size=small`, '16x16': `${url}&size=xsmall`, '32x32': `${url}&size=medium` };
}

export function userJson(ctx: JsonContext, user: JiraUser): Record<string, unknown> {
  if (ctx.deployment === 'cloud') {
    return {
      self: `${ctx.base}${ctx.api}/user?accountId=${encodeURIComponent(user.id)}`,
      accountId: user.id,
      accountType: 'atlassian',
      emailAddress: user.email,
      avatarUrls: avatarUrls(ctx.base, user.id),
      displayName: user.displayName,
      active: true,
      timeZone: 'Etc/UTC',
      locale: 'en_US',
    };
  }
  return {
    self: `${ctx.base}${ctx.api}/user?username=${encodeURIComponent(user.id)}`,
    key: user.key,
    name: user.id,
    emailAddress: user.email,
    avatarUrls: avatarUrls(ctx.base, user.key),
    displayName: user.displayName,
    active: true,
    deleted: false,
    timeZone: 'Etc/UTC',
    locale: 'en_US',
  };
}

function statusJson(ctx: JsonContext, issue: StoredIssue): Record<string, unknown> {
  const id = STATUS_IDS[issue.status] ?? derivedId(issue.status);
  const category = CATEGORIES[issue.statusCategory];
  return {
    self: `${ctx.base}${ctx.api}/status/${id}`,
    description: '',
    iconUrl: `${ctx.base}/images/icons/statuses/generic.png`,
    name: issue.status,
    id,
    statusCategory: { self: `${ctx.base}${ctx.api}/statuscategory/${category.id}`, id: category.id, key: issue.statusCategory, colorName: category.colorName, name: category.name },
  };
}

function allFields(ctx: JsonContext, issue: StoredIssue): Record<string, unknown> {
  const project = ctx.store.project(issue.projectId);
  const user = (id: string | undefined) => {
    const found = id === undefined ? undefined : ctx.store.user(id);
    return found ? userJson(ctx, found) : null;
  };
  const resolutionId = issue.resolution === undefined ? undefined : (RESOLUTION_IDS[issue.resolution] ?? derivedId(issue.resolution));
  return {
    summary: issue.summary,
    description: issue.description ?? null,
    labels: [...issue.labels],
    status: statusJson(ctx, issue),
    resolution: issue.resolution === undefined ? null : { self: `${ctx.base}${ctx.api}/resolution/${resolutionId}`, id: resolutionId, description: '', name: issue.resolution },
    resolutiondate: issue.resolvedAt === undefined ? null : jiraTime(issue.resolvedAt),
    assignee: user(issue.assigneeId),
    reporter: user(issue.reporterId),
    issuetype: { self: `${ctx.base}${ctx.api}/issuetype/${issue.issueTypeId}`, id: issue.issueTypeId, description: '', name: issue.issueType, subtask: false },
    project: {
      self: `${ctx.base}${ctx.api}/project/${issue.projectId}`,
      id: issue.projectId,
      key: issue.projectKey,
      name: project?.name ?? issue.projectKey,
      projectTypeKey: 'software',
    },
    created: jiraTime(issue.createdAt),
    updated: jiraTime(issue.updatedAt),
  };
}

export function issueJson(ctx: JsonContext, issue: StoredIssue, selection: FieldSelection): Record<string, unknown> {
  const fields = Object.fromEntries(
    Object.entries(allFields(ctx, issue)).filter(([name]) => (selection.include === 'all' || selection.include.has(name)) && !selection.exclude.has(name)),
  );
  if (selection === ID_ONLY) return { id: issue.id };
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${ctx.base}${ctx.api}/issue/${issue.id}`,
    key: issue.key,
    fields,
  };
}
