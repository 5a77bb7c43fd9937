import type { Workspace } from '../workspace';

/** An API-level failure: Slack answers HTTP 200 with `{ ok: false, error: code, ...extra }`. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'SlackApiError';
  }
}

/** Fails the call with one of the method's declared codes; anything else does not compile. */
export type Fail<E extends string> = (code: E, extra?: Record<string, unknown>) => never;

export interface MethodContext {
  args: ApiArgs;
  ws: Workspace;
  /** This server's root (`http://127.0.0.1:PORT`), for URLs the emulator itself serves. */
  baseUrl: string;
}

export type MethodResult = Record<string, unknown>;

export interface ApiMethod {
  /** Codes this method answers with, besides the request-level ones every method shares. */
  readonly errors: readonly string[];
  handle(ctx: MethodContext): MethodResult;
}

/**
 * Declares a method with the error codes it may return. The handler's `fail` accepts only those
 * codes, which keeps the published table (checked against Slack's spec in tests) honest.
 */
export function defineMethod<const E extends string>(errors: readonly E[], handle: (ctx: MethodContext, fail: Fail<E>) => MethodResult): ApiMethod {
  const fail: Fail<E> = (code, extra) => {
    throw new SlackApiError(code, extra);
  };
  return { errors, handle: (ctx) => handle(ctx, fail) };
}

/** Arguments as Slack reads them: form values are strings, JSON bodies keep their types. */
export class ApiArgs {
  constructor(private readonly raw: Record<string, unknown>) {}

  /** A non-empty string argument; Slack treats an empty value as a missing one. */
  string(name: string): string | undefined {
    const value = this.raw[name];
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  boolean(name: string): boolean {
    const value = this.raw[name];
    return value === true || value === 1 || value === 'true' || value === '1';
  }

  /** An integer argument, or undefined when absent or not an integer. */
  integer(name: string): number | undefined {
    const value = this.raw[name];
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(n) ? n : undefined;
  }

  /** A comma-separated list (form) or an array (JSON). */
  list(name: string): string[] {
    const value = this.raw[name];
    const items = Array.isArray(value) ? value.map(String) : (this.string(name)?.split(',') ?? []);
    return items.map((s) => s.trim()).filter((s) => s !== '');
  }

  /** An argument the client JSON-encodes in forms (blocks, view, files); undefined when absent or unparseable. */
  json(name: string): unknown {
    const value = this.raw[name];
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }

  /** An array of objects (blocks, attachments, files); undefined when absent or malformed. */
  objects(name: string): Record<string, unknown>[] | undefined {
    const value = this.json(name);
    if (!Array.isArray(value) || !value.every(isObject)) return undefined;
    return value;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
