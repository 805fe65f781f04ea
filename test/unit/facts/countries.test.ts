import { findCountries, findCountryInText, mapIcaoCode, toCountryCode } from '../../../core/facts/countries';

describe('toCountryCode', () => {
  it.each([
    ['Italy', 'IT'], ['Italia', 'IT'], ['Italie', 'IT'], ['Italien', 'IT'], ['Włochy', 'IT'], ['ITALIA', 'IT'],
    ['Deutschland', 'DE'], ['Allemagne', 'DE'], ['Germany', 'DE'], ['Niemcy', 'DE'], ['Γερμανία', 'DE'],
    ['España', 'ES'], ['Espana', 'ES'], ['Spain', 'ES'], ['Nederland', 'NL'], ['The Netherlands', 'NL'],
    ['Pays-Bas', 'NL'], ['Holland', 'NL'], ['Polska', 'PL'], ['Ελλάδα', 'GR'], ['Hellenic Republic', 'GR'],
    ['România', 'RO'], ['Romania', 'RO'], ['France', 'FR'], ['Frankreich', 'FR'], ['Portugal', 'PT'],
    ['Österreich', 'AT'], ['Schweiz', 'CH'], ['Suisse', 'CH'], ['Svizzera', 'CH'], ['Belgique', 'BE'],
    ['België', 'BE'], ['Česká republika', 'CZ'], ['Czechia', 'CZ'], ['Magyarország', 'HU'], ['Hrvatska', 'HR'],
    ['Srbija', 'RS'], ['Bosnia and Herzegovina', 'BA'], ['North Macedonia', 'MK'], ['Kosovo', 'XK'],
    ['Türkiye', 'TR'], ['Turkey', 'TR'], ['Україна', 'UA'], ['Ukraine', 'UA'], ['Israel', 'IL'],
    ['United Kingdom', 'GB'], ['Northern Ireland', 'GB'], ['England', 'GB'], ['Ireland', 'IE'], ['Éire', 'IE'],
    ['Sverige', 'SE'], ['Norge', 'NO'], ['Danmark', 'DK'], ['Suomi', 'FI'], ['Ísland', 'IS'], ['Island', 'IS'],
    ['Lietuva', 'LT'], ['Latvija', 'LV'], ['Eesti', 'EE'], ['Slovensko', 'SK'], ['Slovenija', 'SI'],
    ['Κύπρος', 'CY'], ['Malta', 'MT'], ['Luxembourg', 'LU'], ['Moldova', 'MD'], ['Georgia', 'GE'],
    ['USA', 'US'], ['United States of America', 'US'], ['Canada', 'CA'], ['Brasil', 'BR'], ['India', 'IN'],
    ['China', 'CN'], ['Japan', 'JP'], ['Egypt', 'EG'], ['Égypte', 'EG'], ['Maroc', 'MA'],
  ])('maps the name %s to %s', (name, code) => {
    expect(toCountryCode(name)).toBe(code);
  });

  it.each([
    ['IT', 'IT'], ['it', 'IT'], ['DE', 'DE'], ['UK', 'GB'], ['EL', 'GR'], ['ITA', 'IT'], ['DEU', 'DE'],
    ['GBR', 'GB'], ['FRA', 'FR'], ['CHE', 'CH'],
  ])('maps the code %s to %s', (code, expected) => {
    expect(toCountryCode(code)).toBe(expected);
  });

  it('reads a longer value naming one country', () => {
    expect(toCountryCode('Rome, Italy')).toBe('IT');
    expect(toCountryCode('Italia (IT)')).toBe('IT');
    expect(toCountryCode('Milano - Italia / Italy')).toBe('IT');
  });

  it("reads France's overseas departments and collectivities as France (Constitution, art. 72-3), Monaco as itself", () => {
    for (const value of ['Guadeloupe (971)', 'La Réunion', 'Martinique', 'Guyane française', 'Mayotte', 'Polynésie française', 'Nouvelle-Calédonie']) {
      expect(toCountryCode(value)).toBe('FR');
    }
    expect(toCountryCode('Principauté de Monaco')).toBe('MC');
  });

  it('knows every inhabited country of ISO 3166-1, in English and French (a residence in Oman is not unverified)', () => {
    expect(toCountryCode('Oman')).toBe('OM');
    expect(toCountryCode('Muscat, Sultanate of Oman')).toBe('OM');
    expect(toCountryCode('Bahreïn')).toBe('BH');
    expect(toCountryCode('Mongolia')).toBe('MN');
    expect(toCountryCode("Côte d'Ivoire")).toBe('CI');
    // A word or first name as well: the whole value only, never in running text.
    expect(toCountryCode('Mali')).toBe('ML');
    expect(findCountries('12 rue Maurice Ravel, 69003 Lyon, France').map((c) => c.code)).toEqual(['FR']);
    expect(findCountries('Hospital São Rafael, Salvador, Bahia, Brazil').map((c) => c.code)).toEqual(['BR']);
  });

  it('returns undefined for unknown, empty or ambiguous values', () => {
    expect(toCountryCode('Atlantis')).toBeUndefined();
    expect(toCountryCode('')).toBeUndefined();
    expect(toCountryCode('Italy / Germany')).toBeUndefined();
    expect(toCountryCode('XQ')).toBeUndefined();
    expect(toCountryCode('Milano')).toBeUndefined();
  });
});

describe('mapIcaoCode', () => {
  it('maps MRZ nationality codes, including Germany\'s "D<<"', () => {
    expect(mapIcaoCode('ITA')).toBe('IT');
    expect(mapIcaoCode('D<<')).toBe('DE');
    expect(mapIcaoCode('XXA')).toBeUndefined();
  });
});

describe('findCountryInText', () => {
  it('returns the first country with its index and wording', () => {
    const text = 'Department of Radiology, Ospedale San Carlo, 20100 Milano, Italia. Visiting fellow in Deutschland.';
    expect(findCountryInText(text)).toEqual({ code: 'IT', index: text.indexOf('Italia'), raw: 'Italia' });
  });

  it('prefers the longest name at a position ("Northern Ireland" is GB)', () => {
    expect(findCountryInText('Belfast, Northern Ireland')?.code).toBe('GB');
  });

  it('does not match inside longer words or demonyms', () => {
    expect(findCountryInText('Italian Society of Radiology; Germanic languages; Francesca')).toBeUndefined();
  });

  it('ignores names that are also common words or first names in running text', () => {
    expect(findCountryInText('Dr Jordan Smith, a volcanic island near Monaco di Baviera, Georgia')).toBeUndefined();
  });

  it('accepts "UK" and "USA" only in capitals', () => {
    expect(findCountries('Let us go to the UK and the USA').map((c) => c.code)).toEqual(['GB', 'US']);
    expect(findCountries('Usa uk')).toEqual([]);
  });

  it('reads names with accents and in Greek script', () => {
    expect(findCountries('Αθήνα, Ελλάδα — studied in România and España').map((c) => c.code)).toEqual(['GR', 'RO', 'ES']);
  });
});
