import { findLanguageLevels } from '../../../core/facts/cefr';

/** Compact [lang, level] pairs, in text order. */
function pairs(text: string): Array<[string, string]> {
  return findLanguageLevels(text).map((l) => [l.lang, l.level]);
}

describe('findLanguageLevels: explicit levels', () => {
  it.each([
    ['English C1', [['en', 'C1']]],
    ['French: niveau B2', [['fr', 'B2']]],
    ['English - Level C1', [['en', 'C1']]],
    ['Englisch (GER B2)', [['en', 'B2']]],
    ['Inglese livello C1 (QCER)', [['en', 'C1']]],
    ['Francés: B2 (MCER)', [['fr', 'B2']]],
    ['Français – CECRL C1', [['fr', 'C1']]],
    ['English B2 (upper intermediate)', [['en', 'B2']]],
    ['Deutsch: C2', [['de', 'C2']]],
    ['Französischkenntnisse: B1', [['fr', 'B1']]],
    ['Niederländisch A2', [['nl', 'A2']]],
    ['Język angielski – poziom C1', [['en', 'C1']]],
    ['języka francuskiego B2', [['fr', 'B2']]],
    ['Αγγλικά C2', [['en', 'C2']]],
    ['Limba engleză: C1', [['en', 'C1']]],
    ['Inglês C1, Francês B1', [['en', 'C1'], ['fr', 'B1']]],
    ['Engels C1, Frans B2, Duits A2', [['en', 'C1'], ['fr', 'B2'], ['de', 'A2']]],
    ['Spagnolo B1', [['es', 'B1']]],
    ['Portugués C1', [['pt', 'C1']]],
    ['Russian B1; Ukrainian C2', [['ru', 'B1'], ['uk', 'C2']]],
    // A Hungarian state language exam certificate.
    ['ÁLLAMILAG ELISMERT NYELVVIZSGA-BIZONYÍTVÁNY\nNyelv: francia\nFok: középfok (B2)', [['fr', 'B2']]],
    ['English B2.2', [['en', 'B2']]],
    ['English B2+', [['en', 'B2']]],
    ['izpit iz francoskega jezika na ravni B2', [['fr', 'B2']]],
    ['Engleski jezik C1, njemački B1', [['en', 'C1'], ['de', 'B1']]],
    ['Френски език B2', [['fr', 'B2']]],
  ])('reads %s', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });

  it('does not attach a level to the wrong language on a CV line', () => {
    expect(pairs('English C1, French B2, German A2')).toEqual([
      ['en', 'C1'],
      ['fr', 'B2'],
      ['de', 'A2'],
    ]);
  });

  it('reads lines that put the level first', () => {
    expect(pairs('C1 English, B2 French')).toEqual([
      ['en', 'C1'],
      ['fr', 'B2'],
    ]);
  });

  it('reads parenthesised levels without list separators between them', () => {
    expect(pairs('English: C1 French: B2')).toEqual([
      ['en', 'C1'],
      ['fr', 'B2'],
    ]);
  });

  it('reads a range as its lower bound', () => {
    expect(pairs('English B2/C1')).toEqual([['en', 'B2']]);
    expect(pairs('Français C1-C2')).toEqual([['fr', 'C1']]);
  });

  it('reads a Europass self-assessment grid and ignores its legend', () => {
    const text = [
      'Mother tongue(s) Italian',
      'Other language(s) UNDERSTANDING SPEAKING WRITING',
      'English C1 C1 B2 B2 C1',
      'French B1 B1 A2 A2 A2',
      'Levels: A1 and A2: Basic user - B1 and B2: Independent user - C1 and C2: Proficient user',
    ].join('\n');
    expect(pairs(text)).toEqual([
      ['it', 'C2'],
      ['en', 'C1'],
      ['en', 'B2'],
      ['fr', 'B1'],
      ['fr', 'A2'],
    ]);
  });

  it('ignores a printed scale A1 A2 B1 B2 C1 C2', () => {
    expect(pairs('Scale: A1 A2 B1 B2 C1 C2\nFrench B2')).toEqual([['fr', 'B2']]);
  });

  it('takes the language from the line above when the level stands alone', () => {
    expect(pairs('ENGLISH\nC1')).toEqual([['en', 'C1']]);
  });

  it('ignores lower-case codes unless a level keyword precedes them', () => {
    expect(pairs('English: room b2')).toEqual([]);
    expect(pairs('English: level b2')).toEqual([['en', 'B2']]);
  });

  it('returns nothing without a language', () => {
    expect(pairs('Grade B2 overall.')).toEqual([]);
    expect(pairs('')).toEqual([]);
  });

  it('gives index, snippet and how the level was written', () => {
    const text = 'Languages\nEnglish C1';
    const [l] = findLanguageLevels(text);
    expect(l).toEqual({ lang: 'en', level: 'C1', index: text.indexOf('C1'), snippet: 'English C1', via: 'cefr' });
  });
});

