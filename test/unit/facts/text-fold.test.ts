import { clipSnippet, compileWordAlternation, foldWithMap, makeSnippet, mapRange } from '../../../core/facts/text-fold';

describe('foldWithMap', () => {
  it('lower-cases, strips accents and keeps a map to the original', () => {
    const f = foldWithMap('Délivré à PARIS');
    expect(f.folded).toBe('delivre a paris');
    expect(f.map.length).toBe(f.folded.length + 1);
  });

  it('folds Greek, Polish and German letters used in month and language names', () => {
    expect(foldWithMap('Ιουνίου Włochy Straße Français').folded).toBe('ιουνιου wlochy strasse francais');
    expect(foldWithMap('ΓΑΛΛΙΚΆ γαλλικός').folded).toBe('γαλλικα γαλλικοσ');
  });

  it('maps expanded and dropped characters back to the right original range', () => {
    const text = 'Stra\u00dfe und ﬁnal so\u00adft';
    const f = foldWithMap(text);
    const at = f.folded.indexOf('final');
    const [s, e] = mapRange(f, at, at + 'final'.length);
    expect(text.slice(s, e)).toBe('ﬁnal');
    expect(f.folded).toContain('soft');
  });

  it('handles decomposed input (combining accents) and exotic spaces', () => {
    const text = 'Cafe\u0301\u00a02019';
    const f = foldWithMap(text);
    expect(f.folded).toBe('cafe 2019');
    const [s, e] = mapRange(f, 5, 9);
    expect(text.slice(s, e)).toBe('2019');
  });
});

describe('compileWordAlternation', () => {
  it('matches whole words, longest phrase first, across line breaks', () => {
    const re = compileWordAlternation(['country', 'country of residence', 'Résidence']);
    const found = [...foldWithMap('Country of\nresidence; countryside; residence').folded.matchAll(re)].map((m) => m[0]);
    expect(found).toEqual(['country of\nresidence', 'residence']);
  });
});

describe('snippets', () => {
  it('keeps snippets on one line and within 160 characters', () => {
    const long = `${'word '.repeat(60)}TARGET ${'word '.repeat(60)}`;
    const s = makeSnippet(long, long.indexOf('TARGET'), long.indexOf('TARGET') + 6);
    expect(s.length).toBeLessThanOrEqual(160);
    expect(s).toContain('TARGET');
    expect(makeSnippet('first\nsecond line\nthird', 6, 12)).toBe('second line');
    expect(clipSnippet('a\n  b')).toBe('a b');
  });
});
