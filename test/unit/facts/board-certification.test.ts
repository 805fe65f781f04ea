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
    ['label above value', 'Certificate\nName: Anna Rossi\nDate of birth:\n12/03/1985\nDate of board certification:\n14/06/2019'],
  ])('reads the %s certificate', (_, text) => {
    expect(findBoardCertificationDate(text)).toMatchObject({ iso: '2019-06-14', basis: 'certification' });
  });

  it('skips training periods and print dates', () => {
    const text = 'Specialist training from 01.10.2014 to 30.09.2019.\nBoard examination passed on 14.06.2019.\nPrinted on 03.03.2021';
    expect(findBoardCertificationDate(text)?.iso).toBe('2019-06-14');
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
    expect(findBoardCertificationDate('Dr Anna Rossi, radiologist.\nMilano, 14 giugno 2019')).toMatchObject({
      iso: '2019-06-14',
      basis: 'issue',
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
});
