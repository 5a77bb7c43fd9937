// Each deployment's error bodies. Their sources (real responses quoted in public bug reports) are
// listed in the class comment in emulator.ts; where no real body was found, the deployment's shape
// is kept and the wording is ours, as noted below.
import { ATLASSIAN_BAD_CREDENTIALS, gatewayPage, jsonReply, reasonPhrase, textReply, type Reply } from '../emulated-http/server';
import type { Deployment, InjectedFailure } from './types';

const CLOUD_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'REQUEST_ENTITY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
};

/** Cloud REST v2: `{ errors: [{ status, code, title, detail }] }`. */
export function cloudError(status: number, title = reasonPhrase(status), headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { errors: [{ status, code: CLOUD_CODES[status] ?? 'ERROR', title, detail: null }] }, headers);
}

/** Data Center REST: `{ statusCode, data: {…}, message, reason }`. */
export function dcError(status: number, message: string, headers: Record<string, string> = {}): Reply {
  const data = { authorized: false, valid: true, allowedInReadOnlyMode: true, errors: [], successful: false };
  return jsonReply(status, { statusCode: status, data, message, reason: reasonPhrase(status) }, headers);
}

export function errorReply(deployment: Deployment, status: number, message: string, headers: Record<string, string> = {}): Reply {
  return deployment === 'cloud' ? cloudError(status, message, headers) : dcError(status, message, headers);
}

const TOMCAT_401 =
  '<!doctype html><html lang="en"><head><title>HTTP Status 401 – Unauthorized</title></head><body><h1>HTTP Status 401 – Unauthorized</h1>' +
  '<hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> Authentication Failure - Reason : AUTHENTICATED_FAILED</p>' +
  '<p><b>Description</b> The request has not been applied to the target resource because it lacks valid authentication credentials for that resource.</p>' +
  '<hr class="line" /><h3>Apache Tomcat/9.0.82</h3></body></html>';

/**
 * 401 as each deployment sends it. Cloud: wrong Basic credentials get its plain-text notice; a request
 * with none gets the v2 error shape (wording ours). Data Center: Tomcat's status page with Seraph's
 * reason header. (Real Data Center lets a wrong PAT through as anonymous where anonymous access is
 * on, CONFSERVER-98199; the emulator always refuses, which is what a locked-down site does.)
 */
export function unauthorized(deployment: Deployment, credentialsSent: boolean): Reply {
  if (deployment === 'cloud') {
    return credentialsSent ? textReply(401, ATLASSIAN_BAD_CREDENTIALS) : cloudError(401, 'Unauthorized', { 'www-authenticate': 'Basic realm="Confluence"' });
  }
  return textReply(401, TOMCAT_401, 'text/html;charset=utf-8', { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED', 'www-authenticate': 'OAuth realm="Confluence"' });
}

/** What a scheduled failure looks like on the wire (429s carry `Retry-After` in seconds). */
export function injectedReply(deployment: Deployment, failure: InjectedFailure): Reply {
  switch (failure.status) {
    case 429:
      return errorReply(deployment, 429, 'Rate limit exceeded', { 'retry-after': String(failure.retryAfterSeconds) });
    case 500:
      return errorReply(deployment, 500, deployment === 'cloud' ? 'Internal Server Error' : 'Internal server error');
    case 502:
    case 503:
      return gatewayPage(failure.status);
    case 401:
      return unauthorized(deployment, true);
    case 403:
      return errorReply(deployment, 403, 'Current user not permitted to use Confluence');
  }
}