describe('findLanguageLevels: certificates', () => {
  it('reads a DELF diploma page (French B2)', () => {
    const page = [
      'RÉPUBLIQUE FRANÇAISE',
      "Ministère de l'Éducation nationale",
      "DIPLÔME D'ÉTUDES EN LANGUE FRANÇAISE",
      'DELF B2',
      'Mme Anna ROSSI, née le 12/03/1985',
      'Session de mai 2020',
    ].join('\n');
    expect(pairs(page)).toEqual([['fr', 'B2']]);
  });

  it('reads a DALF diploma whose level sits on its own line', () => {
    expect(pairs('Diplôme approfondi de langue française\nDALF\nC1')).toEqual([['fr', 'C1']]);
  });

  it('reads a level stated far from the only language named on the page', () => {
    const page = 'Certificate of attendance\nFrench language course, 120 hours\n\nThe candidate reached\nLevel B2 of the CEFR';
    expect(pairs(page)).toEqual([['fr', 'B2']]);
  });

  it.each([
    ['IELTS Academic 7.0', 'C1'],
    ['IELTS Overall Band Score: 8.5', 'C2'],
    ['IELTS 6.5', 'B2'],
    ['IELTS General Training 5.5', 'B2'],
    ['IELTS 4.5', 'B1'],
    ['Test Report Form IELTS\nListening 7.5 Reading 8.0 Writing 6.5 Speaking 7.0\nOverall Band Score 6.5', 'B2'],
  ])('maps the IELTS result "%s" to %s', (text, level) => {
    expect(pairs(text)).toEqual([['en', level]]);
  });

  it.each([
    ['TOEFL iBT 102', 'C1'],
    ['TOEFL iBT total score: 95/120', 'C1'],
    ['TOEFL iBT 94', 'B2'],
    ['TOEFL (iBT) 72', 'B2'],
    ['TOEFL iBT: 60 points', 'B1'],
    ['TOEFL iBT® Test 110', 'C1'],
    ['TOEFL iBT® Test Taker Score Report\nReading 28 Listening 27\nTotal Score 88', 'B2'],
  ])('maps the TOEFL result "%s" to %s', (text, level) => {
    expect(pairs(text)).toEqual([['en', level]]);
  });

  it('does not read a TOEFL PBT score or a year as an iBT score', () => {
    expect(pairs('TOEFL PBT 550')).toEqual([]);
    expect(pairs('TOEFL 2018')).toEqual([]);
  });

  it.each([
    ['TOEIC Listening & Reading\nListening 450  Reading 420\nTotal score 870', 'B2'],
    ['TOEIC L&R score: 955', 'C1'],
    ['TOEIC® Listening and Reading Test - Total: 790/990', 'B2'],
    ['TOEIC 780', 'B1'],
    ['TOEIC Listening & Reading 225', 'A2'],
    ['TOEIC 550 points', 'B1'],
    ['TOEIC Listening and Reading 400', 'A2'],
    ['English: TOEIC 945', 'C1'],
  ])('maps the TOEIC Listening & Reading total "%s" to %s (ETS)', (text, level) => {
    expect(pairs(text)).toEqual([['en', level]]);
  });

  it('reads no TOEIC level from the Speaking & Writing test, a year or a page that does not name TOEIC', () => {
    expect(pairs('TOEIC Speaking and Writing Tests\nSpeaking 160 Writing 170\nTotal 330')).toEqual([]);
    expect(pairs('TOEIC 2019')).toEqual([]);
    expect(pairs('TOEIC 784')).toEqual([]); // totals go in steps of 5
    expect(pairs('Score report 2019: total 870')).toEqual([]);
  });

  it.each([
    ['PTE Academic\nOverall Score 72\nListening 70 Reading 75 Speaking 68 Writing 74', 'B2'],
    ['PTE Academic overall score: 86', 'C2'],
    ['PTE Academic 76', 'C1'],
    ['PTE Academic UKVI 59', 'B2'],
    ['Pearson Test of English Academic\nOverall Score: 58', 'B1'],
    ['PTE Academic 43', 'B1'],
  ])('maps the PTE Academic score "%s" to %s (Pearson)', (text, level) => {
    expect(pairs(text)).toEqual([['en', level]]);
  });

  it('reads no PTE Academic level where the page does not name PTE Academic', () => {
    expect(pairs('PTE General Level 3')).toEqual([]);
    expect(pairs('English test\nOverall Score 72')).toEqual([]);
  });

  it.each([
    ['Cambridge English: First (FCE)\nCambridge English Scale score 185\nGrade A', 'C1'],
    ['B2 First\nOverall score 150\nCambridge English Scale', 'B1'],
    ['B2 First\nCambridge English Scale: 172', 'B2'],
    ['C1 Advanced\nResults on the Cambridge English Scale\nReading 205 Use of English 200 Writing 190 Listening 210 Speaking 200\nOverall score 201', 'C2'],
    ['C2 Proficiency\nCambridge English Scale score: 199', 'C1'],
    ['Linguaskill\nOverall score 185\nCEFR: C1 or above', 'C1'],
    ['Linguaskill Results\nOverall 165', 'B2'],
    ['Linguaskill Results\nOverall 205', 'C1'],
  ])('maps the Cambridge English Scale result "%s" to %s; the score, not the exam name, decides', (text, level) => {
    expect(pairs(text)).toEqual([['en', level]]);
  });

  it('reads no level from the printed range of the Cambridge English Scale', () => {
    expect(pairs('Cambridge English Scale 80-230\nCertificate in Advanced English')).toEqual([['en', 'C1']]);
  });

  it.each([
    ['Cambridge English: Advanced (CAE)', 'C1'],
    ['Certificate of Proficiency in English (CPE)', 'C2'],
    ['First Certificate in English', 'B2'],
    ['Cambridge C1 Advanced', 'C1'],
  ])('maps the Cambridge exam "%s" to %s', (text, level) => {
    expect(pairs(text)).toEqual([['en', level]]);
  });

  it('reads no Cambridge exam in a code that starts with its acronym (a DELF centre number "CAE-902177446")', () => {
    expect(pairs("DELF B2\nCentre d'examen : Alliance Française de Lisboa N° CAE-902177446")).toEqual([['fr', 'B2']]);
    expect(pairs('Reference FCE/2019-0042, English: CPE_7731')).toEqual([]);
  });

  it('takes the CEFR level a Cambridge certificate states ("Council of Europe Level") over the exam and its scale', () => {
    expect(pairs('Certificate in Advanced English\nGrade A\nCouncil of Europe Level C2')).toEqual([['en', 'C2']]);
    expect(pairs('Certificate in Advanced English\nGrade A in C1 Advanced — Cambridge English Scale 201\nCouncil of Europe Level C1')).toEqual([['en', 'C1']]);
  });

  it.each([
    ['Goethe-Zertifikat B2', 'de', 'B2'],
    ['TestDaF-Zertifikat, Niveau C1', 'de', 'C1'],
    ['DELE C1 (Instituto Cervantes)', 'es', 'C1'],
    ['CELI 3 - Università per Stranieri di Perugia', 'it', 'B2'],
    ['CILS DUE', 'it', 'B2'],
    ['TCF tous publics - niveau B2', 'fr', 'B2'],
  ])('reads the exam "%s"', (text, lang, level) => {
    expect(pairs(text)).toEqual([[lang, level]]);
  });

  it('does not treat lower-case acronyms as exams ("dele" is Portuguese)', () => {
    expect(pairs('o livro dele B2')).toEqual([]);
  });

  it('does not take the state name "République française" for the language on an English certificate', () => {
    const page = 'RÉPUBLIQUE FRANÇAISE\nTest of English for International Communication\nLevel C1';
    expect(pairs(page)).toEqual([['en', 'C1']]);
  });
});

