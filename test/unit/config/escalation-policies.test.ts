import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

import { ConfigError } from '../../../src/config/config';
import { emptyEscalationConfig, loadEscalationPolicies, parseEscalationPolicies } from '../../../src/config/escalation-policies';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'policies');

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Problems from loading a fixture, with the fixture directory left out so lines read `file:line:col …`. */
function problemsLoading(name: string): string[] {
  return problemsOf(() => loadEscalationPolicies(join(FIXTURES, name))).map((p) => p.replace(`${FIXTURES}${sep}`, ''));
}

const problemsParsing = (text: string, format: 'yaml' | 'json' = 'yaml') => problemsOf(() => parseEscalationPolicies(text, `policies.${format}`, format));

describe('escalation policies: valid files', () => {
  it('when the YAML file is valid, then every policy, level and severity is read', () => {
    const config = loadEscalationPolicies(join(FIXTURES, 'valid.yaml'));
    expect([...config.policies.keys()]).toEqual(['platform-oncall', 'db_oncall']);
    expect(config.policies.get('platform-oncall')).toEqual({
      name: 'platform-oncall',
      description: 'Platform on-call, then the platform leads',
      levels: [
        { userIds: ['U0123ABCD'], usergroupIds: ['S0456EFGH'], timeoutMs: 5 * 60_000 },
        { userIds: [], usergroupIds: ['S0999LEADS'], timeoutMs: 90 * 60_000 },
      ],
    });
    expect(config.policies.get('db_oncall')).toEqual({
      name: 'db_oncall',
      levels: [{ userIds: ['W0DBA0001', 'U0DBA0002'], usergroupIds: [], timeoutMs: 10 * 60_000 }],
    });
    expect(config.severityPolicies).toEqual({ sev1: 'platform-oncall', sev2: 'db_oncall' });
  });

  it('when the JSON file holds the same content, then the result is equal to the YAML one', () => {
    expect(loadEscalationPolicies(join(FIXTURES, 'valid.json'))).toEqual(loadEscalationPolicies(join(FIXTURES, 'valid.yaml')));
  });

  it('when a file is empty or holds only comments, then it configures nothing and is valid', () => {
    expect(loadEscalationPolicies(join(FIXTURES, 'empty.yaml'))).toEqual(emptyEscalationConfig());
    expect(parseEscalationPolicies('', 'policies.yaml', 'yaml')).toEqual(emptyEscalationConfig());
    expect(parseEscalationPolicies(' \n', 'policies.json', 'json')).toEqual(emptyEscalationConfig());
    expect(parseEscalationPolicies('{}', 'policies.json', 'json')).toEqual(emptyEscalationConfig());
    expect(parseEscalationPolicies('policies:\nseverities:\n', 'policies.yaml', 'yaml')).toEqual(emptyEscalationConfig());
  });

  it('when JSON is minified, tab-indented or uses escapes, then it reads like the YAML (JSON is parsed as YAML 1.2)', () => {
    const level = '{"users":["U0123ABCD"],"usergroups":["\\u0053\\/0"],"timeout":"5m"}';
    const minified = `{"policies":{"a":{"description":"caf\\u00e9 \\"ops\\"","levels":[${level}]}},"severities":{"sev1":"a"}}`;
    const tabbed = `{\n\t"policies": {\n\t\t"a": {\n\t\t\t"description": "café \\"ops\\"",\n\t\t\t"levels": [\n${level}\n]}},\n"severities": {"sev1": "a"}\n}`;
    expect(problemsParsing(minified, 'json')).toEqual(['policies.json:1:100 policies.a.levels[0].usergroups[0] must be a Slack user group id such as S0456EFGH (got "S/0")']);
    expect(problemsParsing(tabbed, 'json')).toEqual(['policies.json:6:38 policies.a.levels[0].usergroups[0] must be a Slack user group id such as S0456EFGH (got "S/0")']);
    const fixed = (text: string) => parseEscalationPolicies(text.replace('\\u0053\\/0', 'S0456EFGH'), 'policies.json', 'json');
    expect(fixed(minified)).toEqual(fixed(tabbed));
    expect(fixed(minified).policies.get('a')?.description).toBe('café "ops"');
  });

  it('when YAML anchors repeat a level, then the alias is expanded', () => {
    const text = 'policies:\n  a:\n    levels:\n      - &lead { users: [U0123ABCD], timeout: 5m }\n      - *lead\n';
    expect(parseEscalationPolicies(text, 'policies.yaml', 'yaml').policies.get('a')?.levels).toHaveLength(2);
  });
});

