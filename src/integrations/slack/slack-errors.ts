import { ErrorCode, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';

import { ChatError } from '../../ports/chat-gateway';

// Platform errors that may pass if we try again later; every other platform error is permanent.
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Maps @slack/web-api errors to the port's ChatError, deciding what is worth retrying. */
export function toChatError(error: unknown, method: string): ChatError | unknown {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case ErrorCode.PlatformError: {
      const slackCode = (error as WebAPIPlatformError).data.error;
      return new ChatError(slackCode, method, TRANSIENT_PLATFORM_ERRORS.has(slackCode));
    }
    case ErrorCode.RateLimitedError:
      return new ChatError('ratelimited', method, true, (error as WebAPIRateLimitedError).retryAfter * 1000);
    case ErrorCode.HTTPError: {
      const status = (error as WebAPIHTTPError).statusCode;
      return new ChatError(`http_${status}`, method, status >= 500 || status === 408);
    }
    case ErrorCode.RequestError:
      return new ChatError('network_error', method, true);
    default:
      return error;
  }
}
