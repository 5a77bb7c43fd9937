// Jira's error bodies. Real responses quoted in public bug reports, by message:
// - `{ errorMessages: [], errors: { field: text } }` on create: "You must specify a summary of the
//   issue." (tenable/integration-jira-cloud#206); "Summary can't exceed 255 characters." (Cloud,
//   tenable/integration-jira-cloud#322) / "Summary must be less than 255 characters." (Data Center,
//   ryanhoskin/pd2jira#13); "The summary is invalid because it contains newline characters."
//   (elastic/kibana#104932); "Operation value must be a string" (jitbit/SyslogCore#2,
//   atlassian/atlascode#1481); "Operation value must be an Atlassian Document (see the Atlassian
//   Document Format)" (lesstif/php-jira-rest-client#280); "The field value is not valid Atlassian
//   Document Format (ADF) content." (github/ghas-jira-integration#129); "Specify a valid project ID
//   or key" (wso2/product-integrator-mi#3420); "project is required" (prometheus-community/jiralert#21);
//   "The issue type selected is invalid." (tenable/integration-jira-cloud#28); "The label 'x'
//   contains spaces which is invalid." (projectdiscovery/nuclei#1689); "Field 'x' cannot be set. It is
//   not on the appropriate screen, or unknown." (lesstif/php-jira-rest-client#457); "Account ID x
//   does not exist." (ahungry/org-jira#220); "expected Object containing a 'name' property"
//   (guilhemmarchand/TA-jira-service-desk-simple-addon#221).
// - Search: "The value 'X' does not exist for the field 'project'." with `warningMessages`
//   (solidify/jira-azuredevops-migrator#61); "Error in the JQL Query: The character '@' is a reserved
//   JQL character. You must enclose it in a string or use the escape '\u0040' instead. (line 1,
//   character 17)" (keepcosmos/terjira#2); Cloud's removed search: 410 "The requested API has been
//   removed. Please migrate to the /rest/api/3/search/jql API. …" (adyscorpius/logseq-jira#34).
// - 401: Cloud with a wrong token, text/plain "Basic authentication with passwords is deprecated. …"
//   (elastic/integrations#3684); without credentials "Client must be authenticated to access this
//   resource." (atlassian/gajira-login#59, jira-node/node-jira-client#255); Data Center "You are not
//   authenticated. Authentication required to perform this operation."
//   (rjvandoesburg/laravel-jira-rest-client#34) and Seraph's "Unauthorized (401)" page
//   (solidify/jira-azuredevops-migrator#3).
// Messages not found in a real response are marked "wording ours" where they are built.
import { ATLASSIAN_BAD_CREDENTIALS, gatewayPage, jsonReply, reasonPhrase, textReply, type Reply } from '../emulated-http/server';
import type { JiraDeployment } from './types';

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
export const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

export function jiraError(status: number, errorMessages: string[], errors: Record<string, string> = {}, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { errorMessages, errors }, headers);
}

/** Search errors carry `warningMessages` too; `errors` is kept so every Jira error has the same keys. */
export function searchError(message: string): Reply {
  return jsonReply(400, { errorMessages: [message], errors: {}, warningMessages: [] });
}

const SERAPH_401 =
  '<html><head><title>Unauthorized (401)</title></head><body><h1>Unauthorized (401)</h1>' +
  '<p>Encountered a "401 - Unauthorized" error while loading this page.</p></body></html>';

/** `credentialsSent`: an Authorization header of the deployment's scheme was sent (and was wrong). */
export function unauthorized(deployment: JiraDeployment, credentialsSent: boolean): Reply {
  const failed = { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' };
  if (deployment === 'cloud') {
    if (credentialsSent) return textReply(401, ATLASSIAN_BAD_CREDENTIALS, 'text/plain;charset=UTF-8', failed);
    return textReply(401, 'Client must be authenticated to access this resource.', 'text/plain;charset=UTF-8', { 'www-authenticate': 'Basic realm="protected-area"' });
  }
  if (credentialsSent) return textReply(401, SERAPH_401, 'text/html;charset=UTF-8', failed);
  return jiraError(401, ['You are not authenticated. Authentication required to perform this operation.'], {}, { 'www-authenticate': 'OAuth realm="Jira"' });
}

/** The body Jira (or the proxy in front of it) sends with this status; wording ours except 401 and 404. */
export function statusReply(deployment: JiraDeployment, status: number): Reply {
  if (status === 401) return unauthorized(deployment, true);
  if (status === 404) return jiraError(404, [ISSUE_NOT_FOUND]);
  if (status === 429) return jiraError(429, ['Rate limit exceeded.']);
  if (status === 500) return jiraError(500, ['Internal server error']);
  if (status >= 502 && status <= 504) return gatewayPage(status);
  if (status === 403) return jiraError(403, ['You do not have permission to perform this operation.']);
  return jiraError(status, [reasonPhrase(status)]);
}
