import type { ApplicationView, RevisionView } from '../../../core/ports/store';
import { applicationsCsv, applicationsCsvColumns, BASE_COLUMNS, csvField, pageRange } from '../../../core/export/applications-csv';
import type { TriageResult } from '../../../core/types';

/**
 * A strict RFC 4180 parser: records end with CRLF, a quoted field may hold commas, CRLF and doubled
 * quotes; anything else (a bare quote in an unquoted field, text after a closing quote) throws.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') (field += '"'), (i += 2);
          else {
            i++;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
      if (i === text.length) return rows;
      continue;
    }
    throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
  }
}

const RESULT: TriageResult = {
  status: 'incomplete',
  programme: 'gustave-roussy-hybrid-imaging-2022',
  applicant: { email: 'a.rossi@example.it', name: 'Anna Rossi' },
  receivedAt: '2021-03-12T09:14:00.000Z',
  pdf: { filename: 'Rossi_application.pdf', pages: 23 },
  sections: [
    { id: 'motivation', pages: [1, 2], confidence: 0.97 },
    { id: 'cv', pages: [3, 6], confidence: 0.99 },
    { id: 'other', pages: [7, 7], confidence: 0.5 },
    { id: 'recommendation', pages: [8, 8], confidence: 0.9 },
  ],
  missing: ['passport', 'esr_membership'],
  flags: [
    { code: 'missing_section', severity: 'incomplete', section: 'passport', message: 'No copy of your passport was found.' },
    { code: 'resubmission', severity: 'info', message: 'Second revision.' },
  ],
  facts: {
    boardCertificationDate: '2019-06-14',
    countryOfResidence: 'IT',
    countryOfWork: 'FR',
    languageLevels: { fr: 'B2', en: 'C1', de: 'A2' },
    publicationCount: 5,
    esrMembershipYear: 2021,
    passportExpiry: '2029-04-30',
  },
};

function revision(n: number, result: TriageResult): RevisionView {
  return {
    revision: n,
    messageId: 'f'.repeat(64),
    status: result.status,
    flags: result.flags,
    facts: result.facts,
    sections: result.sections,
    missing: result.missing,
    receivedAt: result.receivedAt ?? '2021-03-12T09:14:00.000Z',
    decidedAt: '2021-03-12T09:15:00.000Z',
    rulesHash: 'rules-1',
    result,
  };
}

function application(over: Partial<ApplicationView> = {}, result: TriageResult = RESULT): ApplicationView {
  const latest = revision(2, result);
  return {
    id: 'app-1',
    programme: result.programme,
    applicantEmail: result.applicant?.email ?? null,
    applicantName: result.applicant?.name ?? null,
    status: result.status,
    flags: result.flags.map((f) => f.code),
    revisionCount: 2,
    reviewedBy: 'clara',
    reviewedAt: '2021-03-13T10:00:00.000Z',
    receivedAt: latest.receivedAt,
    decidedAt: latest.decidedAt,
    createdAt: '2021-03-10T08:00:00.000Z',
    updatedAt: latest.decidedAt,
    latest,
    revisions: [revision(1, { ...result, status: 'incomplete' }), latest],
    ...over,
  };
}

const TITLES = { 'gustave-roussy-hybrid-imaging-2022': 'Clinical/Research Fellowship in Hybrid Imaging in Oncology' };

/** Rows as objects keyed by the header. */
function records(csv: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  return rows.map((r) => {
    expect(r).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((h, i) => [h, r[i]!]));
  });
}

