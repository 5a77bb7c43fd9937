/** What the app answered. `json` is set when the body parses as JSON. */
export interface AppResponse {
  status: number;
  body: string;
  json?: unknown;
}

/** Bolt's HTTPReceiver serves commands, events and interactivity on this one path by default. */
export const APP_EVENTS_PATH = '/slack/events';

export async function postToApp(appUrl: string, body: string, headers: Record<string, string>): Promise<AppResponse> {
  const response = await fetch(`${appUrl.replace(/\/$/, '')}${APP_EVENTS_PATH}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, ...parsedJson(text) };
}

function parsedJson(text: string): { json?: unknown } {
  if (!text) return {};
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return {};
  }
}