describe('escalation policies: each problem names file:line:column and the field', () => {
  it('when a timeout is not a duration, then its line and value are reported', () => {
    expect(problemsLoading('bad-timeout.yaml')).toEqual(['bad-timeout.yaml:8:9 policies.platform-oncall.levels[1].timeout must be a duration such as 5m (got "5 mins please")']);
  });

  it('when a timeout is readable but out of range, then the range is named', () => {
    expect(problemsParsing('policies:\n  a:\n    levels:\n      - users: [U0123ABCD]\n        timeout: 5s\n')).toEqual([
      'policies.yaml:5:9 policies.a.levels[0].timeout must be between 10s and 24h (got "5s")',
    ]);
    expect(problemsParsing('policies:\n  a:\n    levels:\n      - users: [U0123ABCD]\n        timeout: 300\n')).toEqual([
      'policies.yaml:5:9 policies.a.levels[0].timeout must be a duration such as 5m (got 300)',
    ]);
  });

  it('when a timeout is missing, then the level that lacks it is pointed at', () => {
    expect(problemsLoading('missing-timeout.yaml')).toEqual([
      'missing-timeout.yaml:6:9 policies.platform-oncall.levels[1].timeout is required: how long this level is paged before the next, such as 5m',
    ]);
  });

  it('when a level names nobody, then each such level is reported (block and flow style)', () => {
    expect(problemsLoading('empty-level.yaml')).toEqual([
      'empty-level.yaml:4:9 policies.platform-oncall.levels[0] must name at least one user or usergroup',
      'empty-level.yaml:5:9 policies.platform-oncall.levels[1] must name at least one user or usergroup',
    ]);
  });

  it('when a policy has no levels, then that is reported', () => {
    expect(problemsParsing('policies:\n  a:\n    levels: []\n')).toEqual(['policies.yaml:3:5 policies.a.levels must have at least one level']);
    expect(problemsParsing('policies:\n  a:\n    description: x\n')).toEqual(['policies.yaml:2:3 policies.a.levels is required']);
  });

  it('when a key is misspelt, then it is reported with the keys allowed there', () => {
    expect(problemsLoading('unknown-key.yaml')).toEqual([
      'unknown-key.yaml:3:5 policies.platform-oncall.descripton is unknown (expected description or levels)',
      'unknown-key.yaml:5:9 policies.platform-oncall.levels[0].usrs is unknown (expected users, usergroups or timeout)',
      'unknown-key.yaml:5:9 policies.platform-oncall.levels[0] must name at least one user or usergroup',
    ]);
    expect(problemsParsing('polices: {}\nseverities:\n  sev5: a\n')).toEqual([
      'policies.yaml:1:1 polices is unknown (expected policies or severities)',
      'policies.yaml:3:3 severities.sev5 is unknown (expected sev1, sev2, sev3 or sev4)',
    ]);
  });

  it('when ids do not have Slack shapes, then each bad id is pointed at', () => {
    expect(problemsLoading('bad-ids.yaml')).toEqual([
      'bad-ids.yaml:4:28 policies.platform-oncall.levels[0].users[1] must be a Slack user id such as U0123ABCD (got "bob")',
      'bad-ids.yaml:4:33 policies.platform-oncall.levels[0].users[2] must be a Slack user id such as U0123ABCD (got "S0456EFGH")',
      'bad-ids.yaml:5:22 policies.platform-oncall.levels[0].usergroups[0] must be a Slack user group id such as S0456EFGH (got "U0123ABCD")',
    ]);
  });

  it('when a severity names an undefined policy, then the defined ones are listed', () => {
    expect(problemsLoading('unknown-policy.yaml')).toEqual([
      'unknown-policy.yaml:8:3 severities.sev2 names policy "platform-on-call", which is not defined (defined: platform-oncall)',
    ]);
  });

  it('when a policy name is not a lowercase slug, then the name is quoted in the path', () => {
    expect(problemsLoading('bad-policy-name.yaml')).toEqual([
      'bad-policy-name.yaml:2:3 policies["Platform OnCall"] is not a valid policy name: use lowercase letters, digits, - and _ (at most 40, starting with a letter or digit)',
    ]);
  });

  it('when the file is not a mapping, then the top level is reported', () => {
    expect(problemsParsing('- a\n')).toEqual(['policies.yaml:1:1 file must be a mapping with policies: and severities: (got a list)']);
    expect(problemsParsing('policies: [a]\n')).toEqual(['policies.yaml:1:1 policies must be a mapping (got a list)']);
  });

  it('when a JSON file has schema problems, then positions are those in the JSON text', () => {
    expect(problemsLoading('invalid.json')).toEqual([
      'invalid.json:5:35 policies.platform-oncall.levels[0].timeout must be a duration such as 5m (got "5 mins please")',
      'invalid.json:6:9 policies.platform-oncall.levels[1] must name at least one user or usergroup',
      'invalid.json:6:11 policies.platform-oncall.levels[1].usrs is unknown (expected users, usergroups or timeout)',
      'invalid.json:10:19 severities.sev1 names policy "platform-on-call", which is not defined (defined: platform-oncall)',
    ]);
  });
});

