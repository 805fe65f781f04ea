/**
 * The term a language test result states for itself (core/facts/validity.ts): read from the exam bodies'
 * own wording, counted from the latest date the page prints, and nothing where a result states no term.
 */
import { findStatedValidity } from '../../../core/facts/validity';

describe('findStatedValidity', () => {
  it('reads a printed last day', () => {
    expect(findStatedValidity('Test Taker: K. T.   Test Date: 08/09/2020   Valid Until: 08/09/2022')?.until).toBe('2022-09-08');
    expect(findStatedValidity('Attestation valable jusqu’au 12 mars 2019')?.until).toBe('2019-03-12');
    expect(findStatedValidity('Zertifikat gültig bis 30.06.2020')?.until).toBe('2020-06-30');
  });

  it('counts a two-year term from the latest date on the page, not the birth date', () => {
    const tcf = 'Date de naissance : 16/10/1987\nDate de passation : 25/03/2017 Attestation valable deux ans à compter de la date de\npassation.';
    expect(findStatedValidity(tcf)).toEqual({ until: '2019-03-25', snippet: expect.stringContaining('valable deux ans') });
    const ielts = 'A Test Report Form more than 2 years old should only be accepted if evidence is provided\nDate 23/04/2016\nDate of Birth 11/06/1987';
    expect(findStatedValidity(ielts)?.until).toBe('2018-04-23');
    expect(findStatedValidity('Test date: 2 May 2019. Scores are valid for two years after the test date.')?.until).toBe('2021-05-02');
  });

  it('finds no term where none is stated', () => {
    expect(findStatedValidity('DELF B2 Diplôme approfondi de langue française, délivré le 3 juin 2006')).toBeUndefined();
    expect(findStatedValidity('This confirmation is generated electronically and is valid without signature. 1 May 2020')).toBeUndefined();
    expect(findStatedValidity('Valid for two years')).toBeUndefined();
    expect(findStatedValidity('')).toBeUndefined();
  });
});
