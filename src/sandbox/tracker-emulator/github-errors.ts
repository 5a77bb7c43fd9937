// GitHub REST's error bodies `{ message, documentation_url, status, errors? }`. Real responses quoted
// in public bug reports:
// - 422 "Validation Failed" with `{ resource: "Issue", code, field }`: an unknown assignee is
//   `{ value, resource, field: "assignees", code: "invalid" }` (JasonEtco/create-an-issue#41); a long
//   title `{ code: "custom", field: "title", message: "title is too long (maximum is 256 characters)" }`
//   (googleapis/repo-automation-bots#1895); a long body "body is too long (maximum is 65536
//   characters)" (JasonEtco/create-an-issue#123).
// - Secondary rate limit: 403 "You have exceeded a secondary rate limit. Please wait a few minutes
//   before you try again. If you reach out to GitHub Support for help, please include the request ID
//   …" (integrations/terraform-provider-github#2329; documentation_url from ossf/criticality_score#813).
// - Primary rate limit: 403 "API rate limit exceeded for user ID …" (KnpLabs/php-github-api#1070)
//   with x-ratelimit-remaining: 0.
// 401 "Bad credentials", 404 "Not Found" and 400 "Problems parsing JSON" are GitHub's well-known
// texts; the 5xx and plain-403 wordings are ours.
import { jsonReply, type Reply } from './server';

const DOCS = 'https://docs.github.com/rest';
export const DOCS_CREATE = `${DOCS}/issues/issues#create-an-issue`;
export const DOCS_GET = `${DOCS}/issues/issues#get-an-issue`;
export const DOCS_LIST = `${DOCS}/issues/issues#list-repository-issues`;
export const DOCS_UPDATE = `${DOCS}/issues/issues#update-an-issue`;
const DOCS_RATE_LIMIT = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const DOCS_SECONDARY = 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const REQUEST_ID = 'C0DE:1A2B:3C4D5E:6F7A8B:9C0D1E2F';

export interface FieldError {
  resource: 'Issue';
  code: 'missing_field' | 'invalid' | 'custom';
  field: string;
  value?: unknown;
  message?: string;
}

export function gitHubError(status: number, message: string, documentationUrl: string = DOCS, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Reply {
  return jsonReply(status, { message, ...extra, documentation_url: documentationUrl, status: String(status) }, headers);
}

export function validationFailed(errors: FieldError[], documentationUrl: string): Reply {
  return gitHubError(422, 'Validation Failed', documentationUrl, {}, { errors });
}

export function notFound(documentationUrl: string = DOCS): Reply {
  return gitHubError(404, 'Not Found', documentationUrl);
}

export function badCredentials(): Reply {
  return gitHubError(401, 'Bad credentials');
}

export function problemsParsingJson(documentationUrl: string): Reply {
  return gitHubError(400, 'Problems parsing JSON', documentationUrl);
}

export function secondaryRateLimit(status: number, headers: Record<string, string>): Reply {
  const message = `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${REQUEST_ID}.`;
  return gitHubError(status, message, DOCS_SECONDARY, headers);
}

export function primaryRateLimit(status: number, resetAtSeconds: number): Reply {
  const headers = {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(resetAtSeconds),
    'x-ratelimit-used': '5000',
    'x-ratelimit-resource': 'core',
  };
  const message = `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${REQUEST_ID}.`;
  return gitHubError(status, message, DOCS_RATE_LIMIT, headers);
}

/** What GitHub sends with this status when nothing more specific is known. */
export function statusReply(status: number, retryAfter?: string): Reply {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
  if ((status === 403 && retryAfter !== undefined) || status === 429) return secondaryRateLimit(status, headers);
  if (status === 401) return gitHubError(401, 'Bad credentials', DOCS, headers);
  if (status === 403) return gitHubError(403, 'Resource not accessible by personal access token', DOCS, headers);
  if (status === 404) return gitHubError(404, 'Not Found', DOCS, headers);
  if (status === 422) return gitHubError(422, 'Validation Failed', DOCS, headers);
  if (status >= 500) return gitHubError(status, 'Server Error', DOCS, headers);
  return gitHubError(status, 'Error', DOCS, headers);
}
