import { findBoardCertificationDate } from '../../../core/facts/board-certification';

describe('findBoardCertificationDate', () => {
  it.each([
    [
      'en',
      'This is to certify that Dr Anna Rossi, born on 12 March 1985, has successfully passed the board examination on 14 June 2019.\nVienna, 1 July 2019',
    ],
    [
      'fr',
      "Le Doyen certifie que Mme Anna Rossi, née le 12 mars 1985 à Rome, a obtenu le titre de spécialiste en radiologie le 14 juin 2019.\nFait à Paris, le 2 juillet 2019",
    ],
    ['de (event after the date)', 'Frau Dr. Anna Rossi, geboren am 12.03.1985 in Wien, hat am 14.06.2019 die Facharztprüfung bestanden.'],
    ['de', 'Urkunde\nFacharztanerkennung für Radiologie\nDr. Anna Rossi (geb. 12.03.1985)\nAnerkennung am 14.06.2019'],
    [
      'it',
      'Si certifica che la dott.ssa Anna Rossi, nata il 12/03/1985, ha conseguito il diploma di specializzazione in Radiodiagnostica in data 14/06/2019.',
    ],
    ['es', 'Título de Médico Especialista en Radiodiagnóstico\nD.ª Ana Ruiz, nacida el 12 de marzo de 1985\nFecha de expedición: 14 de junio de 2019'],
    ['pt', 'Certifica-se que Ana Sousa, nascida em 12/03/1985, obteve o grau de especialista em Radiologia em 14/06/2019.'],
    ['nl', 'Geboortedatum: 12-03-1985\nIngeschreven in het specialistenregister als radioloog op 14-06-2019'],
    ['pl', 'Lek. Anna Nowak, urodzona 12.03.1985, zdała egzamin specjalizacyjny z radiologii w dniu 14.06.2019 r.'],
    ['el', 'Η Άννα Παππά, γεννηθείσα 12/03/1985, απέκτησε τίτλο ειδικότητας Ακτινολογίας στις 14/06/2019.'],
    ['ro', 'Dna Ana Popescu, născută la 12.03.1985, a promovat examenul de medic specialist la 14.06.2019.'],
    [
      'ro (register entry and exam session)',
      'Dna Ana Popescu, născută la 12.03.1985,\nînscrisă în Registrul unic al medicilor la data de 12.10.2009, cod parafă 4C8891,\na promovat examenul de medic specialist în specialitatea\nRADIOLOGIE – IMAGISTICĂ MEDICALĂ\nsesiunea 14.06.2019, nr. înregistrare 2019/06/4471.',
    ],
    ['label above value', 'Certificate\nName: Anna Rossi\nDate of birth:\n12/03/1985\nDate of board certification:\n14/06/2019'],
  ])('reads the %s certificate', (_, text) => {
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14', basis: 'certification' });
  });

  it('takes the issue date, not the date a copy was certified true (Vietnamese "Sao y")', () => {
    const text = 'CHỨNG CHỈ HÀNH NGHỀ / PRACTISING CERTIFICATE\nPhạm vi hoạt động chuyên môn: Chẩn đoán hình ảnh\nNgày cấp / Date of issue: 14/06/2019\nSao y: 05/03/2021';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14', basis: 'issue' });
  });

  it('takes the title\'s date, not the date a sworn translation of it was certified', () => {
    const text = 'Translation from Armenian into English\nCERTIFICATE\nof completion of clinical residency\nSpecialty Radiology\nQualification of physician-radiologist obtained on\t30 September 2017\nI, the undersigned sworn translator, certify that this is a true and complete translation. Translation certified on 1 March 2021.';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2017-09-30', basis: 'certification' });
  });

  it('skips a law\'s date in brackets after its name, on the next line', () => {
    const text = 'STATE CERTIFICATE\nSpecialty Radiology\nDate of issue 5 October 2018\nIssued by the Ministry of Health. Basis: Law of Georgia "On Medical Practice"\n(08.06.2001).';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2018-10-05', basis: 'issue' });
    const georgian = 'სახელმწიფო სერტიფიკატი\nგაცემის თარიღი: 05.10.2018\nსაფუძველი: „საექიმო საქმიანობის შესახებ" საქართველოს კანონი (08.06.2001).';
    expect(findBoardCertificationDate(georgian)?.iso).not.toBe('2001-06-08');
    const kazakh = 'СЕРТИФИКАТ СПЕЦИАЛИСТА\nСпециальность Радиология\nДата выдачи 03.10.2018\nСертификат выдан на основании приказа, Кодекс\nО здоровье народа и системе здравоохранения» от 18.09.2009.';
    expect(findBoardCertificationDate(kazakh)?.iso).toBe('2018-10-03');
  });

  it('skips a regulation\'s numbered date whose title holds certification words, across a line break', () => {
    const text = 'Spesialistgodkjenning\nIngrid Test, født 17.05.1988, er godkjent som spesialist\ni radiologi i henhold til forskrift om spesialistutdanning og\nspesialistgodkjenning for leger og tannleger av 8. desember 2016 nr. 1482.\nGodkjent fra 1. april 2019\nVedtaksdato 20.04.2019';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-04-01');
  });

  it('takes the specialism of a Dutch BIG-register extract, not the registration as a doctor above it', () => {
    const text = 'Uittreksel BIG-register\nBeroep: Arts, registratie 20.09.2015\nSpecialisme: Radiologie – ingangsdatum 01.09.2020\nDit uittreksel is afgedrukt op 02.02.2021';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2020-09-01' });
  });

  it('skips training periods and print dates', () => {
    const text = 'Specialist training from 01.10.2014 to 30.09.2019.\nBoard examination passed on 14.06.2019.\nPrinted on 03.03.2021';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-06-14');
  });

  it("takes a college's fellowship, not the council's registration as a doctor whose name wraps onto the next line", () => {
    const text = 'GHANA COLLEGE OF PHYSICIANS AND SURGEONS\nMembership/Fellowship in Radiology\nDr. Kofi Mensah-Example was admitted as Fellow (Radiology) on 30 April 2020. Medical and\nDental Council registration 10/09/2013.';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2020-04-30', basis: 'certification' });
  });

  it("takes a Greek specialist title's date, not the Government Gazette's date its decree is cited by", () => {
    const text = [
      'ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ', 'ΤΙΤΛΟΣ ΙΑΤΡΙΚΗΣ ΕΙΔΙΚΟΤΗΤΑΣ',
      'Ο/Η ιατρός ΠΑΠΑΔΟΠΟΥΛΟΣ ΝΙΚΟΣ, γεννηθείς/-είσα στις 27/02/1988,',
      'έχοντας συμπληρώσει την άσκηση που προβλέπεται από το Π.Δ. 415/1994 (ΦΕΚ',
      '236/Α/30-12-1994) και επιτυχώς εξετασθείς, αποκτά τον τίτλο ειδικότητας',
      'ΑΚΤΙΝΟΔΙΑΓΝΩΣΤΙΚΗΣ', 'από 08/04/2019.', 'Θεσσαλονίκη, 08/04/2019',
    ].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-04-08', basis: 'certification' });
  });

  it.each([
    ['typed', 'ORDEM DOS MÉDICOS\nTÍTULO DE ESPECIALISTA\nCertifica-se que a Dra. Inês Exemplo, nascida em 24/01/1989, inscrita na\nOrdem dos Médicos com a cédula n.º 54321 desde 14/01/2013,\nobteve o título de especialista em RADIOLOGIA\ncom data de 03/07/2020, nos termos do Decreto-Lei n.º 13/2018, de 26 de fevereiro.\nLisboa, 03/07/2020'],
    ['scanned, its lines shuffled by OCR', 'ORDEM pos MEDICOS\nTiTULO DE ESPECIALISTA\nalho, nascida em 24/01 199 dos inserito na\nque a Dra. Inés Carv\nMédicos com 4 cédula n.° 54321 desde 14/01/2013,\nobteve 0 titulo de especialista em RADIOLOGIA\ncom data de 03/07/2020, termos do pecreto-Lei n°13/2018, de 26 de fevereiro-\nLisboa, 03/07/2020'],
  ])("takes the Portuguese specialist title's date, not the doctor's card's (%s)", (_, text) => {
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2020-07-03', basis: 'certification' });
  });

  it('prefers the date closest to its certification words', () => {
    const text = 'Dr Anna Rossi completed her residency and was awarded the title of specialist in radiology. Date of certification: 14/06/2019. Registered: 20/06/2019.';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-06-14');
  });

  it('takes the earliest unlabelled date before an issue date', () => {
    const text = 'Specialist in Diagnostic Radiology\nAnna Rossi\n14/06/2019\nIssued on 01/07/2019';
    // "Specialist" on the line above ties the date to the certification.
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14' });
    expect(findBoardCertificationDate('Anna Rossi\nRadiology\n14/06/2019\nIssued on 01/07/2019')).toMatchObject({
      iso: '2019-06-14',
      basis: 'unlabelled',
    });
  });

  it('falls back to the issue date when nothing else is dated', () => {
    expect(findBoardCertificationDate('Dr Anna Rossi, radiologist.\nIssued on 14 June 2019')).toMatchObject({
      iso: '2019-06-14',
      basis: 'issue',
    });
    // A signature line names no event: it is read, and said to be only a signature's date.
    expect(findBoardCertificationDate('Dr Anna Rossi, radiologist.\nMilano, 14 giugno 2019')).toMatchObject({
      iso: '2019-06-14',
      basis: 'signature',
    });
  });

  it.each([
    'Date of birth: 12/03/1985',
    'Anna Rossi, born 12 March 1985',
    'née le 12 mars 1985 à Lyon',
    'geboren am 12.03.1985',
    'nato il 12/03/1985',
    'nacida el 12 de marzo de 1985',
    'Geburtsdatum 12.03.1985\nGedruckt am 01.02.2021',
    'Training period: 01.10.2014 - 30.09.2019',
  ])('returns undefined when only birth, print or period dates exist: %s', (text) => {
    expect(findBoardCertificationDate(text)).toBeUndefined();
  });

  it('returns undefined without dates', () => {
    expect(findBoardCertificationDate('Board certificate of Dr Anna Rossi')).toBeUndefined();
    expect(findBoardCertificationDate('')).toBeUndefined();
  });

  it('gives the index and a snippet of at most 160 characters', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(10)}Board examination passed on 14.06.2019.`;
    const r = findBoardCertificationDate(text)!;
    expect(r.index).toBe(text.indexOf('14.06.2019'));
    expect(r.snippet.length).toBeLessThanOrEqual(160);
    expect(r.snippet).toContain('14.06.2019');
  });

  it.each([
    ['en', 'This is to certify that Dr Anna Rossi has passed the board examination in March 2016.\nVienna, 3 May 2021'],
    ['fr', 'Mme Anna Rossi a obtenu le titre de spécialiste en radiologie en mars 2016.\nFait à Paris, le 2 juillet 2021'],
    ['de', 'Facharztanerkennung für Radiologie\nDr. Anna Rossi (geb. 12.03.1985)\nAnerkennung: März 2016\nAusgestellt am 03.05.2021'],
    ['it', 'La dott.ssa Anna Rossi, nata il 12/03/1985, ha conseguito il diploma di specializzazione nel marzo 2016.'],
    ['es', 'Título de Médico Especialista en Radiodiagnóstico\nObtuvo el título de especialista en marzo de 2016.'],
    ['pt', 'Certifica-se que Ana Sousa obteve o grau de especialista em Radiologia em março de 2016.'],
    ['nl', 'Geboortedatum: 12-03-1985\nIngeschreven in het specialistenregister als radioloog in maart 2016'],
    ['pl', 'Lek. Anna Nowak, urodzona 12.03.1985, uzyskała tytuł specjalisty w marcu 2016 r.'],
    ['numeric', 'Date of board certification: 03/2016\nIssued on 01/07/2021'],
    ['ISO', 'Date of board certification:\n2016-03'],
  ])('gives a month and year (%s) as its period, with no day made up', (_, text) => {
    const r = findBoardCertificationDate(text)!;
    expect(r).toMatchObject({ period: { from: '2016-03-01', to: '2016-03-31' }, precision: 'month', basis: 'certification' });
    expect(r.iso).toBeUndefined();
    expect(r.snippet).toMatch(/2016/);
  });

  it('gives a year alone tied to certification words as the whole year', () => {
    for (const text of ['Specialist title in Radiology obtained in 2016.', 'Date of board certification: 2016', 'Facharzt für Radiologie seit 2016']) {
      expect(findBoardCertificationDate(text)).toMatchObject({ period: { from: '2016-01-01', to: '2016-12-31' }, precision: 'year' });
    }
  });

  it('keeps a full date first, and full dates as before', () => {
    const r = findBoardCertificationDate('Board examination passed on 14.06.2019 (session of June 2019).')!;
    expect(r).toMatchObject({ iso: '2019-06-14', period: { from: '2019-06-14', to: '2019-06-14' }, precision: 'day' });
  });

  it('prefers a month tied to certification words over an issue date', () => {
    expect(findBoardCertificationDate('Specialist registration: March 2016\nIssued on 12.04.2021')).toMatchObject({
      precision: 'month',
      period: { from: '2016-03-01' },
    });
  });

  it('falls back to an issue month when nothing else is dated', () => {
    expect(findBoardCertificationDate('Dr Anna Rossi, radiologist.\nIssued in June 2019')).toMatchObject({
      precision: 'month',
      basis: 'issue',
      period: { from: '2019-06-01', to: '2019-06-30' },
    });
  });

  it.each([
    ['a training period in months', 'Specialist training from 10/2011 to 09/2016.'],
    ['a training period in years', 'Specialist training 2011 - 2016'],
    ['the year of a regulation', 'According to the examination regulations of 2006 the candidate passed.'],
    ['the year of a law', 'Specialist title under Law 2005'],
    ['a year after its words', 'Weiterbildungsordnung 2006, Facharztprüfung bestanden.'],
    ['a year with no certification words', 'Anna Rossi\nRadiology\n2016'],
    ['a birth month', 'born in March 1985'],
  ])('reads no date from %s', (_, text) => {
    expect(findBoardCertificationDate(text)).toBeUndefined();
  });
});

describe('findBoardCertificationDate: Nordic registers and laws', () => {
  it('takes a Norwegian specialist approval’s date, not its birth date, decision date or the regulation it cites', () => {
    const text = [
      'Helsedirektoratet – Helsepersonellregisteret (HPR)',
      'Spesialistgodkjenning',
      'Navn            Kari Nordmann',
      'Fødselsdato     30.10.1989',
      'Spesialitet     Radiologi',
      'Godkjent fra    15.01.2020',
      'jf. spesialistforskriften av 8. desember 2016 nr. 1482',
      'Vedtaksdato     02.03.2021',
    ].join('\n');
    expect(findBoardCertificationDate(text)?.iso).toBe('2020-01-15');
  });

  it('never takes the date of a Swedish or Danish regulation', () => {
    const sv = 'Bevis om specialistkompetens som läkare\nenligt förordningen av den 12 maj 2015\nSpecialitet: Radiologi';
    expect(findBoardCertificationDate(sv)?.iso).not.toBe('2015-05-12');
    const da = 'Tilladelse til at betegne sig som speciallæge i radiologi\njf. bekendtgørelse af 3. juni 2014\nDato: 01.09.2019';
    expect(findBoardCertificationDate(da)?.iso).toBe('2019-09-01');
    // As OCR reads a scan of it, one letter of the decree's name misread: still the decree's date.
    const scanned = 'SPECIALLÆGE\ntilladelse til at betegne sig som speciallæge i\nRADIOLOGI\njf. bekendtggrelse nf. 96 af 13. februar 2015 om uddannelse af speciallæger.\nKgbenhavn, den 11. marts 2019';
    expect(findBoardCertificationDate(scanned)?.iso).toBe('2019-03-11');
    // Not a word that only shares its length with a law's name.
    expect(findBoardCertificationDate('Speciallæge i radiologi\nuddannelsesbevis af 13. februar 2019')?.iso).toBe('2019-02-13');
  });

  it('takes an Albanian specialist diploma\'s title date, not the law it cites', () => {
    const text = [
      'DIPLOMË SPECIALIZIMI',
      'Datëlindja: 23.03.1987',
      'përfundoi me sukses studimet pasuniversitare dhe fitoi titullin Mjek Specialist në „Radiologji"',
      'Titulli u fitua më: 05.11.2019',
      'Data e lëshimit: 05.11.2019',
      'Ligji nr. 10107, datë 30.03.2009 "Për kujdesin shëndetësor"',
    ].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-11-05', basis: 'certification' });
  });
});

describe('findBoardCertificationDate: "since" names nothing of its own', () => {
  it("takes an Italian certificate's specialisation date, not the registration its 'dal' continues", () => {
    const text = [
      "CERTIFICATO DI ISCRIZIONE ALL'ALBO E DI SPECIALIZZAZIONE",
      'Si certifica che il Dott./la Dott.ssa Test Example, nato/a a Bologna il 17/04/1988,',
      "iscritto/a all'Albo dei Medici Chirurghi dal 14/03/2014 al n. 00000, ha conseguito il",
      'diploma di specializzazione in Radiodiagnostica ai sensi del D.Lgs. 17 agosto 1999, n.',
      '368 e del D.I. 4 febbraio 2015, n. 68, in data 8 novembre 2019.',
      'Bologna, 22/02/2021',
    ].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-11-08', basis: 'certification' });
  });

  it("still reads a specialist's 'dal' as the specialist title's date", () => {
    expect(findBoardCertificationDate('Specialista in radiodiagnostica dal 14/03/2019.')).toMatchObject({ iso: '2019-03-14', basis: 'certification' });
  });
});

describe('findBoardCertificationDate: a law amended, a doctor registered', () => {
  it("never takes the date of a law's amended version ('in der Fassung vom')", () => {
    const text = [
      'URKUNDE',
      'geboren am 03.09.1987 in Münster',
      'hat nach der Weiterbildungsordnung vom 09.04.2005 in der Fassung vom',
      '01.07.2011 die Weiterbildung erfolgreich abgeschlossen und die Prüfung bestanden.',
      'Münster, den 01.04.2019',
    ].join('\n');
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-04-01');
  });

  it("never takes the date of an order given with its '№' number, wrapped over two lines (UA)", () => {
    const text = [
      'СЕРТИФІКАТ ЛІКАРЯ-СПЕЦІАЛІСТА',
      'дата народження 03.11.1988',
      'Рішенням атестаційної комісії від 26 червня 2019 р. (протокол № 14) після',
      'закінчення навчання в інтернатурі присвоєно звання лікаря-спеціаліста за спеціальністю «РАДІОЛОГІЯ»',
      'Відповідно до Положення про проведення атестації лікарів, затвердженого наказом МОЗ',
      'України від 22.07.1993 № 166.',
    ].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-26', basis: 'certification' });
  });

  it("reads a Czech 'vykonala dne' as the examination, through OCR's cent sign for 'č'", () => {
    const text = 'DIPLOM O SPECIALIZACI\nMUDr. Test Example, narozena 12. 6. 1988,\nvykonala dne 10. ¢ervna 2020 atestační zkoušku\nV Praze dne 29. 6. 2020';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2020-06-10', basis: 'certification' });
  });

  it("takes a licence's issue for the doctor's, not the title's (SE 'Legitimation som läkare utfärdad')", () => {
    const text = 'BEVIS om specialistkompetens som läkare\nSpecialitet: Radiologi\nBeslutsdatum: 2018-04-16\nLegitimation som läkare utfärdad: 2013-08-20';
    expect(findBoardCertificationDate(text)?.iso).toBe('2018-04-16');
  });

  it("takes the licensed doctor's date for the doctor's (SE 'legitimerad läkare sedan'), and the title's 'från och med'", () => {
    const text = 'Socialstyrelsen\nBEVIS OM SPECIALISTKOMPETENS\nSocialstyrelsen intygar att Test Example, personnummer 19861218-0000,\nlegitimerad läkare sedan 2014-07-13, har specialistkompetens i RADIOLOGI från och med\n2019-10-01.\nBeslutsdatum 2019-10-05';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-10-01');
    // Without "sedan" the licensed doctor is only the holder's description: the date after it is the title's.
    const granted = 'SOCIALSTYRELSEN\nBEVIS\nom specialistkompetens\nTest Example, legitimerad läkare, har 2016-11-15 beviljats bevis om specialistkompetens i\nRadiologi\nStockholm 2021-02-05';
    expect(findBoardCertificationDate(granted)?.iso).toBe('2016-11-15');
  });

  it("dates what a granting verb's clause names: 'Approbation erteilt am' is the licence's, 'Anerkennung … erteilt am' the title's (DE)", () => {
    const text = 'Ärztekammer Example\nURKUNDE\nüber die Anerkennung zum Führen der Facharztbezeichnung\nHerrn Test Example, geboren am 25.04.1987, wird aufgrund der bestandenen\nPrüfung vom 09.08.2019 nach der Weiterbildungsordnung vom 26.03.2005 die\nAnerkennung erteilt, die Bezeichnung\nFacharzt für Radiologie\nzu führen. Approbation erteilt am 25.07.2014.\nAusgestellt am 28.08.2019';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-08-09');
    expect(findBoardCertificationDate('Anerkennung als Facharzt für Radiologie erteilt am 03.05.2019.\nApprobation erteilt am 25.07.2012.')?.iso).toBe('2019-05-03');
    expect(findBoardCertificationDate('Specialist title in radiology granted on 3 May 2019. Licence to practise granted on 25 July 2012.')?.iso).toBe('2019-05-03');
  });

  it("takes a regulation's date for the regulation's when the law's name follows it (EE 'ministri 19.11.2013 määrusele')", () => {
    const text = 'TARTU ÜLIKOOL\nRESIDENTUURI LÕPETAMISE TUNNISTUS\nTest Example\non 5. juuni 2020 lõpetanud residentuuri ja sooritanud eksami erialal\nRADIOLOOGIA\nVastavalt sotsiaalministri 19.11.2013 määrusele nr 38 „Residentuuri läbiviimise tingimused ja kord”.\nTartu, 11. juuli 2020';
    expect(findBoardCertificationDate(text)?.iso).toBe('2020-06-05');
  });

  it("takes 'a Diplomate as of' for the title's date and a licence by its number for the doctor's (PH)", () => {
    const text = 'PHILIPPINE COLLEGE OF RADIOLOGY\nCertificate of Diplomate in Radiology\nDr. Test Example passed the specialty board examination and is a Diplomate as\nof 12 April 2019. PRC licence no. 0067460 issued 08/11/2012.';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-04-12', basis: 'certification' });
    expect(findBoardCertificationDate('Register of specialists\nStatus as of 10.03.2021\nSpecialist in radiology\nRegistered 14.05.2019')?.iso).toBe('2019-05-14');
  });

  it("takes a regulation's date for the regulation's when its author's name wraps before 'vom' (DE Weiterbildungsordnung der Ärztekammer)", () => {
    const text = 'Ärztekammer Nordrhein\nURKUNDE\nFrau Test Example, geboren am 14.08.1988 in Freiburg,\nhat am 27.11.2018 die Prüfung nach der Weiterbildungsordnung der Ärztekammer\nNordrhein vom 01.10.2014 bestanden\nund ist berechtigt, die Bezeichnung\nFachärztin für Radiologie\nzu führen.\nDüsseldorf, den 11.12.2018';
    expect(findBoardCertificationDate(text)?.iso).toBe('2018-11-27');
  });

  it("takes the Swiss Medical Professions Act's date (MedBG) for the act's, not the title's", () => {
    const text = 'FMH\nFacharzttitel\nHerr Test Example, geboren am 20.02.1988, von Zürich,\nwird mit Wirkung ab 01.12.2019 der eidgenössische Weiterbildungstitel\nFacharzt für Radiologie erteilt (Art. 5 MedBG vom 23. Juni 2006).\nBern, 11.01.2020';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-12-01');
  });

  it("takes the Finnish specialist degree's date, not the basic degree's it names (FI 'lääketieteen lisensiaatin tutkinto')", () => {
    const text = 'ERIKOISLÄÄKÄRIN TUTKINTOTODISTUS\non suorittanut 15.05.2019 erikoislääkärin tutkinnon erikoisalalla RADIOLOGIA\nTutkintoon sisältyy lääketieteen lisensiaatin tutkinto (LL), suoritettu 30.6.2012.\nHelsingissä 04.06.2019';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-05-15', basis: 'certification' });
  });

  it("takes the authority's decision date (SE 'Beslutsdatum') over the place and date it was signed", () => {
    const text = 'BEVIS OM SPECIALISTKOMPETENS\nhar fått bevis om specialistkompetens inom\nMEDICINSK RADIOLOGI\nBeslutsdatum: 2018-09-14\n(HSLF-FS 2015:8)\nStockholm 2018-10-06';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2018-09-14', basis: 'certification' });
  });

  it("does not read the next sentence's words as the words of a date ('Training commenced … 2013. Registered in the Specialist Division')", () => {
    const text = 'Certificate of Satisfactory Completion of Specialist Training\nand is awarded this certificate with effect from 3 April 2018.\nTraining commenced 29 April 2013. Registered in the Specialist Division of the Register.';
    expect(findBoardCertificationDate(text)?.iso).toBe('2018-04-03');
  });

  it("takes a field that names the specialist title's date over the examination session above it (RO)", () => {
    const text = [
      'CERTIFICAT DE MEDIC SPECIALIST',
      'a promovat examenul de medic specialist în sesiunea 5 martie 2018 și a fost confirmată medic specialist',
      'Data confirmării ca medic specialist: 09.04.2018',
      'Eliberat la data de 23.06.2018',
    ].join('\n');
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2018-04-09', basis: 'certification' });
    // An issue date after the examination is no such field: the examination stays, the issue beside it.
    const issued = 'a promovat examenul de medic specialist în sesiunea 5 martie 2018\nEliberat la data de 09.04.2018';
    expect(findBoardCertificationDate(issued)).toMatchObject({ iso: '2018-03-05', issuedLater: { iso: '2018-04-09' } });
  });

  it("reads a Portuguese doctor's registration with the Ordem ('inscrito na Ordem dos Médicos desde') as a registration", () => {
    const text = 'nascido em 08/11/1988, inscrito na Ordem dos Médicos desde 12-01-2013, obteve o título de\nEspecialista em Radiologia, por deliberação do Conselho Nacional de 3 março 2020.';
    expect(findBoardCertificationDate(text)?.iso).toBe('2020-03-03');
  });
});

describe('findBoardCertificationDate: a sentence that goes on below the date', () => {
  it('reads "on 03.07.2020 he / successfully passed" as the examination, not as a date with no words', () => {
    const text = 'Issued to Test Example (born 09.05.1988), certifying that on 03.07.2020 he\nsuccessfully passed the qualification examination in the speciality RADIOLOGY.';
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2020-07-03', basis: 'certification' });
  });

  it("does not give a date at a line's end the label that opens the next line", () => {
    const text = 'Date of birth\n01.01.1980\nExamination passed on 02.02.2019';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-02-02');
  });
});
