/**
 * The programme's language_level rules (French at least B2; English "advanced", which the call does not pin
 * to a CEFR level): below the minimum is ineligible, at or above `sure_from` passes, and in between a person
 * decides (contract § 6: a rule the machine cannot be sure of gives no automatic verdict).
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { chooseStatus } from '../../../core/triage/triage-application';
import { evaluateRules, type LanguageFinding } from '../../../core/triage/evaluate-rules';
import type { CefrLevel, PageText, SectionId } from '../../../core/types';
import { extractFacts, type CvFieldLabels } from '../../../core/facts';
import { compilePhrases } from '../../../core/normalize';

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

describe('a score report older than its body holds results valid', () => {
  const IELTS_2016 = 'IELTS\nTest Report Form - ACADEMIC\nDate 23/04/2016\nDate of Birth 11/06/1987\nListening 8.0\nReading 7.5\nWriting 7.0\nSpeaking 7.0\nOverall Band Score 7.5';
  const DELF = 'DIPLÔME D\'ÉTUDES EN LANGUE FRANÇAISE\nDELF B2\nSession du 07/12/2019\nNiveau B2 du Cadre européen commun de référence pour les langues';
  const labels = {} as unknown as CvFieldLabels;
  const scoreReports = RULES.common.score_reports.map((r) => ({ words: compilePhrases(r.names), lang: r.language, years: r.valid_years }));
  const read = (...texts: string[]) => extractFacts({
    sections: [{ id: 'language_certificates', pages: texts.map((text, i) => ({ num: 8 + i, text, imageOnly: false }) as PageText) }],
    cvLabels: labels,
    scoreReports,
  });
  const english = (languages: LanguageFinding[]) => {
    const sections = new Map<SectionId, { pages: number[]; scanned: boolean }>([['language_certificates', { pages: [8, 9, 10], scanned: false }]]);
    return evaluateRules(PROGRAMME, RULES.common, { facts: {}, evidence: {}, languages, sections, receivedAt: null }).find((o) => o.rule === 'english-advanced')!;
  };

  it('an IELTS form of 2016 alone, for a 2021 deadline: read, and left to a person', () => {
    const { languages } = read(IELTS_2016, DELF);
    expect(languages.find((l) => l.lang === 'en')).toMatchObject({ level: 'C1', validUntil: '2018-04-23' });
    expect(languages.find((l) => l.lang === 'fr')?.validUntil).toBeUndefined();
    const o = english(languages as LanguageFinding[]);
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'language_unverified', severity: 'review', evidence: { validUntil: '2018-04-23' } });
  });

  it('a current report, or a diploma beside the old one, decides as before', () => {
    expect(english(read(IELTS_2016.replace('2016', '2020')).languages as LanguageFinding[]).outcome).toBe('pass');
    const cambridge = 'Cambridge English\nC1 Advanced\nCertificate in Advanced English\nCouncil of Europe Level C1\nDate of Examination March 2015';
    expect(english(read(IELTS_2016, cambridge).languages as LanguageFinding[]).outcome).toBe('pass');
  });
});
