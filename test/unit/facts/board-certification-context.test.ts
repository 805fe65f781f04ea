/**
 * Regressions: a board-certification date decides the rule only when the
 * words around it say what it is. Each case is named after what broke on
 * applications written by others (all names and numbers invented): the
 * holder's birth date, the date of a law the certificate cites, a register's
 * first registration as a doctor beside the specialist date, a validity date,
 * a stray page's date, and a CV that disagrees with the certificate.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { extractFacts, type CvFieldLabels } from '../../../core/facts';
import { findBoardCertificationDate } from '../../../core/facts/board-certification';
import { evaluateRules, type RuleInput } from '../../../core/triage/evaluate-rules';
import type { Evidence, Facts, PageText } from '../../../core/types';

const RULES = loadRules(path.join(__dirname, '../../../rules'));
const PROGRAMME = RULES.programmes.find((p) => p.id === 'gustave-roussy-hybrid-imaging-2022')!;
// Deadline 2021-03-31, three years: certified on or after 2018-03-31.

function judge(facts: Facts, evidence: Partial<Record<keyof Facts, Evidence>> = {}) {
  const input: RuleInput = { facts, evidence, languages: [], sections: new Map(), receivedAt: null };
  return evaluateRules(PROGRAMME, RULES.common, input).find((o) => o.kind === 'board_certification_max_age')!;
}

const labels = { dateOfBoardCertification: ['Date of board certification'] } as unknown as CvFieldLabels;
const page = (num: number, text: string): PageText => ({ num, text, imageOnly: false });
function readBoth(cvDate: string | undefined, certificate: string) {
  const cv = `ESOR Curriculum Vitae\nSurname: Example\n${cvDate ? `Date of board certification: ${cvDate}\n` : ''}`;
  return extractFacts({
    cvLabels: labels,
    sections: [
      { id: 'cv', pages: [page(3, cv)] },
      { id: 'board_certificate', pages: [page(7, certificate)] },
    ],
  });
}

describe('birth date on the certificate', () => {
  it.each([
    ['bg', 'УДОСТОВЕРЕНИЕ\nД-р Иван Примеров, роден на 12.03.1985 г. в гр. Пловдив,\nпридобил специалност „Образна диагностика“ на 14.06.2019 г.'],
    ['sr', 'Др Марко Примеровић, рођен 12.03.1985. године, положио је специјалистички испит из радиологије дана 14.06.2019. године.'],
    ['uk', 'Лікар Олена Приклад, дата народження 12.03.1985, присвоєно звання лікаря-спеціаліста з радіології 14.06.2019.'],
    ['ru', 'Врач Анна Примерова, дата рождения 12.03.1985, сдала экзамен по специальности «Рентгенология» 14.06.2019.'],
    ['tr', 'Dr. Ayşe Örnek (Doğum tarihi: 12.03.1985)\nRadyoloji uzmanlık belgesi 14.06.2019 tarihinde verilmiştir.'],
    ['hu', 'Dr. Minta Anna (szül. 1985. március 12.) 2019. június 14-én szakorvosi vizsgát tett radiológiából.'],
    ['cs', 'MUDr. Jana Příkladová, nar. 12. 3. 1985, složila atestační zkoušku z radiologie dne 14. 6. 2019.'],
    ['el', 'Η ιατρός Άννα Παράδειγμα, γεννηθείσα 12/03/1985, απέκτησε τίτλο ειδικότητας Ακτινοδιαγνωστικής στις 14/06/2019.'],
    ['birth label after the date', 'Anna Example\n12.03.1985 (date of birth)\nSpecialist in radiology since 14.06.2019'],
    ['table, columns apart', 'Name             Date of birth        Date of specialist title\nAnna Example     12.03.1985           14.06.2019'],
    ['table, tabs', 'Date of birth\tPlace of birth\tDate of specialist title\n12.03.1985\tLyon\t14.06.2019'],
    ['table, one space apart', 'Date of birth Date of specialist title\n12.03.1985 14.06.2019'],
    ['table, birth second', 'Date of specialist title | Date of birth\n14.06.2019 | 12.03.1985'],
  ])('is never the certification date (%s)', (_, text) => {
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14', basis: 'certification' });
  });

  it('is read as nothing when it is the only date', () => {
    for (const text of ['Д-р Иван Примеров, роден на 12.03.1985 г.', 'Doğum tarihi: 12.03.1985', 'Дата народження: 12.03.1985']) {
      expect(findBoardCertificationDate(text)).toBeUndefined();
    }
  });
});

describe("a law's date", () => {
  it.each([
    ['bg', 'Съгласно Наредба № 1 от 22.01.2015 г. за придобиване на специалност\nСпециалност: Образна диагностика, призната на 14.06.2019 г.'],
    ['es', 'De acuerdo con el Real Decreto 127/1984, de 11 de enero de 1984, D.ª Ana Ejemplo obtuvo el título de Médico Especialista en Radiodiagnóstico con fecha 14 de junio de 2019.'],
    ['es, a decree by its number', 'Título de Médico Especialista (Decreto 127/1984)\nFecha de expedición: 14/06/2019'],
    ['en', 'Specialist title conferred under Order No 1234 of 12 March 2010.\nSpecialist registration: 14 June 2019'],
    ['de', 'Anerkennung gemäß Weiterbildungsordnung der Landesärztekammer Musterland vom 01.07.2006\nFachärztin für Radiologie seit 14.06.2019'],
    ['it', 'Diploma di specializzazione ai sensi del D.M. del 01/08/2005, conseguito il 14/06/2019.'],
    ['it, a decree by its initials', "visti gli atti d'ufficio; visto il D.I. 4 febbraio 2015, n. 68 di riordino delle scuole;\nha conseguito in data 14 giugno 2019 il Diploma di Specializzazione in Radiodiagnostica."],
    ['pl', 'Na podstawie rozporządzenia Ministra Zdrowia z dnia 12.03.2010 uzyskała tytuł specjalisty w dniu 14.06.2019.'],
    ['fr', "Qualification délivrée en application de l'arrêté du 12 mars 2010.\nQualifiée spécialiste depuis le 14 juin 2019."],
    ['tr', '12.03.2010 tarihli ve 1234 sayılı Tıpta Uzmanlık Yönetmeliği uyarınca\nUzmanlık belgesi tarihi: 14.06.2019'],
    ['de, the line wrapped before the date', 'Die Prüfung erfolgte gemäß der Weiterbildungsordnung vom\n01.07.2006. Facharztprüfung bestanden am 14.06.2019.'],
  ])('is never the certification date (%s)', (_, text) => {
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14' });
  });

  it("does not beat a month and year that certification words name", () => {
    const r = findBoardCertificationDate('Facharztanerkennung gemäß Weiterbildungsordnung vom 01.07.2006\nAnerkennung: Juni 2019');
    expect(r).toMatchObject({ precision: 'month', period: { from: '2019-06-01', to: '2019-06-30' } });
  });

  it("is never the law's number read as a month and year", () => {
    for (const text of ['Specialist title under Law 3/2010', 'Título de especialista según Decreto 1/1984', 'Специалност по Наредба № 1/2015']) {
      expect(findBoardCertificationDate(text)).toBeUndefined();
    }
    expect(findBoardCertificationDate('Specialist title under Law 3/2010, obtained in June 2019')).toMatchObject({ period: { from: '2019-06-01' } });
  });

  it('is read as nothing when it is the only date', () => {
    expect(findBoardCertificationDate('Specialist title under Order No 1234 of 12 March 2010')).toBeUndefined();
    expect(findBoardCertificationDate('Съгласно Наредба № 1 от 22.01.2015 г.')).toBeUndefined();
  });

  it('still lets the words of an event win: "passed under Law 12/2005 on …"', () => {
    expect(findBoardCertificationDate('Board examination passed under Law 12/2005 on 14.06.2019.')).toMatchObject({ iso: '2019-06-14' });
  });
});

describe('the registration date beside the specialist date', () => {
  it.each([
    ['en register', 'Register of Medical Practitioners\nRegistration: 01.09.2012 (medical practitioner)\nSpecialist: 14.06.2019'],
    ['en first registration', 'Date of first registration: 01.09.2012\nSpecialist register, Radiology, with effect from 14.06.2019'],
    ['fr', "Inscription à l'Ordre des médecins : 01/09/2012\nQualification de spécialiste en radiologie : 14/06/2019"],
    ['it', "Iscrizione all'Albo dei Medici Chirurghi: 01/09/2012\nSpecializzazione in Radiodiagnostica conseguita il 14/06/2019"],
    ['de', 'Approbation: 01.09.2012\nAnerkennung als Fachärztin für Radiologie: 14.06.2019'],
    ['es', 'Fecha de colegiación: 01/09/2012\nTítulo de especialista en Radiodiagnóstico: 14/06/2019'],
    ['de, chamber membership', 'Facharztprüfung bestanden am 14.06.2019. Mitglied der Kammer seit dem 01.09.2012.'],
    ['sq', 'Regjistruar si mjek më 01.09.2012. Mjek specialist imazherist, me datë certifikimi 14.06.2019.'],
  ])('loses to the specialist date (%s)', (_, text) => {
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14', basis: 'certification' });
  });

  it('is read, and said to be a registration, only when nothing else is dated', () => {
    expect(findBoardCertificationDate('Registered as a medical practitioner on 01.09.2012')).toMatchObject({
      iso: '2012-09-01',
      basis: 'registration',
    });
  });
});

describe('a German chamber certificate with a wrapped law date and the membership date', () => {
  it('is dated by the examination, not by the ordinance (line wrapped before its date) or "Mitglied der Kammer seit"', () => {
    const text = [
      'Ärztekammer Musterland', 'Bescheinigung über die bestandene', 'Facharztprüfung',
      'Herr Max Beispiel, geboren am 19.05.1984, hat am 22.11.2016 vor dem',
      'Prüfungsausschuss der Ärztekammer Musterland die Prüfung im Gebiet Radiologie',
      'mit Erfolg abgelegt. Die Prüfung erfolgte gemäß der Weiterbildungsordnung vom',
      '16.11.2013. Mitgliedsnummer 0000-0000-00; Mitglied der Kammer seit dem', '02.01.2009.',
    ].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2016-11-22' });
  });
});

describe("Austria's register extract: first entry as a doctor in training above the specialist entry", () => {
  it('is dated by the specialist entry', () => {
    const text = ['BESCHEINIGUNG', 'Name Dr. Maria Beispiel', 'Geburtsdatum 26.08.1983', 'Erstmalige Eintragung in die', 'Ärzteliste',
      '03.07.2009 (Turnusärztin/Turnusarzt)', 'Eintragung als Fachärztin/Facharzt', 'für Radiologie', '15.11.2016'].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2016-11-15', basis: 'certification' });
  });
});

describe('validity, expiry and print dates', () => {
  it('are never the certification date', () => {
    expect(findBoardCertificationDate('Specialist certificate No 1234, valid until 31.12.2025\nSpecialist since 14.06.2019')).toMatchObject({ iso: '2019-06-14' });
    expect(findBoardCertificationDate('Valid until 31.12.2030')).toBeUndefined();
    expect(findBoardCertificationDate('Gültig bis 31.12.2030\nStand: 01.02.2021')).toBeUndefined();
  });
});

describe('a stray page labelled board certificate', () => {
  it('gives a date no words name, said to be unlabelled or a signature', () => {
    expect(findBoardCertificationDate('Radiology 2015; 12: 33-41\nReceived 12 March 2015\nEuropean Journal of Examples')).toMatchObject({ basis: 'unlabelled' });
    expect(findBoardCertificationDate('Vienna, 1 July 2015\nDear members of the committee,')).toMatchObject({ basis: 'signature' });
  });

  it('raises a review, not a hard ineligible, when such a date is too old', () => {
    for (const basis of ['unlabelled', 'signature', 'registration']) {
      const o = judge({ boardCertificationDate: '2015-07-01' }, { boardCertificationDate: { pages: [7], snippet: 'Vienna, 1 July 2015', basis } });
      expect(o.outcome).toBe('unknown');
      expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review', section: 'board_certificate' });
      expect(o.flag!.message).toContain('1 July 2015');
    }
    // Words that name the certification still decide.
    const firm = judge({ boardCertificationDate: '2015-07-01' }, { boardCertificationDate: { basis: 'certification' } });
    expect(firm.flag?.code).toBe('board_certification_too_old');
    // A weak date the CV confirms decides too.
    const vouched = judge({ boardCertificationDate: '2015-07-01' }, { boardCertificationDate: { basis: 'unlabelled', cvAgrees: true } });
    expect(vouched.flag?.code).toBe('board_certification_too_old');
  });

  it('still passes a weak date more than a year after the limit', () => {
    expect(judge({ boardCertificationDate: '2019-07-01' }, { boardCertificationDate: { basis: 'signature' } }).outcome).toBe('pass');
  });

  it('asks a person for a signature or unnamed date within a year after the limit: the title may be older than its document', () => {
    for (const basis of ['unlabelled', 'signature']) {
      const o = judge({ boardCertificationDate: '2018-04-11' }, { boardCertificationDate: { pages: [5], snippet: 'Λευκωσία, 11 Απριλίου 2018', basis } });
      expect(o.outcome).toBe('unknown');
      expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review' });
    }
    // A first registration as a doctor comes before the specialist title: on or after the limit, so is the title.
    expect(judge({ boardCertificationDate: '2018-04-11' }, { boardCertificationDate: { basis: 'registration' } }).outcome).toBe('pass');
    // Words that name the certification, or a CV that agrees, still decide.
    expect(judge({ boardCertificationDate: '2018-04-11' }, { boardCertificationDate: { basis: 'certification' } }).outcome).toBe('pass');
    expect(judge({ boardCertificationDate: '2018-04-11' }, { boardCertificationDate: { basis: 'signature', cvAgrees: true } }).outcome).toBe('pass');
  });
});

describe('the CV disagreeing with the certificate', () => {
  const certificate = 'Specialist title conferred on 22 January 2015.\nIssued on 1 February 2015';

  it('keeps the certificate date as the fact and records the disagreement', () => {
    const report = readBoth('14/06/2019', certificate);
    expect(report.facts.boardCertificationDate).toBe('2015-01-22');
    expect(report.evidence.boardCertificationDate).toMatchObject({
      pages: [7],
      conflict: { cv: '2019-06-14', certificate: '2015-01-22', cvPages: [3] },
    });
  });

  it('raises board_certification_unverified instead of board_certification_too_old, saying what disagreed', () => {
    const report = readBoth('14/06/2019', certificate);
    const o = judge(report.facts, report.evidence);
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review', section: 'board_certificate' });
    expect(o.flag!.message).toContain('22 January 2015');
    expect(o.flag!.message).toContain('14 June 2019');
    expect(o.flag!.evidence).toMatchObject({ conflict: { cv: '2019-06-14', certificate: '2015-01-22' } });
  });

  it('raises it too when only the CV date would fail', () => {
    const report = readBoth('14/06/2015', 'Specialist title conferred on 22 January 2019.');
    const o = judge(report.facts, report.evidence);
    expect(report.facts.boardCertificationDate).toBe('2019-01-22');
    expect(o.flag?.code).toBe('board_certification_unverified');
  });

  it('fails when both disagreeing dates are too old: they agree on what decides', () => {
    const report = readBoth('12/01/2015', 'Specialist title conferred on 22 June 2015.');
    expect(report.evidence.boardCertificationDate).toHaveProperty('conflict');
    const o = judge(report.facts, report.evidence);
    expect(o.outcome).toBe('fail');
    expect(o.flag).toMatchObject({ code: 'board_certification_too_old', section: 'board_certificate' });
    expect(o.flag!.message).toContain('22 June 2015');
  });

  it('passes when both disagreeing dates are recent', () => {
    const report = readBoth('14/06/2020', 'Specialist title conferred on 22 January 2019.');
    expect(report.evidence.boardCertificationDate).toHaveProperty('conflict');
    expect(judge(report.facts, report.evidence).outcome).toBe('pass');
  });

  it('within about a month the CV vouches for the certificate, and both decide alike when on one side of the limit', () => {
    const near = readBoth('01/02/2015', certificate);
    expect(near.evidence.boardCertificationDate).toMatchObject({ cvAgrees: true, conflict: { cv: '2015-02-01', certificate: '2015-01-22' } });
    expect(judge(near.facts, near.evidence).flag?.code).toBe('board_certification_too_old');
    const inside = readBoth('14/03/2016', 'Facharztanerkennung Radiologie\nAnerkennung: März 2016');
    expect(inside.facts.boardCertificationDate).toBe('2016-03-14');
    expect(judge(inside.facts, inside.evidence).flag?.code).toBe('board_certification_too_old');
  });

  it('asks a person when dates days apart fall on two sides of the limit (a CV 28 March 2018, a certificate 11 April 2018)', () => {
    const report = readBoth('28/03/2018', 'Λευκωσία, 11 Απριλίου 2018');
    expect(report.facts.boardCertificationDate).toBe('2018-04-11');
    const o = judge(report.facts, report.evidence);
    expect(o.outcome).toBe('unknown');
    expect(o.flag).toMatchObject({ code: 'board_certification_unverified', severity: 'review' });
    expect(o.flag!.message).toContain('28 March 2018');
  });

  it('asks a person when the certificate gives only a period that straddles the limit', () => {
    const report = readBoth(undefined, 'Specialist title in diagnostic radiology obtained in 2018.');
    expect(report.facts.boardCertificationPeriod).toEqual({ from: '2018-01-01', to: '2018-12-31' });
    expect(judge(report.facts, report.evidence).flag?.code).toBe('board_certification_unverified');
  });

  it('records a month-and-year certificate against a CV years apart', () => {
    const report = readBoth('14/06/2019', 'Facharztanerkennung Radiologie\nAnerkennung: März 2016');
    expect(report.facts.boardCertificationPeriod).toEqual({ from: '2016-03-01', to: '2016-03-31' });
    expect(report.evidence.boardCertificationPeriod).toMatchObject({ conflict: { cv: '2019-06-14', certificate: '2016-03-01/2016-03-31' } });
    const o = judge(report.facts, report.evidence);
    expect(o.flag?.code).toBe('board_certification_unverified');
    expect(o.flag!.message).toContain('March 2016');
  });

  it('uses the CV alone as before when there is no certificate date', () => {
    const report = readBoth('14/06/2015', 'Board certificate of Dr Anna Example');
    expect(report.facts.boardCertificationDate).toBe('2015-06-14');
    expect(judge(report.facts, report.evidence).flag?.code).toBe('board_certification_too_old');
  });
});

describe('declined birth words', () => {
  it.each([
    ['Czech', 'Pan MUDr. Tomáš Novák, narozený 11.01.1988, složil dne 22. května 2019 atestační zkoušku z oboru radiologie.'],
    ['Slovak', 'MUDr. Jana Kováčová, narodená 03.04.1987, vykonala dňa 22.05.2019 špecializačnú skúšku v odbore rádiológia.'],
    ['Polish', 'lek. Anna Nowak, urodzonej 03.04.1987, uzyskała w dniu 22.05.2019 tytuł specjalisty w dziedzinie radiologii.'],
  ])('%s: the birth date is never the certification date', (_, text) => {
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-05-22');
  });
});

describe('a Russian specialist certificate', () => {
  it('gives the date of issue, not the first registration or the order it rests on', () => {
    const text = 'СЕРТИФИКАТ СПЕЦИАЛИСТА — Рентгенология\nДата рождения\n03.02.1986\nДата первичной регистрации\n01.09.2008\nОснование\nПриказ № 412 от 19.05.2006\nдопущен(а) к осуществлению медицинской деятельности по специальности «Рентгенология». Дата выдачи: 29.08.2016.';
    expect(findBoardCertificationDate(text)?.iso).toBe('2016-08-29');
  });
});