describe('findLanguageLevels: OCR of a results table', () => {
  it('mends a level cell read as "cl" in the row of figures under the header naming the level column', () => {
    const page = 'IELTS Test Report Form\nACADEMIC\n[Listening Band Level |\n— 7.5 17.5 |8.0 [7.5 cl |\nTest Report Form Number 2086';
    expect(pairs(page)).toContainEqual(['en', 'C1']);
  });

  it('mends a level read as "cl" right after its label, and only there', () => {
    const page = 'IELTS Test Report Form\nFirst Language Croatian\nListening Reading Writing Speaking Overall Band Score\n8.0 7.0 7.5 7.5\nCEFR Level cl\nAdministrator Comments';
    expect(pairs(page)).toContainEqual(['en', 'C1']);
    expect(pairs('IELTS Test Report Form\nCEFR Level clinic')).toEqual([]);
  });

  it('never takes the exam for the mother tongue when the first-language cell is misread', () => {
    const page = 'IELTS\nTest Report Form ACADEMIC\nFirst Language Greekk\nTest Results\nListening Reading Writing Speaking Overall Band Scord CEFR Level\n8.5 8.0 8.0 8.0 C1';
    expect(pairs(page)).toEqual([['en', 'C1']]);
  });

  it("takes a scanned attestation whose title OCR lost for the language its skills are named in", () => {
    const page = 'Date de Passation 19/09/2020\n| Compréhension orale\nExpression écrite\nNiveau global CI\nAttestation valable deux ans.';
    expect(pairs(page)).toEqual([['fr', 'C1']]);
  });

  it('never mends "cl" in running text under a level word', () => {
    expect(pairs('English level\nwe cl ok')).toEqual([]);
  });
});

