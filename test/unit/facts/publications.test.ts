import { countPublications, isArticleFirstPage, isJournalPublication } from '../../../core/facts/publications';

// Synthetic references (invented authors and journals' numbers).
const REFS = [
  'Rossi A, Bianchi M, Verdi L, et al. Diffusion-weighted MRI in the staging of rectal cancer: a prospective study. Eur Radiol. 2020;30(4):1234-1242.',
  'Rossi A, Neri P. PET/CT in lymphoma: a pictorial review. Radiology. 2019;290(2):456-463.',
  'Gialli F, Rossi A. Contrast-enhanced mammography: first results in 120 patients. Eur J Radiol. 2018;105:12-19. doi:10.1016/j.ejrad.2018.05.002',
  'Rossi A. Hybrid imaging of neuroendocrine tumours. Insights Imaging. 2021;12:45.',
  'Blu G, Rossi A, Rosa H. Radiomics in breast cancer. Cancers (Basel). 2021;13(5):1001.',
];

/** Wraps a reference at `width` characters, as PDF text extraction does with long lines. */
function wrap(s: string, width = 70): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(' ')) {
    if (line && line.length + w.length + 1 > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

describe('countPublications: numbered lists', () => {
  it.each([
    ['1. ', (i: number) => `${i}. `],
    ['1) ', (i: number) => `${i}) `],
    ['[1] ', (i: number) => `[${i}] `],
    ['(1) ', (i: number) => `(${i}) `],
  ])('counts entries numbered like "%s", wrapped over several lines', (_, marker) => {
    const text = ['List of publications', ...REFS.flatMap((r, i) => wrap(`${marker(i + 1)}${r}`))].join('\n');
    const result = countPublications(text);
    expect(result.count).toBe(5);
    expect(result.entries[0]).toBe(REFS[0]);
    expect(result.entries[2]).toBe(REFS[2]);
  });

  it('counts a descending numbered list', () => {
    const text = REFS.map((r, i) => `${5 - i}. ${r}`).join('\n');
    expect(countPublications(text).count).toBe(5);
  });

  it('does not take a wrapped line starting with a number for an entry', () => {
    const text = [
      '1. Rossi A, Neri P. Low-dose CT in',
      '12 patients with cystic fibrosis. Eur Radiol. 2019;29:1-8.',
      '2. Rossi A. MRI of the knee. Radiology. 2020;295:10-19.',
      '10.1016/j.ejrad.2018.05.002',
    ].join('\n');
    expect(countPublications(text).count).toBe(2);
  });

  it('reads numbers standing alone on their line', () => {
    const text = ['1.', REFS[0], '2.', REFS[1], '3.', REFS[2]].join('\n');
    expect(countPublications(text)).toEqual({ count: 3, entries: REFS.slice(0, 3), repeated: 0 });
  });

  it('counts bare numbers only as a clean sequence', () => {
    const text = REFS.slice(0, 4).map((r, i) => `${i + 1} ${r}`).join('\n');
    expect(countPublications(text).count).toBe(4);
  });
});

describe('countPublications: bulleted lists', () => {
  it.each(['•', '-', '–', '*', '▪', '\uf0b7'])('counts entries bulleted with "%s"', (bullet) => {
    const text = ['Selected publications', ...REFS.flatMap((r) => wrap(`${bullet} ${r}`))].join('\n');
    expect(countPublications(text).count).toBe(5);
  });
});

describe('countPublications: un-numbered entries', () => {
  it('counts a database printout (title — authors year source, "Cited by N"), without its copyright line', () => {
    const text = [
      'Scopus – Author details',
      'Example, Test Example University Hospital Scopus Author ID: 000000000',
      'Documents by author: 3 Citations: 21 h-index: 2',
      'Document title Authors Year Source Cited by',
      'FDG PET-CT versus contrast-enhanced CT for response assessment in metastatic colorectal cancer: a',
      'retrospective cohort — Ferri L, Example T, Moreau J 2017 European Radiology, 20(1), pp. 100-108',
      'Cited by 12',
      'Dual-energy CT iodine quantification as a biomarker of early response in hepatocellular carcinoma —',
      'Keller A, Example T, Dimitriou K 2018 Insights into Imaging, 21(2), pp. 137-145 Cited by 11',
      'Contrast-enhanced mammography versus breast MRI in women with dense breasts — Horvat M,',
      'Example T, Dimitriou K 2019 EJNMMI Research, 24(5), pp. 248-256 Cited by 8',
      'Copyright © 2021 Elsevier B.V. All rights reserved.',
    ].join('\n');
    const r = countPublications(text);
    expect(r.count).toBe(3);
    expect(r.entries[1]).toMatch(/^Dual-energy CT .* Keller A, .* Cited by 11$/);
    expect(r.entries[2]).toMatch(/^Contrast-enhanced mammography .* Horvat M, Example T, .* Cited by 8$/);
  });

  it('counts Vancouver references wrapped over 1-3 lines', () => {
    const text = ['Publikationsliste', ...REFS.flatMap((r) => wrap(r, 60))].join('\n');
    const result = countPublications(text);
    expect(result.count).toBe(5);
    expect(result.entries).toEqual(REFS);
  });

  it('keeps a DOI line and a long author list with their entry', () => {
    const text = [
      'Rossi A, Bianchi M, Verdi L, Neri P, Gialli F, Blu G, Rosa H, Viola I,',
      'Marrone J, Grigio K. Diffusion-weighted MRI in the staging of rectal cancer:',
      'a prospective study. Eur Radiol. 2020;30(4):1234-1242.',
      'doi:10.1007/s00330-019-01234-5',
      'Rossi A, Neri P. PET/CT in lymphoma. Radiology. 2019;290(2):456-463.',
    ].join('\n');
    expect(countPublications(text).count).toBe(2);
  });

  it('counts mixed citation styles (APA, initials first, in press)', () => {
    const text = [
      'Rossi, A., & Bianchi, M. (2020). Title of the article that is long',
      'and wraps. Journal of Imaging, 12(3), 45–67. https://doi.org/10.1000/xyz123',
      'A. Rossi, B. Bianchi, Contrast mammography in dense breasts, Eur. J. Radiol. 2017, 90, 1-8.',
      'Rossi A, Verdi L. Whole-body MRI in myeloma. In press.',
      'ROSSI A, NERI P. Cardiac MRI in athletes. J Cardiovasc Magn Reson 2016; 18: 22.',
    ].join('\n');
    expect(countPublications(text).count).toBe(4);
  });

  it('splits at an author list once the current entry has its year, without a clean ending', () => {
    const text = [
      'Rossi A, Neri P. PET/CT in lymphoma. Radiology 2019, accepted manuscript',
      'Bianchi M, Rossi A. MRI of the liver. Abdom Radiol 2018',
    ].join('\n');
    expect(countPublications(text).count).toBe(2);
  });

  it('does not split at a journal line that follows a title ending with a period', () => {
    const text = [
      'Rossi A, Bianchi M. Diffusion-weighted imaging of the prostate.',
      'Eur J Radiol. 2020;130:109-119.',
      'Neri P, Rossi A. Lung cancer screening with low-dose CT.',
      'J Nucl Med. 2021;62(3):300-310.',
      'Rossi A, Neri P. PET-MR in children.',
      'AJR Am J Roentgenol. 2019;213(1):W1-W9.',
    ].join('\n');
    expect(countPublications(text).count).toBe(3);
  });

  it('uses blank lines between entries', () => {
    const text = ['Rossi A. A study of things', 'in 2019 and later', '', 'Neri P. Another study', 'published 2020'].join('\n');
    expect(countPublications(text).count).toBe(2);
  });

  it('drops headings, introductions and page footers', () => {
    const text = [
      'LIST OF FIVE MOST IMPORTANT PUBLICATIONS',
      'Below are the five publications I consider most relevant to this fellowship application',
      'Original articles:',
      ...REFS.slice(0, 3),
      'Page 1 of 2',
      'Reviews',
      ...REFS.slice(3),
      '- 2 -',
    ].join('\n');
    const result = countPublications(text);
    expect(result.count).toBe(5);
    expect(result.entries).toEqual(REFS);
  });

  it.each([
    'Liste des publications',
    'Elenco delle pubblicazioni',
    'Lista de publicaciones',
    'Lista de publicações',
    'Lijst van publicaties',
    'Wykaz publikacji',
    'Δημοσιεύσεις',
    'Lista publicațiilor',
  ])('does not count the heading "%s"', (heading) => {
    expect(countPublications([heading, REFS[0], REFS[1]].join('\n')).count).toBe(2);
  });

  it('returns 0 for empty or reference-free text', () => {
    expect(countPublications('')).toEqual({ count: 0, entries: [], repeated: 0 });
    expect(countPublications('Publications\nNone yet.')).toEqual({ count: 0, entries: [], repeated: 0 });
  });
});

describe('APA references wrapped over lines', () => {
  it('counts five, though one wrapped line is a bare page number ("88.")', () => {
    const text = [
      'List of the five most relevant publications',
      'Kazlauskienė, R., Jankauskas, A., & Vaitkevičienė, E. (2020). Diffusion-weighted MRI as an',
      'early predictor of response. European Radiology, 30(9), 4921-31.',
      'Vaitkevičienė, E., Kazlauskienė, R., & Jankauskas, A. (2021). Interobserver agreement of',
      'PERCIST and Deauville score. European Journal of Nuclear Medicine, 48(2), 512-20.',
      'Kazlauskienė, R., Jankauskas, A., & Vaitkevičienė, E. (2019). CT texture analysis of',
      'colorectal liver metastases. Insights into Imaging, 10,',
      '88.',
      'Vaitkevičienė, E., Kazlauskienė, R., & Jankauskas, A. (2020). Dual-energy CT iodine',
      'quantification. Abdominal Radiology, 45(3), 799-807.',
      'Kazlauskienė, R., Jankauskas, A., & Vaitkevičienė, E. (2020). Whole-body MRI versus FDG',
      'PET-CT for staging of multiple myeloma. Cancer Imaging, 20, 41.',
    ].join('\n');
    expect(countPublications(text).count).toBe(5);
  });

  it('counts the rows of a table whose first cells are a number and a year', () => {
    const text = [
      'List of the five most important publications',
      '# Year Type Reference',
      '1 2019 [Original article] Ionescu A, Novak P. PSMA PET-CT and recurrence. Insights Imaging. 2019;22:74-95.',
      '2 2019 [Original article] Papadakis N, Moretti L. iRECIST in melanoma. Eur J Nucl Med Mol Imaging. 2019;20:74-90.',
      '3 2018 [Congress abstract] Novak P, Horváth B. Radiomics in breast cancer. ESGAR 2019, Abstract SS 4.9 (conference abstract).',
    ].join('\n');
    expect(countPublications(text).count).toBe(3);
  });
});

describe('a list read off a scan (OCR)', () => {
  // What tesseract makes of "1." … "5." on a grey 110 ppi scan: a specked full stop reads as ":" or ",",
  // and "1." as "L".
  const scanned = (markers: string[]) =>
    REFS.flatMap((r, i) => {
      const [head, ...rest] = wrap(r);
      return [`${markers[i]} ${head}`, ...rest];
    }).join('\n');

  it('counts "2:" and "5," as the markers they were', () => {
    expect(countPublications(scanned(['1.', '2:', '3.', '4.', '5,'])).count).toBe(5);
  });

  it('counts the entry whose "1." was read as "L" when the list goes on from 2', () => {
    const text = `List of the five most important publications\niava\n${scanned(['L', '2.', '3.', '4.', '5.'])}`;
    const { count, entries } = countPublications(text);
    expect(count).toBe(5);
    expect(entries[0]).toMatch(/^Rossi A, Bianchi M/);
  });

  it('counts the entry whose "1." lost its full stop on a scan when the list goes on from 2', () => {
    const { count, entries } = countPublications(`List of the five most relevant publications\n${scanned(['1', '2.', '3.', '4.', '5.'])}`);
    expect(count).toBe(5);
    expect(entries[0]).toMatch(/^Rossi A, Bianchi M/);
  });

  it('does not take a wrapped "12, …" line for a marker out of sequence', () => {
    const text = ['1. Rossi A. PET/CT in lymphoma. Radiology. 2019;290(2):456-', '12, Suppl 3.', '2. Neri P. MRI. Eur Radiol. 2019;29:1-9.'].join('\n');
    expect(countPublications(text).count).toBe(2);
  });

  it('does not take a leading "I" for a lost "1." when the list starts at 1', () => {
    const text = `I Selected Works\n${scanned(['1.', '2.', '3.', '4.', '5.'])}`;
    expect(countPublications(text).count).toBe(5);
  });
});

describe('a list that repeats an article or goes on with other contributions', () => {
  it('counts an article listed twice (online ahead of print, then in print) once', () => {
    const text = [
      'List of the five most important publications',
      ...REFS.slice(0, 3).map((r, i) => `${i + 1}. ${r}`),
      `4. ${REFS[2]!.replace(/ doi:.*$/, '')} [online ahead of print]`,
      `5. ${REFS[3]}`,
    ].join('\n');
    const { count, repeated } = countPublications(text);
    expect(count).toBe(4);
    expect(repeated).toBe(1);
  });

  it('counts two articles of the same authors with different titles twice', () => {
    const text = [`1. ${REFS[0]}`, `2. ${REFS[0]!.replace('Diffusion-weighted MRI in the staging', 'Perfusion CT in the follow-up')}`].join('\n');
    expect(countPublications(text).count).toBe(2);
  });

  it('counts two APA entries of the same authors and year with different titles twice', () => {
    const authors = 'Kazlauskienė, R., Jankauskas, A., Vaitkevičienė, E., & Petrauskas, M. (2020).';
    const text = [`1. ${authors} Diffusion-weighted MRI as an early predictor. European Radiology, 30(9), 4921-31.`, `2. ${authors} CT texture analysis of liver metastases. Insights into Imaging, 11, 88.`].join('\n');
    expect(countPublications(text)).toMatchObject({ count: 2, repeated: 0 });
  });

  it('reads a divider\'s numbered heading ("7 - Publikationen") as a heading, an entry\'s first line not', () => {
    const text = ['7 - Publikationen', ...REFS.map((r, i) => `${i + 1}. ${r}`)].join('\n');
    expect(countPublications(text).count).toBe(5);
    const wrapped = ['1. Novak P. Structured reporting: a review', 'Eur Radiol. 2019;29:1-9.', `2. ${REFS[1]}`].join('\n');
    expect(countPublications(wrapped).count).toBe(2);
  });

  it('closes the last numbered entry at a heading: what follows it is no part of the article', () => {
    const text = [
      ...REFS.map((r, i) => `${i + 1}. ${r}`),
      'Other scientific contributions (not peer-reviewed journal articles)',
      '- Test A, Rossi M. Dual-energy CT iodine maps. Abstract, European Congress of Radiology 2020.',
    ].join('\n');
    const { count, entries } = countPublications(text);
    expect(count).toBe(5);
    expect(entries[4]).toBe(REFS[4]);
  });

  it("counts the numbered list, not the key points of the papers' first pages sent after it", () => {
    const firstPage = (n: number) => [
      `European Journal of Radiology (2021) ${n}:100-109 https://doi.org/10.1007/s00330-020-0700${n}-x`,
      'ORIGINAL ARTICLE', 'Abstract', 'Objectives To assess hybrid imaging.', 'Key Points',
      '• PET/CT detected additional lesions in one fifth of patients.', '• Inter-reader agreement was excellent.',
      'Introduction', 'Accurate staging is the cornerstone of treatment planning.',
    ];
    const text = [...REFS.map((r, i) => `[${i + 1}] ${r}`), ...firstPage(1), ...firstPage(2), ...firstPage(3)].join('\n');
    expect(countPublications(text).count).toBe(5);
  });
});

describe('isJournalPublication (the call: "publications in international peer reviewed journals")', () => {
  it.each([
    'Lindqvist E, Romano S. CT texture analysis. ECR 2021, Poster C-13334. 2018 (conference abstract).',
    'Romano S, Jansen K. PSMA PET-CT. ESGAR 2019 Annual Meeting, Abstract SS 4.7. 2020',
    'Horváth B, Moretti L. iRECIST for pseudoprogression. Submitted to Clin Radiol, 2021.',
    'Visser H. Imaging of the liver. In: Smith J (eds). Abdominal Imaging. Springer; 2019. Book chapter.',
    'Test A. Whole-body MRI in myeloma. Manuscript in preparation.',
    'Gil M, Vidal E. Structured reporting of staging CT in ovarian cancer. medRxiv [preprint]. 2019. doi:10.5555/x.1',
    'Fischer M, Gil M. Hybrid imaging of lymphoma. In: Oncologic Imaging, 2nd ed. (eds. Weber A, Laurent B). Springer; 2020. p. 211-30.',
    'Fischer M. Hybrid imaging of lymphoma. In: Weber A, Laurent B, editors. Oncologic Imaging. Springer; 2020. p. 211-30.',
    'Romero Gil J, Rossi G. 68Ga-DOTATATE PET/CT versus MRI for liver metastases. Electronic poster (EPOS) C-2052, ECR 2019.',
  ])('leaves out "%s"', (entry) => {
    expect(isJournalPublication(entry)).toBe(false);
  });

  it.each([
    'Moretti L, Dubois C. Diffusion-weighted MRI in rectal cancer. AJR Am J Roentgenol. 2017;23:746-9. doi:10.2214/AJR.17.1',
    'Test A, Example B. Dual-energy CT of the pancreas. Eur Radiol. In press.',
    'Test A. Abstract reasoning in radiology education. Insights Imaging. 2020;11:12.',
    'Test A. Reply to the editors. Eur Radiol. 2020;30:1-2.',
  ])('counts "%s"', (entry) => {
    expect(isJournalPublication(entry)).toBe(true);
  });
});

describe('isArticleFirstPage', () => {
  const front = ['European Radiology (2019) 20:100–108', 'https://doi.org/10.9999/example.2019.1', 'ORIGINAL ARTICLE', 'Title of the article', 'Example T., Rossi A.', 'Received: 1 October 2018 / Accepted: 20 January 2019', 'Abstract', 'Objectives To evaluate hybrid imaging.', 'Keywords PET-CT · Oncology', 'Introduction'];

  it('knows an article by its front matter', () => {
    expect(isArticleFirstPage(front.join('\n'))).toBe(true);
  });

  it('is not fooled by a numbered list whose entries carry their abstracts, nor by a page of the article further on', () => {
    const entry = (n: number) => `${n}. Example T, Rossi A. Title ${n}. Eur Radiol. 2019;20(1):100-108. doi:10.9999/x.${n}\nAbstract: Purpose – To compare. Methods – Consecutive patients.`;
    expect(isArticleFirstPage(`List of publications\n${[1, 2, 3].map(entry).join('\n')}`)).toBe(false);
    expect(isArticleFirstPage('Methods\nThis retrospective study included 142 patients [3].\nResults\nSensitivity was 91%.')).toBe(false);
  });
});