describe('escalation policies: syntax and file errors', () => {
  it('when the YAML is malformed, then the syntax error has its line', () => {
    expect(problemsLoading('syntax-error.yaml')).toEqual([
      'syntax-error.yaml:5:9 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('when a YAML key is repeated, then the second one is reported', () => {
    const text = 'policies:\n  a:\n    levels: []\n  a:\n    levels: []\n';
    expect(problemsParsing(text)).toEqual(['policies.yaml:4:3 YAML syntax error: a key appears twice in the same mapping']);
  });

  it('when a YAML alias names no anchor, then the alias is pointed at', () => {
    expect(problemsParsing('policies: *nope\n')).toEqual(['policies.yaml:1:11 YAML error: Unresolved alias (the anchor must be set before the alias): nope']);
  });

  it('when the JSON is malformed, then the syntax error has its line and column', () => {
    expect(problemsLoading('syntax-error.json')).toEqual(["syntax-error.json:6:9 JSON syntax error: expected ',' or ']'"]);
  });

  it.each([
    ['{"policies": {},}', 'policies.json:1:16 JSON syntax error: a trailing comma is not allowed in JSON'],
    ["{'policies': {}}", 'policies.json:1:2 JSON syntax error: expected a "double-quoted" property name'],
    ['{"policies": {} // none\n}', "policies.json:1:17 JSON syntax error: expected ',' or '}'"],
    ['{"policies": nul}', 'policies.json:1:14 JSON syntax error: expected a value'],
    ['{"policies": {}', "policies.json:1:16 JSON syntax error: unexpected end of file (expected ',' or '}')"],
    ['{"policies": "a\nb"}', 'policies.json:1:14 JSON syntax error: invalid string: missing closing quote, bad escape or raw line break'],
    ['{} {}', 'policies.json:1:4 JSON syntax error: unexpected content after the end of the document'],
  ])('when JSON that YAML would accept is given (%j), then it is still refused', (text, problem) => {
    expect(problemsParsing(text, 'json')).toEqual([problem]);
  });

  it('when a JSON key is repeated, then it is refused rather than the last one silently winning', () => {
    expect(problemsParsing('{"policies": {},\n "policies": {}}', 'json')).toEqual(['policies.json:2:2 JSON syntax error: a key appears twice in the same mapping']);
  });

  it('when the file does not exist, then one line names the path and the variable', () => {
    const error = (() => {
      try {
        loadEscalationPolicies(join(FIXTURES, 'nope.yaml'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([`${join(FIXTURES, 'nope.yaml')}: no such file, named by ESCALATION_POLICIES_FILE`]);
    expect((error as ConfigError).message).not.toMatch(/\n\s+at /); // no stack trace in what operators read
  });

  it('when the extension is neither YAML nor JSON, then the accepted ones are named', () => {
    expect(problemsOf(() => loadEscalationPolicies('/etc/policies.toml'))).toEqual(['ESCALATION_POLICIES_FILE /etc/policies.toml must end with .yaml, .yml or .json']);
  });

  it('when the path cannot be read, then the reason is given with the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    try {
      mkdirSync(join(dir, 'policies.yaml'));
      expect(problemsOf(() => loadEscalationPolicies(join(dir, 'policies.yaml')))).toEqual([
        `${join(dir, 'policies.yaml')}: cannot be read (EISDIR), named by ESCALATION_POLICIES_FILE`,
      ]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