describe('findLanguageLevels: mother tongue', () => {
  it('leaves a mother-tongue phrase that names no language alone: the next list item has its own level', () => {
    expect(pairs('Languages native language; English C1; French B2')).toEqual([['en', 'C1'], ['fr', 'B2']]);
    expect(pairs('Languages: Italian, native; English C1; French B2')).toEqual([['it', 'C2'], ['en', 'C1'], ['fr', 'B2']]);
  });

  it.each([
    ['Mother tongue: Italian', 'it'],
    ['Italian (native)', 'it'],
    ['Native speaker of Greek', 'el'],
    ['Langue maternelle : français', 'fr'],
    ['Muttersprache: Deutsch', 'de'],
    ['Madrelingua italiana', 'it'],
    ['Lengua materna: español', 'es'],
    ['Língua materna: português', 'pt'],
    ['Moedertaal: Nederlands', 'nl'],
    ['Język ojczysty: polski', 'pl'],
    ['Μητρική γλώσσα: Ελληνικά', 'el'],
    ['Limba maternă: română', 'ro'],
  ])('reads "%s" as C2', (text, lang) => {
    expect(pairs(text)).toEqual([[lang, 'C2']]);
  });

  it('reads the language on the line after a "Mother tongue" heading', () => {
    expect(pairs('Mother tongue(s)\nItalian\nOther languages\nEnglish C1')).toEqual([
      ['it', 'C2'],
      ['en', 'C1'],
    ]);
  });

  it('keeps mother tongue and other levels apart on one line', () => {
    expect(pairs('Muttersprache: Deutsch; Englisch C1; Französisch B2')).toEqual([
      ['de', 'C2'],
      ['en', 'C1'],
      ['fr', 'B2'],
    ]);
  });
});

