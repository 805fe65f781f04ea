import { boundPageText, MAX_LINE_CHARS, MAX_PAGE_CHARS, MAX_PAGE_LINES } from '../../../core/analyse/bound-page-text';

const page = (text: string) => ({ num: 3, text, imageOnly: false });

describe('boundPageText', () => {
  it('leaves an ordinary page as it is', () => {
    const p = page('Letter of recommendation\nI am pleased to recommend Dr. Test.');
    expect(boundPageText(p)).toBe(p);
  });

  it('cuts one 100,000-digit line (a 757-byte PDF carried one) to the line cap', () => {
    const out = boundPageText(page(`Title\n${'1'.repeat(100_000)}\nlast`));
    expect(out.text.split('\n').map((l) => l.length)).toEqual([5, MAX_LINE_CHARS, 4]);
    expect(out.num).toBe(3);
  });

  it('keeps at most the page and line-count caps', () => {
    expect(boundPageText(page('x'.repeat(900).concat('\n').repeat(100))).text.length).toBeLessThanOrEqual(MAX_PAGE_CHARS);
    expect(boundPageText(page('ab\n'.repeat(5_000))).text.split('\n')).toHaveLength(MAX_PAGE_LINES);
  });

  it('reads carriage-return-only line ends as line ends', () => {
    expect(boundPageText(page('one\rtwo\r\nthree')).text).toBe('one\ntwo\nthree');
  });
});
