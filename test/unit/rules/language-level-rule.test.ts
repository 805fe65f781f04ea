/**
 * The programme's language_level rules (French at least B2; English "advanced", which the call does not pin
 * to a CEFR level): below the minimum is ineligible, at or above `sure_from` passes, and in between a person
 * decides (contract § 6: a rule the machine cannot be sure of gives no automatic verdict).
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { chooseStatus } from '../../../core/triage/triage-application';
import { evaluateRules, type LanguageFinding } from '../../../core/triage/evaluate-rules';
import type { CefrLevel, SectionId } from '../../../core/types';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const PROGRAMME = RULES.programmes.find((p) => p.id === 'gustave-roussy-hybrid-imaging-2022')!;

function judge(lang: 'en' | 'fr', level: CefrLevel | null) {
  const languages: LanguageFinding[] = [
    { lang: lang === 'en' ? 'fr' : 'en', level: 'C1', source: 'certificate', page: 8, snippet: 'the other language' },
    ...(level ? [{ lang, level, source: 'certificate' as const, page: 9, snippet: `overall ${level}` }] : []),
  ];
  const sections = new Map<SectionId, { pages: number[]; scanned: boolean }>([['language_certificates', { pages: [8, 9], scanned: false }]]);
  const outcomes = evaluateRules(PROGRAMME, RULES.common, { facts: {}, evidence: {}, languages, sections, receivedAt: null });
  return outcomes.find((o) => o.rule === (lang === 'en' ? 'english-advanced' : 'french-b2'))!;
}

describe('language_level', () => {
  it('French: B1 is ineligible, B2 and above pass', () => {
    expect(judge('fr', 'B1').flag).toMatchObject({ code: 'language_below_required', severity: 'ineligible', evidence: { level: 'B1', min: 'B2' } });
    expect(judge('fr', 'B2')).toMatchObject({ outcome: 'pass' });
    expect(judge('fr', 'C2')).toMatchObject({ outcome: 'pass' });
  });

  it('English: B1 is below any reading of "advanced"; C1 and C2 are advanced', () => {
    expect(judge('en', 'B1').flag?.code).toBe('language_below_required');
    expect(judge('en', 'C1')).toMatchObject({ outcome: 'pass' });
    expect(judge('en', 'C2')).toMatchObject({ outcome: 'pass' });
  });

  it('English B2: read, and left to a person (no complete, no ineligible)', () => {
    const o = judge('en', 'B2');
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'language_unverified', severity: 'review', evidence: { pages: [9], level: 'B2', sureFrom: 'C1' } });
    expect(chooseStatus([o.flag!])).toBe('needs_review');
  });

  it('no certificate for a mandatory language: language_unverified', () => {
    expect(judge('fr', null).flag).toMatchObject({ code: 'language_unverified', evidence: { pages: [8, 9] } });
  });
});

describe('language_level with a level per skill', () => {
  const judgeSkills = (level: CefrLevel, highestSkill: CefrLevel) => {
    const languages: LanguageFinding[] = [
      { lang: 'en', level: 'C1', source: 'certificate', page: 8, snippet: 'English' },
      { lang: 'fr', level, highestSkill, source: 'certificate', page: 9, snippet: 'skills' },
    ];
    const sections = new Map<SectionId, { pages: number[]; scanned: boolean }>([['language_certificates', { pages: [8, 9], scanned: false }]]);
    return evaluateRules(PROGRAMME, RULES.common, { facts: {}, evidence: {}, languages, sections, receivedAt: null }).find((o) => o.rule === 'french-b2')!;
  };

  it('skills on both sides of the minimum: a person decides', () => {
    expect(judgeSkills('B1', 'B2').flag).toMatchObject({ code: 'language_unverified', severity: 'review', evidence: { level: 'B1', highestSkill: 'B2' } });
  });

  it('all skills below the minimum: below it; all at or above: passes', () => {
    expect(judgeSkills('A2', 'B1').flag?.code).toBe('language_below_required');
    expect(judgeSkills('B2', 'C1').outcome).toBe('pass');
  });
});
