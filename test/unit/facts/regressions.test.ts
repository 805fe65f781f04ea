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
