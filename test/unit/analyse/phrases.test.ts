import { compilePhrases, distinctMatches, foldText } from '../../../core/normalize';

describe('compilePhrases', () => {
  it('matches whole words in spaced scripts, and nothing inside a longer word', () => {
    const re = compilePhrases(['board certificate', 'специалист']);
    expect(distinctMatches(re, foldText('Board\nCertificate of Anna'))).toEqual(['board certificate']);
    expect(distinctMatches(re, foldText('keyboard certificates'))).toEqual([]);
    expect(distinctMatches(re, foldText('врач-специалист'))).toEqual(['специалист']);
    expect(distinctMatches(re, foldText('специалиста'))).toEqual([]);
  });

  it('finds a Japanese, Chinese, Korean or Thai title inside the run of characters it is written in', () => {
    const re = compilePhrases(['専門医', '住院医师规范化培训合格证书', '전문의', 'วุฒิบัตร', 'board certificate']);
    expect(distinctMatches(re, foldText('日本医学放射線学会 放射線科専門医認定証'))).toEqual(['専門医']);
    expect(distinctMatches(re, foldText('证书：住院医师规范化培训合格证书（放射科）'))).toEqual(['住院医师规范化培训合格证书']);
    expect(distinctMatches(re, foldText('영상의학과전문의자격증'))).toEqual([foldText('전문의')]) // folding decomposes Hangul syllables; page and phrase alike;
    expect(distinctMatches(re, foldText('หนังสือวุฒิบัตรแสดงความรู้ความชำนาญ'))).toEqual([foldText('วุฒิบัตร')]);
  });

  it('keeps the boundary on the Latin edge of a mixed phrase', () => {
    const re = compilePhrases(['md 専門医']);
    expect(distinctMatches(re, foldText('md 専門医です'))).toEqual(['md 専門医']);
    expect(distinctMatches(re, foldText('cmd 専門医'))).toEqual([]);
  });
});
