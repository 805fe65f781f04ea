/**
 * `resubmission` from the mail's own words: a file on the command line has no
 * history, so "please disregard my previous e-mail" is all that says the mail
 * replaces one sent before. Quoted text never counts, and the live service's
 * history, when it knows, gives the one flag. Synthetic mails only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { readPdfPages } from '../../../adapters/pdf-reader';
import { loadRules } from '../../../adapters/rules-loader';
import { ownWords } from '../../../core/mail/own-words';
import { decideStored } from '../../../core/stored/decide-stored';
import type { StoredAnalysis } from '../../../core/stored/stored-analysis';
import type { StoredMail } from '../../../core/stored/stored-mail';
import { analyseDocuments, compileTriageRules, triageApplication } from '../../../core/triage/triage-application';
import type { PageText } from '../../../core/types';

const ROOT = path.resolve(__dirname, '../../..');
const RULES = compileTriageRules(loadRules(path.join(ROOT, 'rules')));
const PROGRAMME = 'Application – ESOR Clinical/Research Fellowship in Hybrid Imaging in Oncology (Gustave Roussy)';

let pages: PageText[];
beforeAll(async () => {
  const parsed = await simpleParser(readFileSync(path.join(ROOT, 'demo', 'applications', '01-complete.eml')));
  pages = await readPdfPages(parsed.attachments.find((a) => a.contentType === 'application/pdf')!.content, 1);
}, 60_000);

function triage(subject: string, text: string) {
  return triageApplication({
    mail: { subject, text, from: { email: 'applicant@example.org', name: 'A. Applicant' }, otherAttachments: [] },
    receivedAt: new Date('2021-03-20T10:00:00Z'),
    pdfs: [{ filename: 'application.pdf', pages }],
  }, RULES).result;
}
const codes = (r: { flags: Array<{ code: string }> }) => r.flags.map((f) => f.code);

describe('ownWords', () => {
  it('cuts a top-posted reply at the quote header, in several mail clients\' languages', () => {
    expect(ownWords('Here it is.\n\nOn Fri, 19 Mar 2021 at 21:03, Office wrote:\n> incomplete')).toBe('Here it is.\n');
    expect(ownWords('Anbei.\n\n-----Ursprüngliche Nachricht-----\nVon: ESOR Office')).toBe('Anbei.\n');
    expect(ownWords('Ci-joint.\n\nDe : ESOR Office <esor@example.org>\nObjet : dossier')).toBe('Ci-joint.\n');
    expect(ownWords('-------- Forwarded Message --------\nFrom: me')).toBe('-------- Forwarded Message --------\nFrom: me');
  });

  it('keeps a bottom-posted reply\'s own words below the quoted lines', () => {
    expect(ownWords('> Your application is incomplete.\n\nHere is the complete PDF.')).toBe('\nHere is the complete PDF.');
  });
});

describe('resubmission from the mail\'s words', () => {
  it.each([
    ['English', `${PROGRAMME} – corrected version`, 'Please disregard my previous e-mail: the attached PDF replaces it completely.'],
    ['Portuguese', PROGRAMME, 'Peço que considerem este e-mail em substituição da candidatura enviada a 10 de março.'],
    ['Italian', `R: ${PROGRAMME}`, 'Vi invio nuovamente la versione corretta della candidatura, che sostituisce la precedente.'],
    ['German', PROGRAMME, 'Diese korrigierte Fassung ersetzt meine Bewerbung vom 10. März.'],
    ['English, one document corrected', `Re: ${PROGRAMME} – corrected CV`, 'The pages of my CV were in the wrong place. Here is the CV again.'],
  ])('%s: flagged as info, the status untouched', (_language, subject, text) => {
    const plain = triage(PROGRAMME, 'Please find attached my application.');
    const again = triage(subject, text);
    expect(codes(plain)).not.toContain('resubmission');
    expect(again.flags.find((f) => f.code === 'resubmission')).toMatchObject({ severity: 'info', evidence: { saidInMail: expect.any(Array) } });
    expect(again.status).toBe(plain.status);
  });

  it('is not raised by words quoted from another mail, nor by sending again a mail that never arrived', () => {
    expect(codes(triage(`Re: ${PROGRAMME}`, 'Please find my application attached.\n\nOn Mon, 8 Mar 2021, Office wrote:\n> please disregard my previous e-mail'))).not.toContain('resubmission');
    expect(codes(triage(`Fwd: ${PROGRAMME}`, 'I forward my application again because my first message bounced.'))).not.toContain('resubmission');
  });

  it('with the live service\'s history, the history\'s flag replaces the wording\'s: one flag, not two', () => {
    const text = 'Please disregard my previous e-mail; this PDF replaces my application.';
    const mail = { subject: PROGRAMME, text, from: { email: 'applicant@example.org' }, headerMessageId: '<r@example.org>', references: [], receivedAt: '2021-03-20T10:00:00.000Z', noReplySender: false, otherAttachments: [], pdfs: [] } as unknown as StoredMail;
    const stored = { pdfs: [{ filename: 'a.pdf', pages }], analysis: analyseDocuments({ pdfs: [{ filename: 'a.pdf', pages }] }, RULES), sectionFiles: [] } as unknown as StoredAnalysis;
    const alone = decideStored(mail, stored, RULES, { earlier: [] });
    expect(alone.flags.filter((f) => f.code === 'resubmission')).toEqual([expect.objectContaining({ evidence: { saidInMail: expect.any(Array) } })]);
    const earlier = [{ id: 'app-1', programme: alone.programme, applicantEmail: 'applicant@example.org', applicantName: null, status: 'incomplete' as const, flags: ['missing_section'], revisionCount: 1 }];
    const known = decideStored(mail, stored, RULES, { earlier: earlier as never });
    expect(known.flags.filter((f) => f.code === 'resubmission')).toEqual([expect.objectContaining({ evidence: { previousStatus: 'incomplete', revisions: 1 } })]);
  });
});
