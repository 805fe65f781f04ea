import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RulesInvalidError, loadRules } from '../../../adapters/rules-loader';

const ROOT = path.resolve(__dirname, '../../..');
const RULES = path.join(ROOT, 'rules');

/** A temporary rules folder: the bundled common, mail and replies files plus the given programme file. */
function rulesWith(programmeFile: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-rules-'));
  cpSync(path.join(RULES, 'common.yaml'), path.join(dir, 'common.yaml'));
  cpSync(path.join(RULES, 'mail.yaml'), path.join(dir, 'mail.yaml'));
  cpSync(path.join(RULES, 'replies.yaml'), path.join(dir, 'replies.yaml'));
  mkdirSync(path.join(dir, 'programmes'));
  cpSync(programmeFile, path.join(dir, 'programmes', 'p.yaml'));
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadRules(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(RulesInvalidError);
    return (err as RulesInvalidError).problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('loadRules', () => {
  it('loads the bundled rules: common, mail, replies and the Gustave Roussy programme', () => {
    const rules = loadRules(RULES);
    expect(rules.programmes.map((p) => p.id)).toEqual(['gustave-roussy-hybrid-imaging-2022']);
    const gr = rules.programmes[0]!;
    expect(gr).toMatchObject({ host_country: 'FR', deadline: '2021-03-31', start: '2022-10-01', duration_months: 12 });
    expect(rules.common.sections.map((s) => s.id)).toHaveLength(10);
    expect(Object.isFrozen(rules.common)).toBe(true);
    expect(Object.keys(rules.sources).length).toBe(4);
  });

  it('names file, line and path of a misspelt key', () => {
    const dir = rulesWith(path.join(ROOT, 'test/fixtures/rules/broken-key/programmes/p.yaml'));
    try {
      const problems = problemsOf(dir);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/p\.yaml:8: deadlne: unknown key/),
          expect.stringMatching(/p\.yaml:\d+: deadline: required key is missing/),
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names file, line and path of a value of the wrong type', () => {
    const dir = rulesWith(path.join(ROOT, 'test/fixtures/rules/broken-type/programmes/p.yaml'));
    try {
      expect(problemsOf(dir)).toEqual([expect.stringMatching(/p\.yaml:34: rules\[1\]\.years: .*number/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = rulesWith(path.join(RULES, 'programmes/gustave-roussy-hybrid-imaging-2022.yaml'));
    try {
      writeFileSync(path.join(dir, 'programmes', 'p.yaml'), 'kind: programme\nid: [unclosed\n');
      expect(problemsOf(dir)[0]).toMatch(/p\.yaml:\d+: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder without rule files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'esor-rules-'));
    try {
      expect(problemsOf(dir).join('\n')).toMatch(/no common rule file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
