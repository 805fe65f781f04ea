import { findDates, findPartialDates, parseDate, parsePeriod, toIsoDate } from '../../../core/facts/dates';

describe('findDates', () => {
  it.each([
    ['14 juin 2019', '2019-06-14'],
    ['14.06.2019', '2019-06-14'],
    ['14/06/2019', '2019-06-14'],
    ['14-06-2019', '2019-06-14'],
    ['2019-06-14', '2019-06-14'],
    ['2019. 06. 14.', '2019-06-14'],
    ['2019/06/14', '2019-06-14'],
    ['2019/06/14', '2019-06-14'],
    ['June 14th, 2019', '2019-06-14'],
    ['June 14 2019', '2019-06-14'],
    ['14th June 2019', '2019-06-14'],
    ['14th of June, 2019', '2019-06-14'],
    ['14 June 2019', '2019-06-14'],
    ['Jun 14, 2019', '2019-06-14'],
    ['Jun. 14, 2019', '2019-06-14'],
    ['14. Juni 2019', '2019-06-14'],
    ['14 giugno 2019', '2019-06-14'],
    ['14 de junio de 2019', '2019-06-14'],
    ['14 de junio del 2019', '2019-06-14'],
    ['14 de junho de 2019', '2019-06-14'],
    ['3 de Março de 2020', '2020-03-03'],
    ['14 juni 2019', '2019-06-14'],
    ['14 czerwca 2019 r.', '2019-06-14'],
    ['14 czerwiec 2019', '2019-06-14'],
    ['14 iunie 2019', '2019-06-14'],
    ['14 Ιουνίου 2019', '2019-06-14'],
    ['14 ΙΟΥΝΙΟΥ 2019', '2019-06-14'],
    ['14ης Ιουνίου 2019', '2019-06-14'],
    ['1er mars 2018', '2018-03-01'],
    ['14 févr. 2020', '2020-02-14'],
    ['1 Jänner 2020', '2020-01-01'],
    ['14.6.19', '2019-06-14'],
    ['14/06/19', '2019-06-14'],
    ['14. 06. 2019', '2019-06-14'],
    ['14.VI.2019', '2019-06-14'],
    ['14-JUN-2019', '2019-06-14'],
    ['30 APR /AVR 2029', '2029-04-30'],
    ['2019. június 14.', '2019-06-14'],
    ['14 června 2019', '2019-06-14'],
    ['12 Haziran 2019', '2019-06-12'],
    ['5 mei 2021', '2021-05-05'],
    ['7 listopada 2020', '2020-11-07'],
    ['7 кастрычніка 2020 / 7 октября 2020', '2020-10-07'],
  ])('reads %s', (text, iso) => {
    expect(findDates(text).map((d) => d.iso)).toEqual([iso]);
  });

  it('reads a second number > 12 as a US month-first date', () => {
    expect(findDates('06/14/2019')[0].iso).toBe('2019-06-14');
  });

  it('keeps day-first when both numbers could be a month', () => {
    expect(findDates('05/06/2019')[0].iso).toBe('2019-06-05');
  });

  it('maps two-digit years 00-69 to 20xx and 70-99 to 19xx', () => {
    expect(findDates('01.02.69 and 01.02.70').map((d) => d.iso)).toEqual(['2069-02-01', '1970-02-01']);
  });

  it.each(['31.02.2019', '29.02.2019', '32/01/2020', '14/13/2019', '2019-13-01', '2019.0614', '2019-06/14'])('skips the impossible date %s', (text) => {
    expect(findDates(text)).toEqual([]);
  });

  it('accepts 29 February in a leap year', () => {
    expect(findDates('29.02.2020')[0].iso).toBe('2020-02-29');
  });

  it('does not read DOIs, version numbers, year ranges or hyphenated short years as dates', () => {
    expect(findDates('doi:10.1016/j.ejrad.2019.06.014; 2012-2019; 12-06-19; v1.2.3; 10 out of 2019')).toEqual([]);
  });

  it('does not read "12 i 2019" (Polish "and") as a Roman-numeral month', () => {
    expect(findDates('w latach 12 i 2019')).toEqual([]);
  });

  it('reports index and raw text in the original string, accents included', () => {
    const text = 'Délivré à Paris, le 2 février 2021.';
    const [d] = findDates(text);
    expect(d).toEqual({ iso: '2021-02-02', index: text.indexOf('2 février'), raw: '2 février 2021' });
  });

  it('finds every date of a period, in order', () => {
    expect(findDates('Membership period: 01/01/2021-31/12/2021').map((d) => d.iso)).toEqual(['2021-01-01', '2021-12-31']);
  });

  it('reads PubMed-style year-first dates', () => {
    expect(findDates('Radiology. 2019 Mar 12;290(3):1-9')[0].iso).toBe('2019-03-12');
  });

  it('returns nothing for empty text', () => {
    expect(findDates('')).toEqual([]);
  });
});

