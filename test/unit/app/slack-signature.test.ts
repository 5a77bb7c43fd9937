// Slack's request signature as the bot checks it, against the example in Slack's "Verifying
// requests from Slack" guide, and its time window in both directions.

import { timestampOutsideWindow, verifySlackSignature } from '../../../src/app/slack-signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&' +
  'user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&' +
  'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = TIMESTAMP * 1000 + 30_000;

/** null leaves the header out. */
const headers = (signature: string | null = SIGNATURE, timestamp: string | null = String(TIMESTAMP)) => ({
  ...(signature === null ? {} : { 'x-slack-signature': signature }),
  ...(timestamp === null ? {} : { 'x-slack-request-timestamp': timestamp }),
});

describe('verifySlackSignature', () => {
  it("when the request is Slack's documented example, then it verifies", () => {
    expect(verifySlackSignature(SECRET, headers(), Buffer.from(BODY), AT)).toBe('ok');
  });

  it('when a byte of the body, the timestamp, the secret or the signature differs, then it is a mismatch', () => {
    expect(verifySlackSignature(SECRET, headers(), Buffer.from(BODY.replace('roadrunner', 'roadrunnes')), AT)).toBe('mismatch');
    expect(verifySlackSignature(SECRET, headers(SIGNATURE, String(TIMESTAMP + 1)), Buffer.from(BODY), AT)).toBe('mismatch');
    expect(verifySlackSignature(`${SECRET}x`, headers(), Buffer.from(BODY), AT)).toBe('mismatch');
    expect(verifySlackSignature(SECRET, headers(SIGNATURE.replace(/3$/, '4')), Buffer.from(BODY), AT)).toBe('mismatch');
    expect(verifySlackSignature(SECRET, headers(`${SIGNATURE}0`), Buffer.from(BODY), AT)).toBe('mismatch');
    expect(verifySlackSignature(SECRET, headers('v0='), Buffer.from(BODY), AT)).toBe('mismatch');
  });

  it('when a header is missing, then it says so; when the time is over five minutes off either way, then it is stale', () => {
    expect(verifySlackSignature(SECRET, headers(null), Buffer.from(BODY), AT)).toBe('missing');
    expect(verifySlackSignature(SECRET, headers(SIGNATURE, null), Buffer.from(BODY), AT)).toBe('missing');
    expect(verifySlackSignature(SECRET, headers(), Buffer.from(BODY), TIMESTAMP * 1000 + 301_000)).toBe('stale');
    expect(verifySlackSignature(SECRET, headers(), Buffer.from(BODY), TIMESTAMP * 1000 - 301_000)).toBe('stale');
    expect(verifySlackSignature(SECRET, headers(), Buffer.from(BODY), TIMESTAMP * 1000 + 299_000)).toBe('ok');
  });

  it('when the timestamp is not a number, then it is outside the window', () => {
    expect(timestampOutsideWindow('soon', AT)).toBe(true);
    expect(timestampOutsideWindow('', AT)).toBe(true);
    expect(timestampOutsideWindow(String(TIMESTAMP), AT)).toBe(false);
    expect(verifySlackSignature(SECRET, headers(SIGNATURE, 'soon'), Buffer.from(BODY), AT)).toBe('stale');
  });
});