describe('findLanguageLevels: wordings met on independent applications', () => {
  it.each([
    ['Alliance Française\nNous attestons que X a validé le niveau B 2 du CECR', [['fr', 'B2']]],
    ['Certificado de francés – nivel B-2', [['fr', 'B2']]],
    ['DELF B2 – Niveau B2 (utilisateur indépendant)', [['fr', 'B2']]],
    ['Linguaskill Business — CEFR C1', [['en', 'C1']]],
  ])('reads "%s"', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });

  it('does not read a spaced "B 2" without a level keyword', () => {
    expect(pairs('French, building B 2, room 12')).toEqual([]);
  });

  it('still ignores a printed legend of several levels', () => {
    expect(pairs('French C1\nA1/A2: basic user - B1/B2: independent user - C1/C2: proficient user')).toEqual([['fr', 'C1']]);
  });

  it('ignores a legend of score bands that wraps onto a second line, and reads the score', () => {
    const tcf = 'Test de connaissance du français – TCF tout public\nCompréhension orale            385\nCompréhension écrite            385\nScore total (épreuves obligatoires)\n385 / 699\nCorrespondance des scores: 100–199 A1 · 200–299 A2 · 300–399 B1 · 400–499 B2 ·\n500–599 C1 · 600–699 C2';
    expect(pairs(tcf)).toEqual([['fr', 'B1']]);
    // A result on the line after a legend is still a result when it does not go on with the scale.
    expect(pairs('French\nA1 A2 B1 B2 C1 C2\nLevel reached: B2')).toEqual([['fr', 'B2']]);
  });

  it('reads a TCF "niveau 4" on the TCF scale (B2) when no CEFR code is printed', () => {
    expect(pairs('Test de connaissance du français (TCF)\nNiveau global : 4')).toEqual([['fr', 'B2']]);
    expect(pairs('Test de connaissance du français (TCF)\nNiveau global : 3')).toEqual([['fr', 'B1']]);
  });

  it('takes the overall level of a certificate that also lists one per skill', () => {
    const text = 'Attestation de compétences en langue française\nCompréhension orale : B2\nExpression orale : B1\nNiveau global atteint : B1+ (CECRL)';
    expect(pairs(text)).toEqual([['fr', 'B1']]);
  });
});

describe('findLanguageLevels: a course is not a certified level', () => {
  const levels = (text: string) => findLanguageLevels(text).map((l) => `${l.lang} ${l.level}`);

  it('reads no level from an enrolment or attendance note', () => {
    expect(levels('ATTESTATION D’INSCRIPTION\nNous attestons que Mme X est inscrite au cours de français général, niveau B2.1\n(session de janvier à juin 2021).')).toEqual([]);
    expect(levels('This is to confirm that Mr Y is enrolled in our French course, level B2, spring term 2021.')).toEqual([]);
    expect(levels('Frau Z besucht den Sprachkurs Französisch, Niveau B2, seit März 2021.')).toEqual([]);
  });

  it('reads no level from a page that says it certifies none', () => {
    expect(levels('Alliance Française\nFrench: B2.1\nThis attestation does not certify a language level.')).toEqual([]);
    expect(levels('Français : niveau B1\nCette attestation ne vaut pas certification.')).toEqual([]);
  });

  it('reads the level a course provider attests after its final test, though the attestation is no official diploma', () => {
    const page = "ATTESTATION DE NIVEAU\nL'Alliance Française de Exemple atteste que M. Test Example a suivi 200 heures de cours de français\nentre le 15/09/2018 et le 14/06/2019.\nÀ l'issue du test final, il a atteint le niveau B2 du Cadre européen commun de référence pour les langues (CECRL).\nElle ne constitue pas un diplôme officiel.";
    expect(levels(page)).toEqual(['fr B2']);
  });

  it('reads no level from the registration for an examination not yet sat', () => {
    expect(levels("Alliance Française\nConfirmation d'inscription\nNous confirmons votre inscription à l'examen DALF C1, session du 15 mai 2021.\nLes résultats seront communiqués environ six semaines après la session.")).toEqual([]);
    expect(levels('IELTS test booking confirmation\nTest date: 12 May 2021\nYou have booked IELTS Academic. Target: C1.')).toEqual([]);
    expect(levels("Institut français — centre d'examen de Exemple\nConvocation — DELF B2 tout public\nCandidat(e) : Test EXAMPLE\nÉpreuves collectives : 12 juin 2021, 9 h 00\nLes résultats seront publiés six semaines après la session.")).toEqual([]);
    // A result sent with its own statement keeps its level.
    expect(levels('Cambridge English\nStatement of Results\nC1 Advanced\nCouncil of Europe Level: C1\nRegistration confirmation no. 12345')).not.toEqual([]);
  });

  it('keeps the level of a course that ended in a passed examination, and of an exam session', () => {
    expect(levels('Mr Y attended the French course at level B2 and passed the final examination.')).toEqual(['fr B2']);
    expect(levels('DELF B2 – Diplôme d’études en langue française, session de juin 2020\nLangue : français')).toContain('fr B2');
  });
});