describe('parseDate', () => {
  it('reads a CV field value', () => {
    expect(parseDate(' 14/06/2019 ')).toBe('2019-06-14');
    expect(parseDate('14 June 2019 (Italy)')).toBe('2019-06-14');
  });

  it('returns undefined for a month and year only (the day would be a guess)', () => {
    expect(parseDate('June 2019')).toBeUndefined();
    expect(parseDate('06/2019')).toBeUndefined();
    expect(parseDate('')).toBeUndefined();
  });
});

describe('toIsoDate', () => {
  it('validates the calendar', () => {
    expect(toIsoDate(2019, 6, 14)).toBe('2019-06-14');
    expect(toIsoDate(1900, 2, 29)).toBeUndefined();
    expect(toIsoDate(2000, 2, 29)).toBe('2000-02-29');
    expect(toIsoDate(2019, 4, 31)).toBeUndefined();
  });
});

describe('findPartialDates', () => {
  const MARCH_2016 = { from: '2016-03-01', to: '2016-03-31', precision: 'month' };
  it.each([
    ['en', 'March 2016'],
    ['en abbreviated', 'Mar. 2016'],
    ['fr', 'mars 2016'],
    ['de', 'März 2016'],
    ['de upper case', 'MÄRZ 2016'],
    ['it', 'marzo 2016'],
    ['es', 'marzo de 2016'],
    ['pt', 'março de 2016'],
    ['nl', 'maart 2016'],
    ['nl abbreviated', 'mrt 2016'],
    ['pl nominative', 'marzec 2016'],
    ['pl genitive', 'marca 2016 r.'],
    ['pl locative', 'w marcu 2016 r.'],
    ['numeric slash', '03/2016'],
    ['numeric dot', '3.2016'],
    ['numeric hyphen', '03-2016'],
    ['ISO year-month', '2016-03'],
  ])('reads a month and year (%s) as the whole month', (_, text) => {
    expect(findPartialDates(`Certified: ${text}`)).toEqual([expect.objectContaining(MARCH_2016)]);
  });

  it('reads the last day of the month right, leap years included', () => {
    expect(findPartialDates('February 2016')[0]).toMatchObject({ from: '2016-02-01', to: '2016-02-29' });
    expect(findPartialDates('02/2019')[0]).toMatchObject({ from: '2019-02-01', to: '2019-02-28' });
  });

  it('reads a year alone as the whole year, with its index and wording', () => {
    const text = 'Specialist since 2016.';
    expect(findPartialDates(text)).toEqual([
      { from: '2016-01-01', to: '2016-12-31', precision: 'year', index: text.indexOf('2016'), raw: '2016' },
    ]);
  });

  it.each([
    ['a full date', '14.03.2016'],
    ['a full date with spaces', '14. 03. 2016'],
    ['a full date in words', '14 March 2016'],
    ['an ISO date', '2016-03-14'],
    ['a law number', 'Ley 183/2016'],
    ['a directive', 'Directive 2005/36/EC'],
    ['an academic year', '2011-12'],
    ['a glued year range', '2011-2016'],
    ['a number with a year', 'No. 123-2016'],
    ['a month that is none', '13/2016'],
    ['a word with digits', 'ABC2016'],
  ])('reads nothing from %s', (_, text) => {
    expect(findPartialDates(text)).toEqual([]);
  });

  it('leaves the dates of a period to the caller, one by one', () => {
    expect(findPartialDates('from 10/2011 to 09/2016').map((p) => p.raw)).toEqual(['10/2011', '09/2016']);
  });

  it('returns nothing for empty text', () => {
    expect(findPartialDates('')).toEqual([]);
  });
});

describe('parsePeriod', () => {
  it('reads a CV field that gives a month and year or a year', () => {
    expect(parsePeriod('March 2016')).toEqual({ from: '2016-03-01', to: '2016-03-31', precision: 'month' });
    expect(parsePeriod(' 06/2019 (Italy)')).toEqual({ from: '2019-06-01', to: '2019-06-30', precision: 'month' });
    expect(parsePeriod('2016')).toEqual({ from: '2016-01-01', to: '2016-12-31', precision: 'year' });
  });

  it('spans from the first to the last of several partial dates', () => {
    expect(parsePeriod('2016 / 2017')).toEqual({ from: '2016-01-01', to: '2017-12-31', precision: 'year' });
  });

  it('leaves a full date to parseDate, and nothing to nothing', () => {
    expect(parsePeriod('14/06/2019')).toBeUndefined();
    expect(parsePeriod('pending')).toBeUndefined();
    expect(parsePeriod('')).toBeUndefined();
  });
});
