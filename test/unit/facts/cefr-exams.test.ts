import { findLanguageLevels } from '../../../core/facts/cefr';

// Synthetic certificate texts as pdf.js gives them back: table rows on one
// line, cells on consecutive lines, or a header row above a row of values.
// Invented candidates; scores chosen so a wrong cell would give another level.

/** Compact [lang, level] pairs, in text order. */
function pairs(text: string): Array<[string, string]> {
  return findLanguageLevels(text).map((l) => [l.lang, l.level]);
}

const IELTS_HEAD = [
  'IELTS',
  'Test Report Form',
  'ACADEMIC',
  'Family Name ALVAREZ',
  'First Name(s) MARTA',
  'Candidate ID 000123',
  'Test Date 14/09/2024',
];

describe('IELTS Test Report Form (overall band: B1 4.0-5.0, B2 5.5-6.5, C1 7.0-8.0, C2 8.5-9.0)', () => {
  it('reads a header row above its row of values', () => {
    const page = [...IELTS_HEAD, 'Listening Reading Writing Speaking Overall Band Score CEFR Level', '7.5 7.0 6.5 7.0 7.0 C1'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it('reads cells on consecutive lines', () => {
    const page = [...IELTS_HEAD, 'Listening', '8.5', 'Reading', '8.0', 'Writing', '6.0', 'Speaking', '6.5',
      'Overall Band Score', '7.5', 'CEFR Level', 'C1'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it('reads all labels then all values, one a line', () => {
    const page = [...IELTS_HEAD, 'Listening', 'Reading', 'Writing', 'Speaking', 'Overall Band Score', '8.5', '8.0', '6.0', '6.5', '7.5'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it('reads a row with labels and values on one line', () => {
    const page = [...IELTS_HEAD, 'Listening 6.0 Reading 6.5 Writing 5.5 Speaking 6.0 Overall Band Score 6.0 CEFR Level B2'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'B2']]);
  });

  it('takes the overall band, not the first band under the header (part score is not the level)', () => {
    const page = [...IELTS_HEAD, 'Listening Reading Writing Speaking Overall Band Score', '8.5 8.0 6.0 6.5 7.0'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it('reads a header row opened by a caption', () => {
    const page = [...IELTS_HEAD, 'Test Results Listening Reading Writing Speaking Overall Band Score', '8.5 8.0 6.0 6.5 7.0'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it('never takes the first band under a header it cannot read as the overall band', () => {
    const page = [...IELTS_HEAD, 'Candidate results (bands): Listening Reading Writing Speaking Overall Band Score', '8.5 8.0 6.0 6.5 7.0'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
    const withLevel = [...IELTS_HEAD, 'Candidate results (bands): Listening Reading Writing Speaking Overall Band Score', '8.5 8.0 6.0 6.5 7.0 *'];
    expect(pairs(withLevel.join('\n'))).not.toContainEqual(['en', 'C2']);
  });

  it("lets the report's 'CEFR Level C1' win over a mapping of its band", () => {
    expect(pairs([...IELTS_HEAD, 'Overall Band Score 6.5', 'CEFR Level C1'].join('\n'))).toEqual([['en', 'C1']]);
    expect(pairs([...IELTS_HEAD, 'Overall Band Score', '7.0', 'CEFR Level', 'B2'].join('\n'))).toEqual([['en', 'B2']]);
  });

  it('reads no level where the report shows no result (a level nowhere on the page gives nothing)', () => {
    expect(pairs([...IELTS_HEAD, 'Listening Reading Writing Speaking Overall Band Score CEFR Level'].join('\n'))).toEqual([]);
    expect(pairs([...IELTS_HEAD, 'Listening 8.5', 'Reading 8.0'].join('\n'))).toEqual([]);
  });

  it('gives the CEFR column to English, not to the candidate\'s first language', () => {
    const page = [...IELTS_HEAD, 'First Language SPANISH', 'Listening Reading Writing Speaking Overall Band Score CEFR Level', '7.5 7.0 6.5 7.0 7.0 C1'];
    // "First Language" is a mother-tongue phrase (C2, dropped for certificates by extractFacts).
    const levels = findLanguageLevels(page.join('\n')).filter((l) => l.via !== 'native');
    expect(levels.map((l) => [l.lang, l.level])).toEqual([['en', 'C1']]);
  });
});

describe('reports whose exam name is a logo (not in the text)', () => {
  it('reads an IELTS Test Report Form by its "Overall Band Score"', () => {
    const page = ['Test Report Form', 'Family Name ALVAREZ', 'Listening', '8.5', 'Reading', '8.0', 'Writing', '6.0', 'Speaking', '6.5',
      'Overall Band Score', '6.5'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'B2']]);
  });

  it('reads a header row whose narrow cells wrapped ("Overall Band" / "Score" / "CEFR Level") from its overall column', () => {
    const page = ['IELTS™ Test Report Form', 'ACADEMIC', 'Centre Number XX123', 'Test Date 08/02/2020', 'Family Name EXAMPLE', 'Date of Birth 11/02/1989',
      'First Language German', 'Listening Reading Writing Speaking Overall Band', 'Score', 'CEFR Level', '7.5 7.0 7.5 8.0 7.5 C1', 'Test Report Form Number 0000XX000000X001A.'];
    expect(pairs(page.join('\n'))).toEqual([['de', 'C2'], ['en', 'C1']]);
  });

  it('reads a TOEFL iBT Test Taker Score Report by its sections and total', () => {
    const page = 'Test Taker Score Report\nName: Berg, Jonas\nReading Listening Speaking Writing Total Score\n28 27 24 26 105';
    expect(pairs(page)).toEqual([['en', 'C1']]);
  });
});

describe('TOEFL iBT score report (ETS total: B1 42, B2 72, C1 95, C2 114)', () => {
  const head = ['TOEFL iBT® Test Taker Score Report', 'Test Date: 03 May 2024', 'Name: Jonas Berg'];

  it('reads a header row above its row of values', () => {
    expect(pairs([...head, 'Reading Listening Speaking Writing Total Score', '28 27 24 26 105'].join('\n'))).toEqual([['en', 'C1']]);
  });

  it('reads cells on consecutive lines', () => {
    const page = [...head, 'Reading', '29', 'Listening', '28', 'Speaking', '27', 'Writing', '30', 'Total', '114'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C2']]);
  });

  it('reads scores printed with their ranges', () => {
    const page = [...head, 'Reading (0-30) Listening (0-30) Speaking (0-30) Writing (0-30) Total Score (0-120)', '25/30 24/30 22/30 21/30 92/120'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'B2']]);
  });

  it('takes the total, not the best section', () => {
    expect(pairs([...head, 'Reading 30', 'Listening 29', 'Speaking 18', 'Writing 17', 'Total Score 94'].join('\n'))).toEqual([['en', 'B2']]);
  });

  it('reads no level from section scores without a total', () => {
    expect(pairs([...head, 'Reading Listening Speaking Writing', '28 27 24 26'].join('\n'))).toEqual([]);
  });
});

describe('TOEIC, PTE Academic and Cambridge English Scale tables', () => {
  it('reads the TOEIC Listening & Reading total from its table', () => {
    expect(pairs('TOEIC® Listening and Reading Test\nListening Reading Total\n450 420 870')).toEqual([['en', 'B2']]);
  });

  it('reads the PTE Academic overall score above the skill scores', () => {
    expect(pairs('PTE Academic Score Report\nOverall Score\n72\nListening Reading Speaking Writing\n80 70 65 88')).toEqual([['en', 'B2']]);
  });

  it('reads a Cambridge results table with its CEFR column', () => {
    const page = 'Cambridge English: C1 Advanced\nStatement of Results\nReading Use of English Writing Listening Speaking Overall Score CEFR Level\n185 178 180 190 182 183 C1';
    expect(pairs(page)).toEqual([['en', 'C1']]);
  });

  it('reads the Cambridge English Scale overall score, not a skill score, in cells on consecutive lines', () => {
    const page = 'B2 First\nCambridge English Scale\nReading\n205\nUse of English\n176\nWriting\n170\nListening\n168\nSpeaking\n171\nOverall score\n178';
    expect(pairs(page)).toEqual([['en', 'B2']]);
  });
});

describe('Duolingo English Test (overall score 10-160: B2 from 100, C1 from 135, C2 at 160)', () => {
  it.each([
    ['140Overall score (range 10–160)', [['en', 'C1']]],
    ['Overall score: 115', [['en', 'B2']]],
    ['160 Overall score', [['en', 'C2']]],
    ['Overall score 130', [['en', 'B2']]],
    ['Overall score 95', []],
  ])('reads %s', (line, expected) => {
    expect(pairs(`Duolingo English Test\nCertified results\n${line}\nLiteracy 145 Comprehension 140 Conversation 130 Production 125`)).toEqual(expected);
  });
});

describe('DELF and DALF: the diploma names its level', () => {
  it('reads a DELF results grid as the diploma level', () => {
    const page = [
      "DIPLÔME D'ÉTUDES EN LANGUE FRANÇAISE",
      'DELF B2',
      "Compréhension de l'oral Compréhension des écrits Production écrite Production orale Note totale",
      '20/25 18,5/25 15/25 19/25 72,5/100',
    ];
    expect(pairs(page.join('\n'))).toEqual([['fr', 'B2']]);
  });

  it('reads a DALF results grid in cells on consecutive lines', () => {
    const page = ['Diplôme approfondi de langue française', 'DALF C1', "Compréhension de l'oral", '18/25', 'Compréhension des écrits',
      '17/25', 'Production écrite', '16/25', 'Production orale', '17/25', 'Note totale', '68/100'];
    expect(pairs(page.join('\n'))).toEqual([['fr', 'C1']]);
  });
});

describe('TCF (France Éducation international: A1 100 ... C2 600-699; niveau 1-6 = A1-C2)', () => {
  it('reads the overall level, not the per-test levels, of a table with a score and a level per test', () => {
    const page = [
      'Test de connaissance du français',
      'TCF tout public',
      'Compréhension orale Maîtrise des structures de la langue Compréhension écrite',
      '512 C1 480 B2 455 B2',
      'Niveau global',
      'B2',
    ];
    expect(pairs(page.join('\n'))).toEqual([['fr', 'B2']]);
  });

  it('maps an overall score', () => {
    expect(pairs('TCF\nAttestation de résultats\nScore global : 452 / 699')).toEqual([['fr', 'B2']]);
    expect(pairs('TCF\nCompréhension orale Compréhension écrite Score global\n610 480 505')).toEqual([['fr', 'C1']]);
  });

  it('reads "niveau 1-6" as the overall level', () => {
    expect(pairs('TCF\nCompréhension orale : niveau 5\nCompréhension écrite : niveau 4\nNiveau global : 4')).toEqual([['fr', 'B2']]);
  });

  it('reads no level from a single test score', () => {
    expect(pairs('TCF\nCompréhension orale 512')).toEqual([]);
  });

  it('reads an attestation with only the compulsory tests scored as the lowest of their levels', () => {
    const page = [
      'ATTESTATION DE RÉSULTATS',
      'TCF - Test de connaissance du français (TCF tout public)',
      'Date de passation : 30/09/2020',
      'Épreuves obligatoires',
      'Compréhension orale : 421 / 699',
      'Maîtrise des structures de la langue : 455 / 699',
      'Compréhension écrite : 533 / 699',
    ];
    expect(pairs(page.join('\n'))).toEqual([['fr', 'B2']]);
    // Scores across B2 leave the overall result open: a person reads it.
    expect(pairs(page.join('\n').replace('421', '388'))).toEqual([]);
    // A level the attestation prints is its result, whatever the scores would say.
    expect(pairs([...page, 'Niveau global : 3 (B1)'].join('\n'))).toEqual([['fr', 'B1']]);
    // All below B2: below B2 whatever the overall, read as the highest.
    expect(pairs(page.join('\n').replace('421', '288').replace('455', '355').replace('533', '301'))).toEqual([['fr', 'B1']]);
  });
});

describe('TEF (CCI Paris Île-de-France)', () => {
  it('maps a total on the 900-point scale (A1 69, A2 204, B1 361, B2 541, C1 699, C2 834)', () => {
    expect(pairs("TEF\nTest d'évaluation de français\nScore total : 745/900")).toEqual([['fr', 'C1']]);
    expect(pairs('TEF\nCompréhension orale Compréhension écrite Lexique et structure Total\n250/360 210/300 150/240 610/900')).toEqual([['fr', 'B2']]);
  });

  it('reads the TEF level scale "niveau 1-6"', () => {
    expect(pairs('TEF Canada\nNiveau 5')).toEqual([['fr', 'C1']]);
  });

  it('reads no level from a score on the 0-699 scale or from "<A1"', () => {
    expect(pairs('TEF Canada\nCompréhension écrite 420')).toEqual([]);
    expect(pairs('TEF Canada\nExpression orale <A1')).toEqual([]);
  });
});

describe('Goethe-Zertifikat: the certificate names its level, Punkte do not', () => {
  it('reads the level name above a table of points', () => {
    const page = 'GOETHE-ZERTIFIKAT C1\nLesen Hören Schreiben Sprechen Gesamtergebnis\n25 24 20 21 90';
    expect(pairs(page)).toEqual([['de', 'C1']]);
  });

  it('reads the level name with points on the same line', () => {
    expect(pairs('Goethe-Zertifikat B2\nGesamtergebnis: 85 Punkte\nPrädikat: gut')).toEqual([['de', 'B2']]);
  });
});

describe('CILS (UNO-QUATTRO = B1-C2) and CELI (1-5 = A2-C2)', () => {
  it.each([
    ['Università per Stranieri di Siena\nCertificazione CILS\nLivello: TRE', 'C1'],
    ['CILS\nLivello DUE - B2', 'B2'],
    ['Università per Stranieri di Perugia\nCELI\nLivello 5', 'C2'],
    ['CELI 4 - Livello C1', 'C1'],
  ])('reads "%s" as %s', (text, level) => {
    expect(pairs(text)).toEqual([['it', level]]);
  });
});

describe('score tables elsewhere', () => {
  it('reads no score where no exam is named', () => {
    expect(pairs('English language course\nListening Reading Writing Speaking Overall\n8.5 8.0 6.0 6.5 7.0')).toEqual([]);
  });

  it('reads no score when the page names two exams with their own scales', () => {
    expect(pairs('IELTS or TOEFL iBT accepted\nOverall\n95')).toEqual([]);
  });
});

describe('hostile input', () => {
  it.each([
    ['labels', 'Listening Reading Writing Speaking Overall Band Score CEFR Level '.repeat(3000)],
    ['values', 'IELTS\n' + '7.5 '.repeat(30000)],
    ['label and value lines', 'IELTS TCF\n' + 'Overall Band Score\n7.0\nCEFR Level\nC1\n'.repeat(3000)],
    ['level codes', 'TOEFL iBT ' + 'C1 B2 '.repeat(20000)],
    ['ranges', 'TOEFL ' + 'Reading (0-30) '.repeat(10000)],
  ])('reads a page of repeated %s without failing (its time is in npm run bench:text)', (_, text) => {
    expect(Array.isArray(findLanguageLevels(text))).toBe(true);
  });
});

describe('a span of the whole scale is no result', () => {
  it.each([
    ['French', 'TCF\nNiveau global : 4 (B2). Les niveaux du TCF vont de 1 à 6 et correspondent aux niveaux A1 à C2 du CECRL.', 'B2'],
    ['English', 'English language certificate\nThe test reports levels from A1 to C2.\nResult: CEFR level B2', 'B2'],
  ])('%s: the level, not the end of the scale', (_, text, level) => {
    expect(findLanguageLevels(text).map((l) => l.level)).toEqual([level]);
  });
});

describe('levels as OCR reads them in small print', () => {
  it('takes "Bl" after an exam that names its level for B1 (a phone photo of a DELF attestation)', () => {
    expect(pairs("DIPLOME D'ETUDES EN LANGUE FRANCAISE\nDELF Bl\nAttestation de réussite")).toEqual([['fr', 'B1']]);
  });

  it('reads an IELTS Test Report Form whose "IELTS" OCR lost as English, by its "Overall band score"', () => {
    expect(pairs('Test Report Form - ACADEMIC\nListening 8.0\nReading 7.5\nOverall band score\nCEFR level cl')).toEqual([['en', 'C1']]);
  });

  it('takes "Cl" after a level word for C1, and leaves a Spanish "al" after "nivel" alone', () => {
    expect(pairs('Certificate of English\nCEFR Level: Cl (Advanced)')).toEqual([['en', 'C1']]);
    expect(pairs('Inglés: nivel B2, correspondiente al MCER')).toEqual([['en', 'B2']]);
  });
});

describe('results read by OCR', () => {
  it('reads a row of bands whose ends carry OCR specks and whose CEFR cell was lost', () => {
    const page = [...IELTS_HEAD, 'Test Results', 'Listening Reading Writing Speaking all Band Score CEFR Level', '_8.0 7.5 7.0 7.5 7.5 |'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it("takes a Cambridge Statement of Results' level although it 'does not constitute a certificate'", () => {
    const page = ['Cambridge Assessment English', 'Statement of Results', 'Examination: C1 Advanced', 'Overall score 188',
      'Council of Europe Level: C1', 'This Statement of Results does not constitute a certificate.'];
    expect(new Set(pairs(page.join('\n')).map((p) => p.join(' ')))).toEqual(new Set(['en C1']));
    // A course's attestation that says it certifies nothing still gives no level.
    expect(pairs('Alliance Française\nAttestation de suivi de cours de français, niveau B2.1\nLa présente attestation ne vaut pas diplôme.')).toEqual([]);
  });
});

describe('results read by OCR, lower-case level cell', () => {
  it('reads the overall band of a row that OCR ended with a lower-case level', () => {
    const page = [...IELTS_HEAD, 'Test Results', 'Listening Reading Writing Speaking Band Score', '9.0 . 8.5 8.0 8.5 8.5 c2'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C2']]);
  });
});

describe('results whose wording or print the exam body varies', () => {
  it('reads a band whose point OCR lost ("65" for 6.5) in a row of bands', () => {
    const page = [...IELTS_HEAD, 'Test Results', 'Vetting Speaking CEFR Level', '7.5 7.0 65 7.0 70 cl'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it('reads an "Overall Band Score" whose point OCR lost ("75" for 7.5), beside a level OCR garbled ("ET" for C1)', () => {
    const page = ['IELTS - Test Report Form', 'Academic', 'Candidate Example', 'Test date 14/11/2020', 'Overall Band Score 75', 'CEFR Level ET'];
    expect(pairs(page.join('\n'))).toEqual([['en', 'C1']]);
  });

  it.each([
    ['Score global aux épreuves obligatoires : 452 / 699', 'B2'],
    ['Score global aux épreuves obligatoires : 388 / 699', 'B1'],
  ])('reads the TCF "%s"', (line, level) => {
    const page = ['France Éducation international', 'TCF – Test de connaissance du français', 'TCF tout public – Attestation de résultats',
      'Compréhension orale : 468 / 699', line];
    expect(pairs(page.join('\n'))).toEqual([['fr', level]]);
  });
});

describe('an IELTS report whose exam name carries a trade mark, beside a DELF in the same section', () => {
  it('reads the row of bands of "IELTS™" although the next certificate prints "DELF B2"', () => {
    const page = ['IELTS™ Test Report Form', 'ACADEMIC', '[Listening [Speaking Overall Band [cera', '7.5 7.0 7.5 8.0 7.5 cl', 'Test Report Form Number 2086',
      '', 'Diplôme d’études en langue française', 'DELF B2', 'a obtenu le DELF B2 du Cadre européen commun de référence pour les langues'];
    expect(pairs(page.join('\n'))).toEqual(expect.arrayContaining([['en', 'C1'], ['fr', 'B2']]));
  });
});

describe('two certificates on one sheet', () => {
  it("gives an IELTS table's level to English when a DELF diploma follows it on the page", () => {
    const page = [
      'IELTS',
      'Test Report Form - ACADEMIC',
      'Family Name TEST',
      'Date of Birth 25/06/1987',
      'Candidate Number 0000000',
      'Test Date | 15/FEB/2020',
      'Listening Reading Writing Overall Band Level',
      '75 75 75 7.5 C1',
      'Centre: British Council Test Report Form Number: 00GB0000000',
      'REPUBLIQUE FRANCAISE',
      "DIPLÔME D'ÉTUDES EN LANGUE FRANÇAISE",
      'DELF B2',
      "Niveau B2 du Cadre européen commun de référence pour les langues (CECRL) du Conseil de l'Europe.",
    ];
    expect(new Set(pairs(page.join('\n')).map(([l, v]) => `${l} ${v}`))).toEqual(new Set(['en C1', 'fr B2']));
  });
});
