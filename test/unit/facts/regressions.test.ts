/** Bugs found by the corpus evaluation, each named after what broke. */
import { findLanguageLevels, readMembershipYear } from '../../../core/facts';

describe('regressions', () => {
  it('a payment date in a later year does not make an old membership fee current', () => {
    const receipt = [
      'European Society of Radiology',
      'Payment receipt',
      'Member ID: 100200',
      'Description Period Amount',
      'ESR Full Membership fee 2020 1 January 2020 to 31 December 2020 EUR 50.00',
      'Paid by credit card on 27 February 2021. Thank you for your payment.',
    ].join('\n');
    expect(readMembershipYear(receipt)?.year).toBe(2020);
  });

  it('the "First Language" of an IELTS report does not take the English level', () => {
    const report = [
      'IELTS',
      'International English Language Testing System',
      'Test Report Form – ACADEMIC',
      'Country or Region',
      'of Origin',
      'Belgium First Language French',
      'Test Results',
      'Listening Reading Writing Speaking Overall Band Score CEFR Level',
      '6.5 6.5 6.0 7.0 6.5 B2',
    ].join('\n');
    const levels = findLanguageLevels(report).filter((l) => l.via !== 'native');
    expect(levels.map((l) => [l.lang, l.level])).toEqual([['en', 'B2']]);
  });
});

describe('regressions: publication lists', () => {
  it('counts un-numbered entries whose first author starts with a lower-case particle', () => {
    const { countPublications } = require('../../../core/facts') as typeof import('../../../core/facts');
    const list = [
      'Most important publications:',
      'de Jong D, van Dijk ZT, Visser D. Added value of PET/CT in breast cancer: a single-centre experience. Front Oncol.',
      '2017;59(12):2297-2305.',
      'van Dijk X, Smit RJ, de Jong D, et al.. Diagnostic performance of PET/CT in the staging of breast cancer. Br J Radiol. 2018;129(11):2205-2216.',
      'de Jong D, Jansen W. Prognostic value of PET/CT in prostate cancer.',
      'Abdom Radiol (NY). 2020;88(1):2375-2381.',
    ].join('\n');
    expect(countPublications(list).count).toBe(3);
  });
});

describe('regressions: names that are language words', () => {
  it('the surname Greco on a TCF report is not Greek', () => {
    const report = ['TCF – Test de connaissance du français', 'Nom : GRECO', 'Prénom : Alessandro', 'Épreuve Score Niveau', 'Compréhension orale 456 B2', 'Niveau global : B2 (434/699)'].join('\n');
    const langs = new Set(findLanguageLevels(report).map((l) => l.lang));
    expect([...langs]).toEqual(['fr']);
  });
});

describe('regressions: IELTS results row', () => {
  it('reads the overall band, last in the results row, when its label was lost', () => {
    const page = ['IELTS', 'International English Language Testing System', 'Test Results', 'Listening Reading Writing Speaking Overall and', 'Score', '6.5 6.5 7.0 7.0 6.5'].join('\n');
    expect(findLanguageLevels(page).map((l) => [l.lang, l.level])).toEqual([['en', 'B2']]);
  });
});
