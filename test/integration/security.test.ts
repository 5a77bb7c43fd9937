// Security over real HTTP: signatures and their time window, workspace allowlist, who may steer
// an incident, bad bodies, and no secret anywhere after a run.

import { MAX_BODY_BYTES } from '../../src/app/http-receiver';
import { signSlackRequest } from '../../src/sandbox/slack-actor';
import { SANDBOX_SIGNING_SECRET } from '../../src/sandbox/sandbox';
import { ackText, PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

function commandBody(f: Fixture, text: string, teamId = f.emulator.identity.teamId): string {
  return new URLSearchParams({
    command: '/incident',
    text,
    team_id: teamId,
    user_id: PEOPLE.ann.id,
    user_name: 'ann',
    channel_id: f.generalId,
    trigger_id: `t.${Math.random()}`,
    response_url: `${f.emulator.baseUrl}/response/none`,
  }).toString();
}

function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': signSlackRequest(SANDBOX_SIGNING_SECRET, timestamp, body),
  };
}

describe('request authenticity', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture();
  });
  afterEach(async () => {
    await f.stop();
  });

  it('when the signature is wrong, then 401, nothing changes, and one warn line says why (with a request id, without the body)', async () => {
    const body = commandBody(f, 'start Forged');
    const headers = { ...signedHeaders(body), 'X-Slack-Signature': 'v0=' + '0'.repeat(64) };
    expect((await f.actor.rawRequest(body, headers)).status).toBe(401);
    expect(await f.store.listOpenIncidents(f.emulator.identity.teamId)).toEqual([]);
    const refused = f.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => String(entry.msg).startsWith('request refused'));
    expect(refused).toEqual([expect.objectContaining({ level: 'warn', reason: 'mismatch', requestId: expect.any(String) })]);
    expect(f.logs.join('\n')).not.toContain('Forged');
  });

  it('when a validly signed request is older or newer than 5 minutes (a replay), then 401 and nothing changes', async () => {
    const body = commandBody(f, 'start Replayed');
    for (const skew of [-6 * 60, 6 * 60]) {
      const response = await f.actor.rawRequest(body, signedHeaders(body, Math.floor(Date.now() / 1000) + skew));
      expect(response.status).toBe(401);
    }
    expect(await f.store.listOpenIncidents(f.emulator.identity.teamId)).toEqual([]);
  });

  it('when the body is malformed or huge, then the answer is a 4xx and the bot keeps working', async () => {
    const broken = 'payload=%7Bnot-json';
    const malformed = await f.actor.rawRequest(broken, signedHeaders(broken));
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    const huge = `text=${'x'.repeat(12 * 1024 * 1024)}`;
    const tooBig = await f.actor.rawRequest(huge, signedHeaders(huge));
    expect(tooBig.status).toBeGreaterThanOrEqual(400);
    expect(tooBig.status).toBeLessThan(500);
    expect((await f.declare('Still alive')).channelId).toBeDefined();
  });

  it('when a body is over the 1 MiB limit, then 413 before anything is parsed; just under it is read and checked as usual', async () => {
    const over = `text=${'x'.repeat(MAX_BODY_BYTES)}`;
    expect((await f.actor.rawRequest(over, signedHeaders(over))).status).toBe(413);
    expect(f.logs.some((line) => line.includes('request refused: body too large'))).toBe(true);
    // Under the limit, an unsigned body is read and refused for its signature, a signed one is processed.
    const under = commandBody(f, `start ${'y'.repeat(MAX_BODY_BYTES - 2000)}`);
    expect(Buffer.byteLength(under)).toBeLessThan(MAX_BODY_BYTES);
    expect((await f.actor.rawRequest(under, { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(401);
    expect((await f.actor.rawRequest(under, signedHeaders(under))).status).toBe(200);
  });

  it("when Slack's unsigned ssl_check arrives, then 200 and nothing else in that body runs; other unsigned requests get 401", async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    expect((await f.actor.rawRequest('ssl_check=1&token=x', form)).status).toBe(200);
    // A command smuggled into an ssl_check body is not processed.
    const smuggled = `ssl_check=1&${commandBody(f, 'start Smuggled')}`;
    const answer = await f.actor.rawRequest(smuggled, form);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(await f.store.listOpenIncidents(f.emulator.identity.teamId)).toEqual([]);
    expect((await f.actor.rawRequest(commandBody(f, 'start Unsigned'), form)).status).toBe(401);
    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' });
    expect((await f.actor.rawRequest(challenge, { 'Content-Type': 'application/json' })).status).toBe(401);
  });

  it('when a signed url_verification arrives, then the challenge comes back', async () => {
    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' });
    const answer = await f.actor.rawRequest(challenge, { ...signedHeaders(challenge), 'Content-Type': 'application/json' });
    expect(answer).toMatchObject({ status: 200, json: { challenge: 'c-123' } });
  });

  it('when a signed event has fields of the wrong type, then it is acknowledged and dropped (no redelivery loop) and the bot keeps working', async () => {
    const { channelId } = await f.declare('Odd events over HTTP');
    const odd = [
      { type: 'pin_added', user: PEOPLE.ann.id, channel_id: channelId, item: null }, // Bolt's own routing would throw on these two
      { type: 'reaction_added', user: PEOPLE.ann.id, reaction: 'pushpin', item: 'not an object' },
      { type: 'message', channel: channelId, user: PEOPLE.ann.id, ts: '1700000000.000100', text: 42 },
      { type: 'message', channel: channelId, user: PEOPLE.ann.id, text: 'no ts' },
    ];
    for (const event of odd) expect((await f.actor.deliverEvent(event)).status).toBe(200);
    expect(await f.store.getTranscriptMessage(channelId, '1700000000.000100')).toBeUndefined();
    const { ts } = await f.actor.say(PEOPLE.ann.id, channelId, 'after the odd ones');
    expect((await f.store.getTranscriptMessage(channelId, ts))?.text).toBe('after the odd ones');
  });
});

describe('workspace allowlist', () => {
  it('when a request comes from a workspace not on the allowlist, then it is refused with a clear answer and nothing is stored', async () => {
    const f = await startFixture({ allowedTeamIds: ['T0SANDBOX'] });
    try {
      const body = commandBody(f, 'start Intruder', 'T0OTHER');
      const response = await f.actor.rawRequest(body, signedHeaders(body));
      expect(response.status).toBe(200);
      expect(ackText(response)).toContain('not available in this workspace');
      expect(await f.store.listOpenIncidents('T0OTHER')).toEqual([]);
      expect((await f.declare('Allowed one')).channelId).toBeDefined();
    } finally {
      await f.stop();
    }
  });
});

describe('who may steer an incident', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture({ control: { mode: 'responders', groupIds: ['S0RESP'] } });
    f.emulator.addUsergroup({ id: 'S0RESP', handle: 'responders', users: [PEOPLE.cid.id] });
  });
  afterEach(async () => {
    await f.stop();
  });

  it('when someone outside the commander, roles and responder groups tries to close, then they are refused; anyone may add notes', async () => {
    const { channelId } = await f.declare('Queue backlog');
    f.emulator.joinChannel(channelId, PEOPLE.bob.id);
    const refused = await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'close');
    expect(ackText(refused)).toContain('Only the incident commander (<@U0ANN>), people with a role or members of user group S0RESP may close the incident');
    expect(ackText(await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'severity sev1'))).toContain('may change the severity');
    expect(ackText(await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'note I can still write notes'))).toContain('I can still write notes');
    const incident = (await f.store.findIncidentByChannel(channelId))!;
    expect(incident.status).toBe('investigating');

    f.emulator.joinChannel(channelId, PEOPLE.cid.id);
    expect(ackText(await f.actor.slashCommand(PEOPLE.cid.id, channelId, 'resolve fixed'))).toContain('resolved INC-1');
    await f.actor.slashCommand(PEOPLE.ann.id, channelId, `role scribe <@${PEOPLE.bob.id}|bob>`);
    expect(ackText(await f.actor.slashCommand(PEOPLE.bob.id, channelId, 'close'))).toContain('closed INC-1');
  });
});
