import { readMembershipYear } from '../../../core/facts/esr-membership';

describe('readMembershipYear', () => {
  it.each([
    ['ESR Membership 2021', 2021],
    ['Full Member — Membership 2021', 2021],
    ['Your membership is valid until 31 December 2021.', 2021],
    ['Valid until: 31/12/2021', 2021],
    ['Membership fee 2021 paid', 2021],
    ['2021 membership fee paid in full', 2021],
    ['Mitgliedschaft 2021', 2021],
    ['Mitgliedsbeitrag 2021 bezahlt', 2021],
    ['Reçu de cotisation 2021', 2021],
    ['Adhésion valable jusqu’au 31/12/2021', 2021],
    ['Quota associativa 2021 pagata', 2021],
    ['Cuota anual 2021', 2021],
    ['Anuidade 2021 paga', 2021],
    ['Contributie 2021 betaald', 2021],
    ['Składka członkowska za rok 2021 opłacona', 2021],
    ['Membership period: 01/01/2021 – 31/12/2021', 2021],
    ['Periodo: dal 01/01/2021 al 31/12/2021', 2021],
    ['Membership year\n2021', 2021],
  ])('reads "%s"', (text, year) => {
    expect(readMembershipYear(text)).toMatchObject({ year, basis: 'validity' });
  });

  it('reads a period that runs from one year into the next as the year it began (the fee of that year)', () => {
    expect(readMembershipYear('EUROPEAN SOCIETY OF RADIOLOGY\nMembership Valid from 01.09.2020 to 31.08.2021\nFee paid 01/09/2020.')?.year).toBe(2020);
    expect(readMembershipYear('ESR membership\nValid from 01.02.2021 to 31.01.2022')?.year).toBe(2021);
    expect(readMembershipYear('Membership period: 01.01.2021 - 31.12.2021')?.year).toBe(2021);
  });

  it('says where a period that ends with the year read begins: a 2022 period does not show the 2021 fee', () => {
    expect(readMembershipYear('ESR RECEIPT\nDate of payment: 02/03/2021\nItem: Full Membership 2022\nMembership period: 01/01/2022 – 31/12/2022.')).toMatchObject({ year: 2022, periodFrom: 2022 });
    expect(readMembershipYear('ESR membership\nValid from 01.01.2020 to 31.12.2022')).toMatchObject({ year: 2022, periodFrom: 2020 });
    // An end date alone ("valid until") says nothing of where it began.
    expect(readMembershipYear('ESR membership\nMembership valid until 31.12.2022')?.periodFrom).toBeUndefined();
  });

  it('reads a membership of several years as its last year: it covers every year in it', () => {
    expect(readMembershipYear('European Society of Radiology\nMembership period: 01.01.2020 – 31.12.2022 (three-year membership, fee settled in full)')?.year).toBe(2022);
    expect(readMembershipYear('ESR membership\nValid from 01.07.2020 to 30.06.2022')?.year).toBe(2022);
  });

  it('ignores "member since" when a validity year exists', () => {
    expect(readMembershipYear('Member since 2014\nMembership valid until 31.12.2021')?.year).toBe(2021);
    expect(readMembershipYear('Membership valid until 31.12.2020. Member since 2022?')?.year).toBe(2020);
  });

  it('ignores the date of birth and the issue date', () => {
    const text = [
      'MyESR — Membership confirmation',
      'Date of birth: 12.03.1985',
      'Date of issue: 15.02.2022',
      'Membership 2021',
    ].join('\n');
    expect(readMembershipYear(text)?.year).toBe(2021);
  });

  it('ignores a printout\'s timestamp that a page title follows', () => {
    const page = '12/03/2021, 11:31 MyESR | Membership\nMy Membership\nMembership year 2020\nStatus Paid (2020)\nValid until 31.12.2020';
    expect(readMembershipYear(page)?.year).toBe(2020);
    expect(readMembershipYear('2021 membership fee paid')?.year).toBe(2021);
  });

  it('returns the latest validity year', () => {
    expect(readMembershipYear('Membership 2020\nMembership 2021')?.year).toBe(2021);
    expect(readMembershipYear('ESR membership fee for 2020/2021')?.year).toBe(2021);
  });

  it('does not read years inside member numbers', () => {
    expect(readMembershipYear('Member ID: 20211234\nMembership valid until 31.12.2020')?.year).toBe(2020);
  });

  it('falls back to the single unlabelled year of a membership letter, and says so', () => {
    expect(readMembershipYear('European Society of Radiology\nDear member,\nVienna, 3 February 2021')).toMatchObject({
      year: 2021,
      basis: 'unlabelled',
    });
  });

  it('returns undefined when only excluded years exist or nothing is said', () => {
    expect(readMembershipYear('Member since 2014\nDate of birth: 12.03.1985')).toBeUndefined();
    expect(readMembershipYear('Dear member, thank you.')).toBeUndefined();
    expect(readMembershipYear('')).toBeUndefined();
  });

  it('gives a snippet and the index of the year', () => {
    const text = 'Receipt\nMembership fee 2021 paid';
    expect(readMembershipYear(text)).toEqual({
      year: 2021,
      snippet: 'Membership fee 2021 paid',
      index: text.indexOf('2021'),
      basis: 'validity',
    });
  });
});

describe('readMembershipYear: the next renewal is not the year covered', () => {
  it.each([
    'Membership period: 01/01/2021 – 31/12/2021\nNext renewal due: 01/01/2022',
    'ESR Full Member 2021\nNext payment: 01/01/2022',
  ])('reads 2021 from "%s"', (text) => {
    expect(readMembershipYear(text)?.year).toBe(2021);
  });

  it.each([
    'Status Expired\nValid from 01.01.2020\nValid until 31.12.2020\nYour membership has expired. Renew now for 2021.',
  ])('an invitation to renew is not the year covered: 2020 from "%s"', (text) => {
    expect(readMembershipYear(text)?.year).toBe(2020);
  });
});

describe('readMembershipYear: a membership not in force yet shows no year', () => {
  it.each([
    'ESR membership application\nDate: 24 March 2021\nYour application for Full Membership has been received.\nYour membership will only become active once the payment of the membership fee has been received. Status: PENDING PAYMENT.',
    'Membership 2021 – Status: unpaid',
    'Adhésion 2021 : en attente de paiement',
  ])('nothing from "%s"', (text) => {
    expect(readMembershipYear(text)).toBeUndefined();
  });

  it('a paid fee still reads', () => {
    expect(readMembershipYear('Membership fee 2021: payment received. Status: active')?.year).toBe(2021);
  });
});
