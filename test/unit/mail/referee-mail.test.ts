/**
 * A referee's mail: the recommendation letter written for a candidate, sent by its writer. It is no
 * application (the candidate applies herself), so it gets no verdict and no reply; staff file the letter.
 * Two writers of held-out sets (y22, cf23) judged such mails so. Synthetic mails only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { loadRules } from '../../../adapters/rules-loader';
import { compileTriageRules, triageApplication } from '../../../core/triage/triage-application';
import type { PageText } from '../../../core/types';

const ROOT = path.resolve(__dirname, '../../..');
const RULES = compileTriageRules(loadRules(path.join(ROOT, 'rules')));

const LETTER: PageText[] = [{
  num: 1,
  imageOnly: false,
  text: [
    'Example University Hospital — Department of Radiology',
    'Letter of recommendation',
    'To the ESOR Fellowship Committee,',
    'It is my pleasure to recommend Dr. Anna Example for the ESOR fellowship in hybrid imaging in oncology.',
    'I have supervised her work in PET-CT and oncologic MRI for three years; she is a careful, motivated radiologist.',
    'I recommend her without reservation.',
    'Sincerely,',
    'Prof. B. Referee, Head of Department',
  ].join('\n'),
}];

let application: PageText[];
beforeAll(async () => {
  const parsed = await simpleParser(readFileSync(path.join(ROOT, 'demo', 'applications', '01-complete.eml')));
  application = await readPdfPages(parsed.attachments.find((a) => a.contentType === 'application/pdf')!.content, 1);
}, 60_000);

function triage(subject: string, text: string, pages: PageText[]) {
  return triageApplication({
    mail: { subject, text, from: { email: 'sender@example.org', name: 'A. Sender' }, otherAttachments: [] },
    receivedAt: new Date('2021-03-20T10:00:00Z'),
    pdfs: [{ filename: 'letter.pdf', pages }],
  }, RULES).result;
}

describe('a referee sending the letter written for a candidate', () => {
  it.each([
    ['English', 'Letter of recommendation for Dr. Anna Example', 'Dear ESOR Office,\nplease find attached my letter of recommendation for Dr. Anna Example, who is applying for the fellowship in hybrid imaging.'],
    ['French', 'Recommandation', 'Madame, Monsieur,\nveuillez trouver ci-joint ma lettre de recommandation pour le Dr Anna Example, qui postule à la bourse.'],
    ['German', 'Empfehlung', 'Sehr geehrte Damen und Herren,\nanbei mein Empfehlungsschreiben für Frau Dr. Example.'],
    ['Italian', 'Lettera di referenza – ESOR fellowship', 'Gentile Segreteria ESOR,\ninvio in allegato la mia lettera di referenza per la dott.ssa Anna Example, candidata al fellowship ESOR in Hybrid Imaging in Oncology.'],
  ])('%s: not an application, no flag, no verdict', (_language, subject, text) => {
    const r = triage(subject, text, LETTER);
    expect(r.status).toBe('not_application');
    expect(r.flags).toEqual([]);
  });

  it('an applicant sending her own letter late is still for a person to place', () => {
    const r = triage('Missing document', 'Dear Office,\nplease find attached the recommendation letter that was missing from my application.', LETTER);
    expect(r.status).toBe('needs_review');
    expect(r.flags.map((f) => f.code)).toContain('pdf_not_recognised');
  });

  it("a referee's words beside a whole application change nothing", () => {
    const plain = triage('Application', 'Please find attached my application.', application);
    const r = triage('Application', 'Please find attached my application, with my letter of recommendation for Dr. Example inside.', application);
    expect(r.status).toBe(plain.status);
    expect(r.status).not.toBe('not_application');
  });
});