describe('applicationsCsv', () => {
  it('writes a header of stable names and one row per application, the latest revision flattened', () => {
    const csv = applicationsCsv([application()], { programmeTitles: TITLES });
    const [row] = records(csv);
    expect(parseCsv(csv.slice(1))[0]).toEqual(applicationsCsvColumns());
    expect(applicationsCsvColumns()).toEqual([
      ...BASE_COLUMNS,
      'language_en',
      'language_fr',
      'pages_motivation',
      'pages_cv',
      'pages_recommendation',
      'pages_board_certificate',
      'pages_medical_degree',
      'pages_language_certificates',
      'pages_publications',
      'pages_references',
      'pages_esr_membership',
      'pages_passport',
    ]);
    expect(row).toEqual({
      application_id: 'app-1',
      programme: 'gustave-roussy-hybrid-imaging-2022',
      programme_title: 'Clinical/Research Fellowship in Hybrid Imaging in Oncology',
      applicant_name: 'Anna Rossi',
      applicant_email: 'a.rossi@example.it',
      status: 'incomplete',
      received_at: '2021-03-12T09:14:00.000Z',
      decided_at: '2021-03-12T09:15:00.000Z',
      revisions: '2',
      reviewed_by: 'clara',
      reviewed_at: '2021-03-13T10:00:00.000Z',
      flags: 'missing_section;resubmission',
      missing_sections: 'passport;esr_membership',
      country_of_residence: 'IT',
      country_of_work: 'FR',
      board_certification_date: '2019-06-14',
      publication_count: '5',
      esr_membership_year: '2021',
      passport_expiry: '2029-04-30',
      language_levels: 'de:A2;en:C1;fr:B2',
      language_en: 'C1',
      language_fr: 'B2',
      pages_motivation: '1-2',
      pages_cv: '3-6',
      pages_recommendation: '8',
      pages_board_certificate: '',
      pages_medical_degree: '',
      pages_language_certificates: '',
      pages_publications: '',
      pages_references: '',
      pages_esr_membership: '',
      pages_passport: '',
    });
  });

  it('keeps every column when facts, programme and applicant are unknown: empty cells, never missing ones', () => {
    const bare: TriageResult = { ...RESULT, status: 'not_application', programme: null, applicant: null, sections: [], missing: [], flags: [], facts: {} };
    const app = application({ reviewedBy: undefined, reviewedAt: undefined, revisionCount: 1 }, bare);
    const [row] = records(applicationsCsv([app], { programmeTitles: TITLES }));
    expect(Object.keys(row!)).toEqual(applicationsCsvColumns());
    const filled = Object.entries(row!).filter(([, v]) => v !== '').map(([k]) => k);
    expect(filled).toEqual(['application_id', 'status', 'received_at', 'decided_at', 'revisions']);
  });

  it('uses CRLF line ends, a UTF-8 BOM by default and none with bom: false', () => {
    const csv = applicationsCsv([application(), application({ id: 'app-2' })]);
    expect(csv.startsWith('\uFEFFapplication_id,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4); // header, two rows, the empty rest after the last CRLF
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const plain = applicationsCsv([application()], { bom: false });
    expect(plain.startsWith('application_id,')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('quotes fields with a comma, a quote or a line break, doubling quotes, and reads back unchanged', () => {
    const name = 'Rossi, Anna "Annie"\r\nsecond line\nthird';
    const csv = applicationsCsv([application({ applicantName: name })], { bom: false });
    expect(csv).toContain('"Rossi, Anna ""Annie""\r\nsecond line\nthird"');
    expect(records(csv)[0]!.applicant_name).toBe(name);
    expect(records(applicationsCsv([application({ applicantName: 'Zoë Ångström-Ñúñez' })]))[0]!.applicant_name).toBe('Zoë Ångström-Ñúñez');
  });

  it('neutralises spreadsheet formulas: a field starting with = + - @ tab or CR gets a leading apostrophe', () => {
    const attacks = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1'];
    const apps = attacks.map((a, i) => application({ id: `app-${i}`, applicantName: a, applicantEmail: a }));
    const rows = records(applicationsCsv(apps));
    rows.forEach((row, i) => {
      expect(row.applicant_name).toBe(`'${attacks[i]}`);
      expect(row.applicant_email).toBe(`'${attacks[i]}`);
    });
    // Quoting still applies after the apostrophe.
    expect(csvField('=A1,B1')).toBe(`"'=A1,B1"`);
    // Harmless text is left alone, including an inner = or - .
    expect(csvField('Anna-Maria = ok')).toBe('Anna-Maria = ok');
    expect(csvField('2021-03-12')).toBe('2021-03-12');
  });

  it('neutralises full-width formula signs and quotes fields a semicolon-locale spreadsheet would split', () => {
    for (const sign of ['\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']) expect(csvField(`${sign}SUM(A1)`)).toBe(`'${sign}SUM(A1)`);
    // Split at `;`, the second cell would start with `=`: quoted, it stays one cell.
    expect(csvField('Anna;=HYPERLINK("http://evil.example")')).toBe('"Anna;=HYPERLINK(""http://evil.example"")"');
    expect(records(applicationsCsv([application({ applicantName: 'Rossi;=1+1' })]))[0]!.applicant_name).toBe('Rossi;=1+1');
  });

  it('writes only the header for no applications, and the language columns asked for', () => {
    expect(applicationsCsv([], { bom: false })).toBe(applicationsCsvColumns().join(',') + '\r\n');
    const [row] = records(applicationsCsv([application()], { languages: ['de', 'it'] }));
    expect(row).toMatchObject({ language_de: 'A2', language_it: '' });
    expect(row).not.toHaveProperty('language_en');
    expect(() => applicationsCsv([], { languages: ['English'] })).toThrow(/not an ISO 639-1/);
  });

  it('lists each span of a section found twice', () => {
    expect(pageRange([
      { id: 'publications', pages: [10, 12], confidence: 1 },
      { id: 'cv', pages: [3, 4], confidence: 1 },
      { id: 'publications', pages: [15, 15], confidence: 1 },
    ], 'publications')).toBe('10-12;15');
  });
});
