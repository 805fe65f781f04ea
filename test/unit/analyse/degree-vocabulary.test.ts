/**
 * The medical degree and the board certificate, told apart on the office's
 * real rule files. Basic degree titles (Directive 2005/36/EC Annex V 5.1.1,
 * and national titles beyond the EU) must read as the degree; specialist
 * titles (Annex V 5.1.2/5.1.3) are evidence for both documents, so the
 * required order decides; board examinations and authorities read as the
 * board certificate. All names and numbers are invented.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { compileClassifier, LABELS, scorePages } from '../../../core/analyse/classify-pages';
import { segmentPages } from '../../../core/analyse/segment-pages';
import type { PageText } from '../../../core/types';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const CLASSIFIER = compileClassifier(RULES.common);
const SECTIONS = RULES.common.sections.map((s) => ({ required: s.required, expectedPages: s.expected_pages }));
const BOARD = LABELS.indexOf('board_certificate');
const DEGREE = LABELS.indexOf('medical_degree');

function text(num: number, body: string): PageText {
  return { num, text: body, imageOnly: false };
}

function scoreOne(body: string) {
  return scorePages([text(1, body)], CLASSIFIER)[0]!;
}

function best(scores: number[]): string {
  return LABELS[scores.indexOf(Math.max(...scores))]!;
}

// One basic medical degree per country, worded as the diplomas print it.
const DEGREES: Array<[string, string]> = [
  ['ES', 'UNIVERSIDAD DE VALDEMORO\nTÍTULO DE GRADUADO EN MEDICINA\nEl Rector, en nombre del Rey, expide a D. Iker Zubieta Ferrán, nacido el 3 de mayo de 1990, el presente título.'],
  ['ES (old)', 'TÍTULO DE LICENCIADO EN MEDICINA Y CIRUGÍA\nD.ª Lucía Arbeloa Pinto ha hecho constar su suficiencia en la Universidad de Valdemoro.'],
  ['IT', 'UNIVERSITÀ DEGLI STUDI DI BORGOFRANCO\nDiploma di laurea in medicina e chirurgia\nIl Rettore conferisce a Marta Lunardelli la laurea.'],
  ['DE', 'Landesprüfungsamt für Medizin\nZeugnis über die Ärztliche Prüfung\nHerr Jonas Kettwig hat die Ärztliche Prüfung mit der Note gut bestanden.'],
  ['AT', 'Medizinische Universität Grünau\nUrkunde über die Verleihung des akademischen Grades Doktor der gesamten Heilkunde\nan Lena Pichlmair'],
  ['Latin', 'UNIVERSITAS EXEMPLENSIS\nFacultas Medicinae\nTest Example\nnatus/nata die 01.02.1990\nstudiis medicis rite absolutis et examinibus omnibus superatis gradum\nDOCTORIS MEDICINAE\nadeptus/adepta est. Datum die 15.07.2014'],
  ['CZ', 'Lékařská fakulta Univerzity Dolní Lhota\nDiplom o ukončení studia ve studijním programu všeobecné lékařství\nPetr Vondrášek, doktor medicíny (MUDr.)'],
  ['PL', 'Uniwersytet Medyczny w Zielinie\nDyplom ukończenia studiów wyższych\nna kierunku lekarskim z tytułem lekarza\nAnna Kowalczyk-Brzęk'],
  ['PT', 'Universidade de Vilaverde\nCarta de Curso de Licenciatura em Medicina\nJoana Arruda Pires concluiu o curso.'],
  ['FR', "Université de Montvallon\nDiplôme d'État de docteur en médecine\ndélivré à Claire Fontanel"],
  ['BE', 'Universiteit Meerdaal\nMaster in de geneeskunde\nPieter Vanoverbeke heeft de graad behaald.'],
  ['NL', 'Faculteit der Geneeskunde\nGetuigschrift van met goed gevolg afgelegd artsexamen\nSanne de Wolf-Hoekstra'],
  ['DK', 'Medicinsk universitetsfakultet\nBevis for bestået lægevidenskabelig embedseksamen\nMads Kjærgaard Holm'],
  ['SE', 'Läkarexamen\nUniversitetet i Norrvik intygar att Elin Sjöberg har avlagt läkarexamen.'],
  ['FI', 'Lääketieteen lisensiaatin tutkinto\nHelmi Rautiainen, Lääketieteellinen tiedekunta'],
  ['HU', 'Orvostudományi Kar\nÁltalános orvos oklevél\ndoctor medicinae universae: Dr. Kovácsné Bíró Eszter'],
  ['RO', 'Universitatea de Medicină și Farmacie\nDiplomă de licență\nIoana Mărgineanu, titlul de doctor-medic'],
  ['MD', 'DIPLOMĂ DE STUDII SUPERIOARE INTEGRATE\nIon Exemplu a absolvit în anul 2016 Universitatea de Stat, specialitatea Medicină, și i s-a conferit titlul de Doctor în medicină (Medic).'],
  ['GR', 'ΙΑΤΡΙΚΗ ΣΧΟΛΗ ΠΑΝΕΠΙΣΤΗΜΙΟΥ\nΠΤΥΧΙΟ ΙΑΤΡΙΚΗΣ\nΗ Ελένη Παπαδημητρίου αναγορεύεται πτυχιούχος.'],
  ['BG', 'Медицински университет\nДИПЛОМА ЗА ВИСШЕ ОБРАЗОВАНИЕ\nпрофесионална квалификация „Магистър-лекар“: Мария Петкова'],
  ['LT', 'Aukštojo mokslo diplomas\nnurodantis suteiktą gydytojo kvalifikaciją: Rūta Jankauskaitė'],
  ['LV', 'Ārsta diploms\nLaura Bērziņa, Universitātes tipa augstskola'],
  ['HR', 'Medicinski fakultet Sveučilišta\nDiploma doktor medicine\nIvana Horvatić'],
  ['SK', 'Lekárska fakulta\nVysokoškolský diplom o udelení akademického titulu doktor medicíny\nJana Kováčiková'],
  ['SI', 'Medicinska fakulteta\nDiploma, s katero se podeljuje strokovni naslov doktor medicine: Maja Kranjc'],
  ['CH', 'SCHWEIZERISCHE EIDGENOSSENSCHAFT\nEidgenössisches Arztdiplom\nFrau Nina Zgraggen'],
  ['NO', 'Vitnemål for fullført grad candidata medicinae\nIngrid Solheim-Aas'],
  ['IS', 'Embættispróf í læknisfræði\ncandidatus medicinae: Sigrún Þórhallsdóttir'],
  ['UK', 'University of Eastmoor\nThis is to certify that Oliver Pennington was admitted to the degree of\nBachelor of Medicine and Bachelor of Surgery (MB ChB)'],
  ['TR', 'KARAYAKA ÜNİVERSİTESİ\nTIP FAKÜLTESİ DİPLOMASI\nAyşe Yıldırımoğlu tıp doktoru unvanını almıştır.'],
  ['UA', 'ДИПЛОМ МАГІСТРА\nНаціональний медичний університет\nОлена Ковальчук, спеціальність «Медицина», кваліфікація лікар'],
  ['RU', 'ДИПЛОМ СПЕЦИАЛИСТА\nМедицинский университет\nИрина Соколова, специальность «Лечебное дело», квалификация врач-лечебник'],
  ['RS', 'Медицински факултет\nДИПЛОМА О СТЕЧЕНОМ ВИСОКОМ ОБРАЗОВАЊУ\nМилица Јовановић, доктор медицине'],
  ['GE', 'სამედიცინო უნივერსიტეტი\nმედიცინის დოქტორის დიპლომი\nნინო ბერიძე, მედიცინის დოქტორი'],
  ['EG', 'Faculty of Medicine\nBachelor of Medicine and Surgery (M.B.B.Ch)\nبكالوريوس الطب والجراحة\nMona Abdelrahman'],
  ['IN', 'University of Health Sciences\nMBBS\nBachelor of Medicine and Bachelor of Surgery awarded to Priya Raghunathan'],
  ['BR', 'Universidade Federal de Serra Alta\nDIPLOMA DE MÉDICO\nBacharel em Medicina: Rafael Tavares Brum'],
  ['IL', 'הפקולטה לרפואה\nדוקטור לרפואה\nנועה לוי'],
];

// Specialist titles (Annex V 5.1.2 names with the 5.1.3 diagnostic radiology
// row, and beyond): evidence for both documents.
const SPECIALIST_TITLES: Array<[string, string]> = [
  ['ES', 'Título de Especialista en Radiodiagnóstico\nD. Iker Zubieta Ferrán ha completado la formación sanitaria especializada.'],
  ['IT', 'Diploma di specializzazione in Radiodiagnostica\nLa Dott.ssa Marta Lunardelli ha conseguito il diploma.'],
  ['AT', 'Facharztdiplom\nLena Pichlmair, Sonderfach Radiologie'],
  ['CZ', 'Diplom o specializaci\nv oboru Radiologie a zobrazovací metody: Petr Vondrášek'],
  ['HU', 'Szakorvosi bizonyítvány\nRadiológia: Dr. Kovácsné Bíró Eszter'],
  ['FI', 'Erikoislääkärin tutkinto\nRadiologia: Helmi Rautiainen'],
  ['GR', 'ΤΙΤΛΟΣ ΙΑΤΡΙΚΗΣ ΕΙΔΙΚΟΤΗΤΑΣ\nΑκτινοδιαγνωστικής: Ελένη Παπαδημητρίου'],
  ['TR', 'TIPTA UZMANLIK BELGESİ\nRadyoloji: Ayşe Yıldırımoğlu'],
  ['UA', 'СЕРТИФІКАТ ЛІКАРЯ-СПЕЦІАЛІСТА\nРадіологія: Олена Ковальчук'],
  ['BR', 'Título de Especialista em Radiologia e Diagnóstico por Imagem\nRafael Tavares Brum'],
  // Algeria's DEMS under its shorter name, as well as "spécialisées".
  ['DZ', "DIPLÔME D'ÉTUDES MÉDICALES SPÉCIALES (D.E.M.S.)\nLe Docteur Amina Exemple a satisfait aux épreuves du D.E.M.S. en radiologie."],
];

describe('basic medical degrees (Annex V 5.1.1 and beyond)', () => {
  it.each(DEGREES)('reads a %s degree as the medical degree, well above the board certificate', (_, body) => {
    const p = scoreOne(body);
    expect(best(p.scores)).toBe('medical_degree');
    expect(p.scores[DEGREE]! - p.scores[BOARD]!).toBeGreaterThan(4);
  });

  it('matches titles in Cyrillic, Greek, Georgian, Hebrew, Arabic and Turkish letters after folding', () => {
    for (const code of ['BG', 'GR', 'UA', 'RU', 'RS', 'GE', 'IL', 'EG', 'TR']) {
      const p = scoreOne(DEGREES.find(([c]) => c === code)![1]);
      expect(p.reasons[DEGREE]!.some((r) => r.startsWith('title'))).toBe(true);
    }
  });
});

describe('specialist titles (Annex V 5.1.2 / 5.1.3)', () => {
  it.each(SPECIALIST_TITLES)('scores a %s specialist title as both documents, within reach of the order', (_, body) => {
    const p = scoreOne(body);
    expect(['board_certificate', 'medical_degree']).toContain(best(p.scores));
    // Titled for both: position, not the words, decides between the two.
    expect(p.reasons[BOARD]!.some((r) => r.startsWith('title'))).toBe(true);
    expect(p.reasons[DEGREE]!.some((r) => r.startsWith('title'))).toBe(true);
    expect(Math.abs(p.scores[DEGREE]! - p.scores[BOARD]!)).toBeLessThan(2.5);
  });

  it('reads a board examination or board certification as the board certificate only', () => {
    for (const body of [
      'European Diploma in Radiology (EDiR)\nThis is to certify that Dr Noor Haddad passed the examination of the European Board of Radiology.',
      'TÜRK RADYOLOJİ YETERLİK KURULU\nYETERLİK BELGESİ\nDr. Ayşe Yıldırımoğlu yeterlik sınavında başarılı olmuştur.',
      'Diplomate of National Board\nNational Board of Examinations in Medical Sciences\nRadio-diagnosis: Dr Priya Raghunathan',
      'GHANA COLLEGE OF PHYSICIANS AND SURGEONS\nMembership/Fellowship in Radiology\nDr. Kofi Mensah-Example was admitted as Fellow (Radiology) on 30 April 2020.',
    ]) {
      const p = scoreOne(body);
      expect(best(p.scores)).toBe('board_certificate');
      expect(p.scores[BOARD]! - p.scores[DEGREE]!).toBeGreaterThan(4);
    }
  });
});

describe('national specialist certificates with no title in English', () => {
  it('reads a university\'s confirmation of completed specialty training as a specialist document (board certificate or degree)', () => {
    const p = scoreOne('Univerzita Exemplárska v Exemple\nPostgraduate Specialty Training\nTest Example\ncompleted the specialty training in DIAGNOSTIC RADIOLOGY\n(2013-2019)\nFinal examination passed: 11/04/2019');
    expect(['board_certificate', 'medical_degree']).toContain(best(p.scores));
    expect(Math.max(p.scores[BOARD]!, p.scores[DEGREE]!)).toBeGreaterThanOrEqual(2.5);
  });

  it("reads Latvia's 'Sertifikāts' (certification exam passed, may work in the specialty), as OCR gives it, as the board certificate", () => {
    const p = scoreOne('LATVIJAS REPUBLIKA\nSERTIFIKATS\nTest Example\nir nokartojis(-usi) sertifikacijas eksämenu un ir tiesigs(-a) stradat specialitate.\nRADIOLOGS\nRiga, 2019. gada 28. jünijà');
    expect(best(p.scores)).toBe('board_certificate');
  });
});

describe('the order decides between the board certificate and the specialisation', () => {
  const filler = 'The undersigned confirms the information given in this document on behalf of the institution named below.';
  const titleOf = (id: string) => `${RULES.common.sections.find((s) => s.id === id)!.vocabulary.titles[0]!}\n${filler}`;
  const before = ['motivation', 'cv', 'recommendation'].map(titleOf);
  const after = ['language_certificates', 'publications', 'references', 'esr_membership', 'passport'].map(titleOf);
  const segment = (middle: string[]) => {
    const pages = [...before, ...middle, ...after].map((body, i) => text(i + 1, body));
    return segmentPages(scorePages(pages, CLASSIFIER), SECTIONS);
  };

  it('keeps a degree and a specialist title after a board certificate in the medical degree (ES)', () => {
    const seg = segment([
      'European Diploma in Radiology\nThis is to certify that Dr Iker Zubieta Ferrán passed the examination of the European Board of Radiology.',
      DEGREES.find(([c]) => c === 'ES')![1],
      SPECIALIST_TITLES.find(([c]) => c === 'ES')![1],
    ]);
    expect(seg.labels.slice(3, 6)).toEqual(['board_certificate', 'medical_degree', 'medical_degree']);
    expect(seg.missing).toEqual([]);
    expect(seg.outOfOrder).toBe(false);
  });

  it('keeps a national specialist title placed 4th as the board certificate, then the degree and its specialisation (TR)', () => {
    const seg = segment([
      SPECIALIST_TITLES.find(([c]) => c === 'TR')![1],
      DEGREES.find(([c]) => c === 'TR')![1],
      SPECIALIST_TITLES.find(([c]) => c === 'TR')![1],
    ]);
    expect(seg.labels.slice(3, 6)).toEqual(['board_certificate', 'medical_degree', 'medical_degree']);
    expect(seg.missing).toEqual([]);
  });

  it('keeps a national specialist examination certificate placed 4th as the board certificate (PL)', () => {
    const seg = segment([
      'Centrum Medyczne Kształcenia Podyplomowego\nDYPLOM\nuzyskania tytułu specjalisty w dziedzinie radiologii i diagnostyki obrazowej\nlek. Anna Kowalczyk-Brzęk złożyła Państwowy Egzamin Specjalizacyjny.',
      DEGREES.find(([c]) => c === 'PL')![1],
    ]);
    expect(seg.labels.slice(3, 5)).toEqual(['board_certificate', 'medical_degree']);
    expect(seg.missing).toEqual([]);
  });

  it('never takes a basic degree placed 4th for the board certificate; a specialist title after it is the board certificate sent late', () => {
    const seg = segment([DEGREES.find(([c]) => c === 'IT')![1], SPECIALIST_TITLES.find(([c]) => c === 'IT')![1]]);
    expect(seg.labels.slice(3, 5)).toEqual(['medical_degree', 'board_certificate']);
    expect(seg.missing).toEqual([]);
    expect(seg.outOfOrder).toBe(true);
    // The degree alone in that place: the board certificate is missing.
    expect(segment([DEGREES.find(([c]) => c === 'IT')![1]]).missing).toEqual(['board_certificate']);
  });
});