describe('findLanguageLevels: a course that ended in an assessment', () => {
  it('keeps the level an attestation says was reached at the final assessment', () => {
    const text = 'ATTESTATION DE NIVEAU\nNous certifions que X a suivi les cours de français général et a\natteint, à l’issue de l’évaluation finale du 12/06/2020, le niveau B2 du Cadre européen\ncommun de référence pour les langues.';
    expect(findLanguageLevels(text).map((l) => `${l.lang} ${l.level}`)).toEqual(['fr B2']);
  });
});

describe('findLanguageLevels: school grades are no CEFR levels', () => {
  it('reads no level from a school-leaving certificate\'s grade table', () => {
    const leaving = 'STATE EXAMINATIONS COMMISSION\nLEAVING CERTIFICATE\n2007\nSubject Level Grade\nEnglish Higher A1\nFrench Higher A2\nIrish Higher B1';
    expect(pairs(leaving)).toEqual([]);
  });

  it('still reads a school certificate that states the CEFR level itself', () => {
    const abitur = 'Zeugnis der Allgemeinen Hochschulreife\nEnglisch: Niveau C1 des Gemeinsamen Europäischen Referenzrahmens';
    expect(pairs(abitur)).toEqual([['en', 'C1']]);
  });

  it('reads the Romanian baccalaureate\'s language certificate, which names the framework in the genitive', () => {
    const bac = 'CERTIFICAT DE COMPETENȚE LINGVISTICE\nExamenul de bacalaureat\na obținut în limba FRANCEZĂ următoarele niveluri conform Cadrului European Comun de Referință pentru Limbi:\nProducere de mesaje scrise: nivel B2';
    expect(pairs(bac)).toEqual([['fr', 'B2']]);
  });

  it('reads the Greek state certificate (KPG), which writes the levels in Greek letters', () => {
    const kpg = 'ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ\nΚΡΑΤΙΚΟ ΠΙΣΤΟΠΟΙΗΤΙΚΟ ΓΛΩΣΣΟΜΑΘΕΙΑΣ\nΓλώσσα: ΓΑΛΛΙΚΗ Επίπεδο: Γ1 (Πολύ καλή γνώση)';
    expect(pairs(kpg)).toEqual([['fr', 'C1']]);
    // Elsewhere a Greek letter is no level.
    expect(pairs('Γλώσσα: ΓΑΛΛΙΚΗ Επίπεδο: Γ1')).toEqual([]);
  });

  it('reads a certificate with a level per skill and none overall at its lowest skill, keeping the highest', () => {
    const bac = 'CERTIFICAT DE COMPETENȚE LINGVISTICE\na obținut în limba FRANCEZĂ următoarele niveluri conform Cadrului European Comun de Referință pentru Limbi:\nÎnțelegerea textului citit: nivel B2\nÎnțelegerea după auz: nivel B1\nProducere de mesaje scrise: nivel B2\nProducere de mesaje orale: nivel B2';
    const levels = findLanguageLevels(bac, { certificate: true });
    expect(levels.map((l) => [l.lang, l.level, l.highestSkill])).toEqual([['fr', 'B1', 'B2']]);
    // OCR lost the first skill's name: still a skill.
    expect(findLanguageLevels(bac.replace('Înțelegerea textului', 'textului'), { certificate: true }).map((l) => [l.lang, l.level])).toEqual([['fr', 'B1']]);
    // A CV's or a self-assessment grid's rows are read as before.
    expect(new Set(findLanguageLevels(bac).map((l) => l.level))).toEqual(new Set(['B1', 'B2']));
  });

  it('reads a CV that mentions its holder\'s school certificate as before', () => {
    expect(pairs('Education\n2007 Leaving Certificate, Dublin\nLanguages\nFrench B2 (DELF)')).toEqual([['fr', 'B2']]);
  });
});

