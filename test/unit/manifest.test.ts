// The Slack app manifest a user pastes into api.slack.com: valid by Slack's published manifest
// schema, subscribed to exactly the events the bot handles, declaring its shortcut, and granting a
// scope for every Web API method the bot calls (by Slack's published OpenAPI description). Both
// references are vendored in test/fixtures with their licence.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';
import { parse } from 'yaml';

import { ADD_TO_TIMELINE_SHORTCUT } from '../../src/blocks/ids';
import { eventHandlers } from '../../src/listeners/events/event-router';

const ROOT = join(__dirname, '../..');
const FIXTURES = join(__dirname, '../fixtures');

interface Manifest {
  features: { app_home?: { home_tab_enabled?: boolean }; shortcuts?: { callback_id: string; type: string }[]; slash_commands: { command: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

const manifest = parse(readFileSync(join(ROOT, 'manifests/slack-app.yaml'), 'utf8')) as Manifest;
const schema = JSON.parse(readFileSync(join(FIXTURES, 'slack-manifest-schema/manifest.schema.1.0.0.json'), 'utf8')) as object;
const methodScopes = (JSON.parse(readFileSync(join(FIXTURES, 'slack-web-api/method-scopes.json'), 'utf8')) as { methods: Record<string, string[]> }).methods;
const granted = new Set(manifest.oauth_config.scopes.bot);

/** Every Web API method the bot calls: each goes through SlackGateway.call (or Bolt's auth.test). */
function methodsCalled(): string[] {
  const dir = join(ROOT, 'src/integrations/slack');
  const source = readdirSync(dir)
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
  return [...new Set([...source.matchAll(/this\.call\('([a-zA-Z.]+)'/g)].map((m) => m[1] ?? ''))].sort();
}

// The 2020 description names the scopes of classic apps; a granular bot token asks for these instead.
const GRANULAR: Record<string, string> = { 'chat:write:bot': 'chat:write', 'chat:write:user': 'chat:write', 'channels:write': 'channels:manage' };
// Newer than the description, from Slack's current method reference.
const NEWER: Record<string, string[]> = { 'files.uploadV2': ['files:write'] };
// The conversation kinds the bot uses a method on: each kind needs its own scope.
const KINDS: Record<string, readonly ('channels' | 'groups' | 'im')[]> = {
  'conversations.create': ['channels', 'groups'],
  'conversations.invite': ['channels', 'groups'],
  'conversations.setTopic': ['channels', 'groups'],
  'conversations.setPurpose': ['channels', 'groups'],
  'conversations.archive': ['channels', 'groups'],
  'conversations.list': ['channels', 'groups'],
  'conversations.members': ['channels', 'groups'],
  'conversations.history': ['channels', 'groups', 'im'],
  'conversations.open': ['im'],
};
// Scopes for fields rather than methods: users.info returns the email only with this one.
const FIELD_SCOPES = ['users:read.email'];

/** The scopes missing for `method`, as the manifest grants them. */
function missingScopes(method: string): string[] {
  const listed = (methodScopes[method] ?? NEWER[method])?.map((s) => GRANULAR[s] ?? s);
  if (!listed) return [`${method} is in neither the description nor NEWER`];
  if (listed.includes('none')) return [];
  const kinds = KINDS[method];
  if (!kinds) return listed.some((s) => granted.has(s)) ? [] : [`one of ${listed.join(', ')}`];
  return kinds.flatMap((kind) => {
    const forKind = listed.filter((s) => s.startsWith(`${kind}:`));
    return forKind.some((s) => granted.has(s)) ? [] : [`${kind}: one of ${forKind.join(', ')}`];
  });
}

describe('the Slack app manifest', () => {
  it('when validated against Slack’s manifest schema, then it has no error', () => {
    // Slack's schema uses keywords of its own (`_note`, `regex`) and formats: not errors in the manifest.
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  it('when a manifest breaks the schema, then the check says where (the check can fail)', () => {
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const broken = {
      ...manifest,
      features: { ...manifest.features, shortcuts: [{ name: 'A name far longer than Slack allows here', type: 'message', callback_id: 'x', description: 'x' }] },
    };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/features/shortcuts/0/name');
  });

  it('when compared with the bot, then it subscribes to exactly the events the bot handles and declares its shortcut and Home tab', () => {
    const subscribed = new Set(manifest.settings.event_subscriptions.bot_events.map((e) => e.replace(/^message\..*/, 'message')));
    expect([...subscribed].sort()).toEqual(Object.keys(eventHandlers()).sort());
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: ADD_TO_TIMELINE_SHORTCUT })]);
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/incident']);
  });

  it('when every Web API method the bot calls is checked against the scopes the manifest grants, then none is missing', () => {
    const called = methodsCalled();
    expect(called).toEqual(expect.arrayContaining(['chat.postMessage', 'conversations.archive', 'views.publish']));
    expect(Object.fromEntries(called.map((m) => [m, missingScopes(m)]).filter(([, missing]) => missing.length > 0))).toEqual({});
    for (const scope of FIELD_SCOPES) expect(granted).toContain(scope);
  });

  it('when a scope the bot needs is taken away, then the check names the method (it can fail)', () => {
    granted.delete('groups:write');
    try {
      expect(missingScopes('conversations.create')).toEqual(['groups: one of groups:write']);
    } finally {
      granted.add('groups:write');
    }
  });
});
