/**
 * A mail saying a document comes later ("the letter of recommendation will follow") while the PDF has a
 * page in that document's place: the mail and the PDF disagree, so the page may be another document
 * standing in (av12: a board certificate's second page taken for the missing letter). A person decides.
 * When the PDF lacks the document, the two agree and the verdict stands. Synthetic mails only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { loadRules } from '../../../adapters/rules-loader';
import { documentsToFollow } from '../../../core/mail/to-follow';
import { compileTriageRules, triageApplication } from '../../../core/triage/triage-application';
import type { PageText } from '../../../core/types';

const ROOT = path.resolve(__dirname, '../../..');
const RULES = compileTriageRules(loadRules(path.join(ROOT, 'rules')));

let mail: { subject: string; text: string };
let pages: PageText[];
beforeAll(async () => {
  const parsed = await simpleParser(readFileSync(path.join(ROOT, 'demo', 'applications', '01-complete.eml')));
  mail = { subject: parsed.subject ?? '', text: parsed.text ?? '' };
  pages = await readPdfPages(parsed.attachments.find((a) => a.contentType === 'application/pdf')!.content, 1);
}, 60_000);

function triage(extra: string, pdfPages: PageText[]) {
  return triageApplication({
    mail: { subject: mail.subject, text: `${mail.text}\n${extra}`, from: { email: 'applicant@example.org' }, otherAttachments: [] },
    receivedAt: new Date('2021-03-20T10:00:00Z'),
    pdfs: [{ filename: 'application.pdf', pages: pdfPages }],
  }, RULES).result;
}

describe('what a mail says will follow', () => {
  it.each([
    ['The letter of recommendation from my head of department will follow next week.', ['recommendation'], 'will follow'],
    ['Die Facharzturkunde reiche ich nach, sobald ich sie erhalten habe.', ['board_certificate', 'medical_degree'], 'reiche ich nach'],
    ['My passport is being renewed, I will send the copy later.', ['passport'], 'is being renewed'],
    ['La lettre de recommandation suivra par courrier séparé.', ['recommendation'], 'suivra'],
  ])('%s', (text, sections, said) => {
    expect(documentsToFollow(text, RULES.toFollow)).toEqual([{ sections, said }]);
  });

  it('reads clause by clause: documents attached beside "the rest will follow" are not to follow', () => {
    expect(documentsToFollow('Attached are my CV and my passport, the remaining documents will follow tomorrow.', RULES.toFollow)).toEqual([]);
  });

  it('the complete demo application is complete without such a sentence', () => {
    expect(triage('', pages).status).toBe('complete');
  });

  it('a page in the place of a document the mail says will follow is for a person', () => {
    const r = triage('The letter of recommendation will follow next week, my head of department is away.', pages);
    expect(r.status).toBe('needs_review');
    const f = r.flags.find((x) => x.code === 'low_confidence')!;
    expect(f.section).toBe('recommendation');
    expect(f.evidence).toMatchObject({ saidInMail: 'will follow' });
  });

  it('the mail agrees with a PDF that lacks the document: incomplete, as without the sentence', () => {
    const scores = triageApplication({ receivedAt: null, pdfs: [{ filename: 'a.pdf', pages }] }, RULES).segmentation!;
    const without = pages.filter((_, i) => scores.labels[i] !== 'recommendation').map((p, i) => ({ ...p, num: i + 1 }));
    const r = triage('The letter of recommendation will follow next week.', without);
    expect(r.status).toBe('incomplete');
    expect(r.missing).toEqual(['recommendation']);
    expect(r.flags.map((f) => f.code)).not.toContain('low_confidence');
  });
});
