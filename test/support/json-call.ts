// A plain-fetch JSON call for the emulator tests: status, headers, the raw text and its JSON (if any).

export interface Answer<T> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** `authorization: null` sends none (the tests of refused requests). */
export async function jsonCall<T>(baseUrl: string, method: string, path: string, body: unknown, authorization: string | null): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (authorization !== null) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as T };
}
