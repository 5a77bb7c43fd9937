// Keeps the emulator honest with Slack's published Web API description (slackapi/slack-api-specs,
// OpenAPI v2, October 2020, vendored in test/fixtures/slack-specs): methods it implements, errors it answers, and the
// shape of what it returns. The emulator itself never reads the spec.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERRORS_MISSING_FROM_SPEC, METHODS_NEWER_THAN_SPEC, webApiErrorTable, type SlackEmulator } from '../../../src/sandbox/slack-emulator';
import { ALICE, BOT_TOKEN, startEmulator } from './emulator-fixture';

interface Schema {
  required?: string[];
  properties?: Record<string, Schema & { enum?: string[]; $ref?: string }>;
  items?: Schema[];
}
interface Operation {
  responses: { '200': { schema?: Schema }; default?: { schema?: Schema } };
}
interface OpenApiSpec {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
}

const spec = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/slack-specs/slack-web-openapi-v2.responses.json'), 'utf8')) as OpenApiSpec;
const errorTable = webApiErrorTable();
const specMethods = Object.keys(errorTable).filter((m) => !METHODS_NEWER_THAN_SPEC.includes(m));

function operation(method: string): Operation {
  const [op] = Object.values(spec.paths[`/${method}`] ?? {});
  if (!op) throw new Error(`${method} is not in the spec`);
  return op;
}

/** The spec's error enum for a method, or undefined where it lists none. */
function specErrors(method: string): string[] | undefined {
  return operation(method).responses.default?.schema?.properties?.error?.enum;
}

/** Object definitions like objs_conversation are a list of variants; the first is the channel/user one. */
function definition(name: string): Schema {
  const schema = spec.definitions[name];
  return schema.items?.[0] ?? schema;
}

function expectShape(value: unknown, schema: Schema, options: { closed: boolean }): void {
  const keys = Object.keys(value as object);
  expect(keys).toEqual(expect.arrayContaining(schema.required ?? []));
  if (options.closed) expect(keys.filter((k) => !(k in (schema.properties ?? {})))).toEqual([]);
}

describe('SlackEmulator conforms to Slack’s OpenAPI spec', () => {
  it('implements only methods the spec describes (besides upload v2)', () => {
    expect(specMethods.filter((m) => !spec.paths[`/${m}`])).toEqual([]);
    expect(METHODS_NEWER_THAN_SPEC.every((m) => !spec.paths[`/${m}`])).toBe(true);
  });

  it.each(specMethods)('%s answers only with error codes the spec lists for it', (method) => {
    const listed = specErrors(method);
    if (!listed) return; // e.g. views.open: the spec documents no error list
    const waived = ERRORS_MISSING_FROM_SPEC[method] ?? [];
    expect(errorTable[method].filter((code) => !listed.includes(code) && !waived.includes(code))).toEqual([]);
  });

  it('waives only codes the spec really omits, for methods that really return them', () => {
    for (const [method, codes] of Object.entries(ERRORS_MISSING_FROM_SPEC)) {
      expect(errorTable[method]).toEqual(expect.arrayContaining([...codes]));
      expect(codes.filter((code) => specErrors(method)?.includes(code))).toEqual([]);
    }
  });

  describe('responses carry the fields the spec requires', () => {
    let emulator: SlackEmulator;
    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(() => emulator.stop());

    async function call(method: string, args: Record<string, string>): Promise<Record<string, unknown>> {
      const response = await fetch(`${emulator.apiUrl}${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(args).toString(),
      });
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ ok: true });
      const required = operation(method).responses['200'].schema?.required ?? [];
      expect(Object.keys(body)).toEqual(expect.arrayContaining(required));
      return body;
    }

    it('for conversations, messages, users and the rest', async () => {
      const { channel } = await call('conversations.create', { name: 'inc-9-conformance' });
      expectShape(channel, definition('objs_conversation'), { closed: true });
      const id = (channel as { id: string }).id;
      await call('conversations.invite', { channel: id, users: ALICE });
      await call('conversations.setTopic', { channel: id, topic: 't' });
      await call('conversations.setPurpose', { channel: id, purpose: 'p' });
      await call('conversations.info', { channel: id });
      await call('conversations.members', { channel: id });
      await call('conversations.join', { channel: id });
      const posted = await call('chat.postMessage', { channel: id, text: 'hello' });
      expectShape(posted.message, definition('objs_message'), { closed: false });
      const ts = posted.ts as string;
      await call('chat.update', { channel: id, ts, text: 'edited' });
      await call('chat.postEphemeral', { channel: id, user: ALICE, text: 'psst' });
      await call('chat.getPermalink', { channel: id, message_ts: ts });
      await call('pins.add', { channel: id, timestamp: ts });
      await call('pins.list', { channel: id });
      await call('auth.test', {});
      const { user } = await call('users.info', { user: ALICE });
      expectShape(user, definition('objs_user'), { closed: true });
      expectShape((user as { profile: unknown }).profile, definition('objs_user_profile'), { closed: true });
    });

    it('for user groups and DMs', async () => {
      emulator.addUsergroup({ id: 'S0CONFORM', handle: 'conformance', users: [ALICE] });
      await call('usergroups.users.list', { usergroup: 'S0CONFORM' });
      await call('conversations.open', { users: ALICE });
      const { channel: im } = await call('conversations.open', { users: ALICE, return_im: 'true' });
      const imVariant = spec.definitions.objs_conversation.items!.find((v) => v.required?.includes('user') && !v.required.includes('name'));
      expectShape(im, imVariant!, { closed: true });
    });
  });
});
