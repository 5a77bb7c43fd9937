// POST /issue's field rules, as Jira applies them: each bad field gets its own message in
// `errors`, all reported at once. Sources of the messages are listed in jira-errors.ts.
import { adfProblem } from './adf';
import type { JiraProject, JiraStore, NewIssue } from './jira-store';
import { isRecord } from './server';
import type { JiraDeployment } from './types';

export type CreateResult = { ok: true; issue: NewIssue } | { ok: false; errorMessages: string[]; errors: Record<string, string> };

const SUMMARY_MAX = 255;
const LABEL_MAX = 255;
const SETTABLE = new Set(['project', 'summary', 'issuetype', 'description', 'labels', 'assignee']);
const NOT_A_STRING = 'Operation value must be a string';
const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const INVALID_ADF = 'The field value is not valid Atlassian Document Format (ADF) content.';

function idOrKey(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const ref = value.key ?? value.id ?? value.name;
  return typeof ref === 'string' || typeof ref === 'number' ? String(ref) : undefined;
}

function summaryProblem(value: unknown, deployment: JiraDeployment): string | undefined {
  if (value === undefined || value === null) return 'You must specify a summary of the issue.';
  if (typeof value !== 'string') return NOT_A_STRING;
  if (value.trim() === '') return 'You must specify a summary of the issue.';
  if (/[\r\n]/.test(value)) return 'The summary is invalid because it contains newline characters.';
  if (value.length > SUMMARY_MAX) return deployment === 'cloud' ? "Summary can't exceed 255 characters." : 'Summary must be less than 255 characters.';
  return undefined;
}

function descriptionProblem(value: unknown, deployment: JiraDeployment): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (deployment === 'datacenter') return typeof value === 'string' ? undefined : NOT_A_STRING;
  if (!isRecord(value)) return NOT_ADF;
  const problem = adfProblem(value);
  // Jira names no path; the emulator adds it so a failing test says what to fix.
  return problem === undefined ? undefined : `${INVALID_ADF} (emulator: ${problem})`;
}

function labelsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return 'data was not an array';
  for (const label of value) {
    if (typeof label !== 'string') return NOT_A_STRING;
    if (/\s/.test(label)) return `The label '${label}' contains spaces which is invalid.`;
    // Wording ours for these two: no real response was found.
    if (label === '') return 'A label must not be empty.';
    if (label.length > LABEL_MAX) return `The label '${label}' exceeds the maximum length for a single label of ${LABEL_MAX} characters.`;
  }
  return undefined;
}

type Assignee = { id?: string } | { problem: string };

function assignee(store: JiraStore, value: unknown, deployment: JiraDeployment): Assignee {
  if (value === undefined || value === null) return {};
  const property = deployment === 'cloud' ? 'accountId' : 'name';
  const id = isRecord(value) ? value[property] : undefined;
  // Data Center's message is real; Cloud's counterpart wording is ours.
  if (typeof id !== 'string') return { problem: `expected Object containing ${deployment === 'cloud' ? "an 'accountId'" : "a 'name'"} property` };
  const user = store.user(id);
  if (!user) return { problem: deployment === 'cloud' ? `Account ID ${id} does not exist.` : `User '${id}' does not exist.` };
  return { id: user.id };
}

function issueType(project: JiraProject, value: unknown): { id: string; name: string } | string {
  if (value === undefined || value === null) return 'Specify an issue type';
  const ref = isRecord(value) ? value : {};
  // Names are matched exactly: the emulator does not assume Jira folds their case.
  const found = project.issueTypes.find((t) => (ref.id !== undefined && String(ref.id) === t.id) || (ref.id === undefined && ref.name === t.name));
  return found ?? 'The issue type selected is invalid.';
}

/** The issue to create, or Jira's 400 body. */
export function readCreate(store: JiraStore, body: unknown, deployment: JiraDeployment): CreateResult {
  if (!isRecord(body) || !isRecord(body.fields)) return { ok: false, errorMessages: ['The request body must be an object with "fields" (wording ours).'], errors: {} };
  const { fields } = body;
  const errors: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    if (!SETTABLE.has(name)) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  const projectRef = idOrKey(fields.project);
  const project = projectRef === undefined ? undefined : store.project(projectRef);
  if (!project) errors.project = fields.project === undefined && deployment === 'datacenter' ? 'project is required' : 'Specify a valid project ID or key';
  const type = project ? issueType(project, fields.issuetype) : undefined;
  if (typeof type === 'string') errors.issuetype = type;
  const summary = summaryProblem(fields.summary, deployment);
  if (summary) errors.summary = summary;
  const description = descriptionProblem(fields.description, deployment);
  if (description) errors.description = description;
  const labels = labelsProblem(fields.labels);
  if (labels) errors.labels = labels;
  const who = assignee(store, fields.assignee, deployment);
  if ('problem' in who) errors.assignee = who.problem;
  if (Object.keys(errors).length > 0 || !project || typeof type !== 'object' || 'problem' in who) return { ok: false, errorMessages: [], errors };
  return {
    ok: true,
    issue: {
      project,
      issueType: type,
      summary: fields.summary as string,
      description: fields.description ?? null,
      // Jira keeps each label once.
      labels: [...new Set((fields.labels as string[] | undefined) ?? [])],
      ...(who.id === undefined ? {} : { assigneeId: who.id }),
    },
  };
}
