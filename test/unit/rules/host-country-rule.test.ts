/**
 * The programme's outside_host_country rule (host France): a country read decides; none read from a CV
 * that is there is no pass (contract § 6), but a review flag that keeps a complete verdict from going out.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { chooseStatus } from '../../../core/triage/triage-application';
import { evaluateRules, type RuleInput } from '../../../core/triage/evaluate-rules';
import type { Facts, SectionId } from '../../../core/types';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const PROGRAMME = RULES.programmes.find((p) => p.id === 'gustave-roussy-hybrid-imaging-2022')!;

function judge(facts: Facts, withCv = true) {
  const sections = new Map<SectionId, { pages: number[]; scanned: boolean }>(withCv ? [['cv', { pages: [2, 3], scanned: false }]] : []);
  const input: RuleInput = { facts, evidence: {}, languages: [], sections, receivedAt: null };
  return evaluateRules(PROGRAMME, RULES.common, input).find((o) => o.kind === 'outside_host_country')!;
}

describe('outside_host_country', () => {
  it('fails on residence or work in the host country, passes elsewhere', () => {
    expect(judge({ countryOfResidence: 'DE', countryOfWork: 'FR' }).flag?.code).toBe('same_country');
    expect(judge({ countryOfResidence: 'PT', countryOfWork: 'PT' })).toMatchObject({ outcome: 'pass' });
    expect(judge({ countryOfResidence: 'PT' })).toMatchObject({ outcome: 'pass' });
  });

  it('with a CV but no country read, raises country_unverified: a review that stops complete, not incomplete', () => {
    const o = judge({});
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'country_unverified', severity: 'review', section: 'cv', evidence: { pages: [2, 3] } });
    expect(o.flag!.message).toContain('France');
    expect(chooseStatus([o.flag!])).toBe('needs_review');
    const missing = { code: 'missing_section', severity: 'incomplete' as const, message: 'x' };
    expect(chooseStatus([missing, o.flag!])).toBe('incomplete');
  });

  it('without a CV says nothing more: the missing CV is the flag', () => {
    expect(judge({}, false)).toMatchObject({ outcome: 'unknown' });
    expect(judge({}, false).flag).toBeUndefined();
  });
});
