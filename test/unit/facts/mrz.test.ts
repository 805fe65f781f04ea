import { computeCheckDigit, findPassportExpiry, readPassportMrz } from '../../../core/facts/mrz';

const cd = (s: string): string => String(computeCheckDigit(s));

/** Builds a TD3 passport MRZ (synthetic holder) with correct check digits. */
function makeTd3(opts: { doc?: string; nat?: string; birth?: string; expiry?: string; personal?: string; names?: string } = {}): [string, string] {
  const doc = (opts.doc ?? 'YA1234567').padEnd(9, '<');
  const nat = opts.nat ?? 'ITA';
  const birth = opts.birth ?? '850312';
  const expiry = opts.expiry ?? '290430';
  const personal = (opts.personal ?? '').padEnd(14, '<');
  const personalCheck = /^<+$/.test(personal) ? '<' : cd(personal);
  const names = opts.names ?? 'ROSSI<<ANNA<MARIA';
  const line1 = `P<${nat}${names}`.padEnd(44, '<');
  const body = `${doc}${cd(doc)}${nat}${birth}${cd(birth)}F${expiry}${cd(expiry)}${personal}${personalCheck}`;
  const composite = cd(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [line1, body + composite];
}

/** Builds a TD1 identity-card MRZ with correct check digits. */
function makeTd1(): [string, string, string] {
  const doc = 'CA9876543';
  const line1 = `I<FRA${doc}${cd(doc)}`.padEnd(30, '<');
  const birth = '900101';
  const expiry = '310615';
  const line2start = `${birth}${cd(birth)}M${expiry}${cd(expiry)}FRA`.padEnd(29, '<');
  const composite = cd(line1.slice(5, 30) + line2start.slice(0, 7) + line2start.slice(8, 15) + line2start.slice(18, 29));
  return [line1, line2start + composite, 'MARTIN<<PAUL<<<<<<<<<<<<<<<<<'];
}

describe('computeCheckDigit', () => {
  it('follows ICAO 9303 (weights 7,3,1; < = 0; A = 10)', () => {
    // ICAO 9303 part 3 specimen values.
    expect(computeCheckDigit('L898902C3')).toBe(6);
    expect(computeCheckDigit('740812')).toBe(2);
    expect(computeCheckDigit('120415')).toBe(9);
    expect(computeCheckDigit('<<<')).toBe(0);
  });
});

describe('readPassportMrz', () => {
  it('reads the ICAO specimen passport', () => {
    const text = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
    expect(readPassportMrz(text)).toMatchObject({
      expiry: '2012-04-15',
      nationality: 'UTO',
      birthDate: '1974-08-12',
      valid: true,
      index: 0,
      format: 'TD3',
    });
  });

  it('reads a synthetic Italian passport page with text around it', () => {
    const [l1, l2] = makeTd3();
    const text = `PASSAPORTO / PASSPORT\nCognome / Surname ROSSI\n${l1}\n${l2}\n`;
    const mrz = readPassportMrz(text);
    expect(mrz).toMatchObject({ expiry: '2029-04-30', nationality: 'IT', birthDate: '1985-03-12', valid: true });
    expect(mrz?.index).toBe(text.indexOf('P<ITA'));
  });

  it('tolerates spaces inserted by text extraction', () => {
    const [l1, l2] = makeTd3();
    const spaced = (s: string): string => s.replace(/(.{5})/g, '$1 ');
    expect(readPassportMrz(`${spaced(l1)}\n${spaced(l2)}`)?.valid).toBe(true);
  });

  it('tolerates both lines on one line and guillemets for fillers', () => {
    const [l1, l2] = makeTd3();
    expect(readPassportMrz(`${l1} ${l2}`)?.valid).toBe(true);
    expect(readPassportMrz(`${l1.replace(/</g, '«')}\n${l2.replace(/</g, '«')}`)?.valid).toBe(true);
  });

  it('repairs letter/digit confusions in digit positions when the check digits then pass', () => {
    const [l1, l2] = makeTd3();
    const ocr = l2.slice(0, 13) + l2.slice(13, 19).replace(/0/g, 'O').replace(/1/g, 'I') + l2.slice(19);
    expect(ocr).not.toBe(l2);
    expect(readPassportMrz(`${l1}\n${ocr}`)).toMatchObject({ valid: true, expiry: '2029-04-30' });
  });

  it("repairs the personal number's check digit read as a letter (0 as 'Q')", () => {
    const text = 'P<ESPEXEMPLO<GARCIA<<ANA<<<<<<<<<<<<<<<<<<<<<\nES10223426ESP8812016F2711139<<<<<<<<<<<<<<Q8';
    expect(readPassportMrz(text)).toMatchObject({ valid: true, expiry: '2027-11-13' });
  });

  it('drops a stray mark OCR put inside a zone line ("…<<<<0)2") and lets the check digits judge the rest', () => {
    const [l1, l2] = makeTd3();
    const marked = `${l2.slice(0, 42)})${l2.slice(42)}`;
    expect(readPassportMrz(`${l1}\n${marked}`)).toMatchObject({ valid: true, expiry: '2029-04-30' });
  });

  it('reports a damaged zone as invalid', () => {
    const [l1, l2] = makeTd3();
    const bad = `${l2.slice(0, 43)}${(Number(l2[43]) + 1) % 10}`;
    expect(readPassportMrz(`${l1}\n${bad}`)).toMatchObject({ valid: false, expiry: '2029-04-30' });
  });

  it('maps the German "D" nationality code', () => {
    const [l1, l2] = makeTd3({ nat: 'D<<' });
    expect(readPassportMrz(`${l1}\n${l2}`)?.nationality).toBe('DE');
  });

  it('reads birth years of this century when they fall before the expiry', () => {
    const [l1, l2] = makeTd3({ birth: '050101', expiry: '300101' });
    expect(readPassportMrz(`${l1}\n${l2}`)?.birthDate).toBe('2005-01-01');
  });

  it('reads a TD1 identity card', () => {
    const [a, b, c] = makeTd1();
    expect(readPassportMrz(`CARTE NATIONALE D'IDENTITÉ\n${a}\n${b}\n${c}`)).toMatchObject({
      format: 'TD1',
      expiry: '2031-06-15',
      nationality: 'FR',
      birthDate: '1990-01-01',
      valid: true,
    });
  });

  it('returns undefined without a zone', () => {
    expect(readPassportMrz('Passport\nSurname: ROSSI\nDate of expiry 30 APR 2029')).toBeUndefined();
    expect(readPassportMrz('')).toBeUndefined();
  });
});

describe('findPassportExpiry', () => {
  it('prefers a valid MRZ and never quotes it', () => {
    const [l1, l2] = makeTd3();
    const text = `Date of expiry / Date d'expiration\n30 APR /AVR 2028\n${l1}\n${l2}`;
    const e = findPassportExpiry(text);
    expect(e).toMatchObject({ iso: '2029-04-30', source: 'mrz', snippet: 'MRZ expiry 290430 (check digits valid)' });
    expect(e?.snippet).not.toContain('YA1234567');
    expect(e?.snippet).not.toContain('<');
  });

  it.each([
    ['Greek', 'Ημερ. λήξης / Date of expiry: 10 ΑΥΓ/AUG 2028'],
    ["Greek as OCR's Latin look-alikes", 'Huep. / Date of expiry: 10 AYT/AUG 2028'],
    ['Russian, two-digit year', 'Дата окончания срока действия / Date of expiry\n10 АВГ/AUG 28'],
  ])("reads a bilingual passport's date by its English month (%s)", (_, text) => {
    expect(findPassportExpiry(text)).toMatchObject({ iso: '2028-08-10', source: 'label' });
  });

  it("reads the expiry of a zone line OCR shifted, by the birth date's and the expiry's own check digits", () => {
    const [l1, l2] = makeTd3();
    // A '<' read into the document number, a filler lost: every field off its place, the line still 44 long.
    const shifted = `${l2.slice(0, 9)}<${l2.slice(9, 28)}${l2.slice(29)}`;
    expect(findPassportExpiry(`${l1}\n${shifted}`)).toMatchObject({ iso: '2029-04-30', source: 'mrz', mrzValid: false });
    // With the expiry's check digit wrong, nothing is taken from the zone.
    const wrong = shifted.replace('F2904308', 'F2904305');
    expect(findPassportExpiry(`${l1}\n${wrong}`)).toBeUndefined();
  });

  it("does not take the one date under a shared 'Date of issue / Date of expiry' heading for the expiry", () => {
    const [l1, l2] = makeTd3();
    const bad = `${l2.slice(0, 43)}${(Number(l2[43]) + 1) % 10}`;
    // OCR lost the expiry column ("25JAN18 23"); the zone's own expiry check digit still holds.
    const text = `Date of issue / Date of expiry\n25JAN18 23\n${l1}\n${bad}`;
    expect(findPassportExpiry(text)).toMatchObject({ iso: '2029-04-30', source: 'mrz', mrzValid: false });
    // Both columns read: the later is the expiry, as before.
    expect(findPassportExpiry('Date of issue / Date of expiry\n25 JAN 2018   25 JAN 2028')).toMatchObject({ iso: '2028-01-25', source: 'label' });
  });

  it('falls back to the printed label when the MRZ is invalid', () => {
    const [l1, l2] = makeTd3();
    const bad = `${l2.slice(0, 43)}${(Number(l2[43]) + 1) % 10}`;
    const text = `Passport No. YA1234567\nDate of expiry / Date d'expiration\n30 APR /AVR 2029\n${l1}\n${bad}`;
    const e = findPassportExpiry(text);
    expect(e).toMatchObject({ iso: '2029-04-30', source: 'label' });
    expect(e?.snippet).not.toContain('YA1234567');
  });

  it('reads a printed expiry with a two-digit year (ICAO 9303 visual zone: "14 FEB 29") when the zone is unreadable', () => {
    const text = 'PASSPORT\nDate of birth 02 MAR 87\nDate of issue 25 AUG 20\nDate of expiry 14 FEB 29\nAuthority MINISTRY';
    expect(findPassportExpiry(text)).toMatchObject({ iso: '2029-02-14', source: 'label' });
    expect(findPassportExpiry("Date of expiry / Date d'expiration\n30 APR /AVR 29")).toMatchObject({ iso: '2029-04-30' });
  });

  it('uses the expiry of an otherwise invalid zone when its own check digit passes and no label exists', () => {
    const [l1, l2] = makeTd3();
    const bad = `${l2.slice(0, 43)}${(Number(l2[43]) + 1) % 10}`;
    expect(findPassportExpiry(`${l1}\n${bad}`)).toMatchObject({ iso: '2029-04-30', source: 'mrz', mrzValid: false });
  });

  it.each([
    ['Date of expiry: 30.04.2029', '2029-04-30'],
    ["Date d'expiration\n30 AVR 2029", '2029-04-30'],
    ['Gültig bis / Date of expiry\n30.04.2029', '2029-04-30'],
    ['Data di scadenza 30/04/2029', '2029-04-30'],
    ['Fecha de caducidad: 30/04/2029', '2029-04-30'],
    ['Data de validade\n30 ABR 2029', '2029-04-30'],
    ['Geldig tot 30 APR 2029', '2029-04-30'],
    ['Data ważności / Date of expiry\n30.04.2029', '2029-04-30'],
    ['Ημερομηνία λήξης / Date of expiry\n30 ΑΠΡ 2029 30.04.2029', '2029-04-30'],
    ['Data expirării 30.04.2029', '2029-04-30'],
  ])('reads the label in "%s"', (text, iso) => {
    expect(findPassportExpiry(text)).toMatchObject({ iso, source: 'label' });
  });

  it('takes the latest date when issue and expiry dates share the label row', () => {
    const text = 'Date of issue / Date de délivrance    Date of expiry / Date d\'expiration\n30 APR /AVR 2019    30 APR /AVR 2029';
    expect(findPassportExpiry(text)?.iso).toBe('2029-04-30');
  });

  it('returns undefined when nothing can be read', () => {
    expect(findPassportExpiry('Passport\nDate of birth 12.03.1985')).toBeUndefined();
  });

  it.each([
    ['Date of birth 16 07 1989\nDate of issue 20 08 2016\nDate of expiry 19 08 2021\nAuthority MINISTRY', '2021-08-19'],
    ['Date of issue 22 JAN 19\nDate of expiry 21JAN 29\nAuthority', '2029-01-21'],
  ])('reads spaced digits and a glued day on a date field ("%s")', (text, iso) => {
    expect(findPassportExpiry(text)).toMatchObject({ iso, source: 'label' });
  });

  it('reads a zone whose line OCR ended with a stray mark of another script', () => {
    const [, l2] = makeTd3();
    expect(findPassportExpiry(`Passport\n${l2} ۱`)).toMatchObject({ iso: '2029-04-30', source: 'mrz', mrzValid: true });
  });

  it('takes issue and expiry whole years apart when OCR garbled the labels', () => {
    const text = 'PASSEPORT / PASPOORT\nof bi Date de ance Sex\n21 MAR 1990 F\nNAMUR Date 0! yate de Author\n18 AUG 2017 Liège\nte of Date d xpiratio\n18 AUG 2027';
    expect(findPassportExpiry(text)).toMatchObject({ iso: '2027-08-18', source: 'validity' });
    // The day before the tenth anniversary is as common as the anniversary itself.
    expect(findPassportExpiry('xx\n03 MAY 2019\nzz\n02 MAY 2029')?.iso).toBe('2029-05-02');
  });

  it('takes the latest date of a data page whose labels OCR lost when it follows the one before by a passport\'s life', () => {
    const text = 'PASSPORT : POLAND | Type P Code POL\nAGNIESZKA\n- 28 04 2019 Ministry of Interior\nDate of Date\n12 05 2028';
    expect(findPassportExpiry(text)).toMatchObject({ iso: '2028-05-12', source: 'validity' });
  });

  it('finds no expiry in a birth date and an unrelated date that are not whole years apart', () => {
    expect(findPassportExpiry('born 21 MAR 1990\nprinted 18 AUG 2017')).toBeUndefined();
  });
});
