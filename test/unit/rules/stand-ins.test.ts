/**
 * Documents sent in a required one's place (common.yaml classifier.stand_ins): an identity card where the
 * passport belongs, a references page that says the list is given on request (or lists bare names). Neither is the document the
 * call asks for, and whether it will do is for a person: the writers of the held-out sets judged an identity
 * card one way (passport missing) and the other (for the office to decide). So no verdict goes out by itself,
 * whether the page was read as the document or as none. Synthetic documents only.
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

const ID_CARD = [
  'IDENTITY CARD / CARTA D\'IDENTITA / PERSONALAUSWEIS ITA',
  'Surname: EXAMPLE',
  'Given names: ANNA',
  'Date of birth: 12.03.1988',
  'Nationality: ITALIAN',
  'Valid until: 12.03.2030',
  'I<ITAEXAMPLE<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<<',
  '9024196X11ITA8803125F3003123<<<<<<<<<<<<<<<<<',
].join('\n');
const ON_REQUEST = 'References\nReferences are available upon request.\nI will gladly provide the names and contact details of my referees.';

let mail: { subject: string; text: string };
let pages: PageText[];
let labels: string[];
beforeAll(async () => {
  const parsed = await simpleParser(readFileSync(path.join(ROOT, 'demo', 'applications', '01-complete.eml')));
  mail = { subject: parsed.subject ?? '', text: parsed.text ?? '' };
  pages = await readPdfPages(parsed.attachments.find((a) => a.contentType === 'application/pdf')!.content, 1);
  labels = triageApplication({ receivedAt: null, pdfs: [{ filename: 'a.pdf', pages }] }, RULES).segmentation!.labels;
}, 60_000);

function withSection(id: string, text: string) {
  const replaced = pages.map((p, i) => (labels[i] === id ? { ...p, text, imageOnly: false } : p));
  return triageApplication({
    mail: { ...mail, from: { email: 'applicant@example.org' }, otherAttachments: [] },
    receivedAt: new Date('2021-03-20T10:00:00Z'),
    pdfs: [{ filename: 'application.pdf', pages: replaced }],
  }, RULES).result;
}

describe('a document sent in place of a required one', () => {
  it('the demo application is complete as it is', () => {
    expect(withSection('none', '').status).toBe('complete');
  });

  it('an identity card where the passport belongs: a person decides, with the passport named', () => {
    const r = withSection('passport', ID_CARD);
    expect(r.status).toBe('needs_review');
    expect(r.flags.find((f) => f.code === 'low_confidence')?.section).toBe('passport');
  });

  it('a references page of bare names, nothing to contact them by, is not the list the call asks for: a person decides', () => {
    const r = withSection('references', 'References\nProf. Anna Example\nDr. Ben Sample\nProf. Carla Muster\nDavid Placeholder');
    expect(r.status).toBe('needs_review');
    expect(r.flags.find((f) => f.code === 'low_confidence')?.section).toBe('references');
    // Names with where to reach them are the list.
    const listed = withSection('references', 'References\nProf. Anna Example, Head of Radiology, Example University Hospital, anna.example@example.org\nDr. Ben Sample, ben.sample@example.org, +43 1 234 5678');
    expect(listed.status).toBe('complete');
  });

  it('another society\'s membership certificate where the ESR proof belongs: a person decides; the ESR\'s own is the proof', () => {
    const other = withSection('esr_membership', 'MEMBERSHIP CERTIFICATE\nDr. Anna Example is a member in good standing of the European Association of Example Imaging for the year 2021.\nMember number EAEI-00001');
    expect(other.status).toBe('needs_review');
    expect(other.flags.find((f) => f.code === 'low_confidence')?.section).toBe('esr_membership');
    const own = withSection('esr_membership', 'MEMBERSHIP CERTIFICATE\nDr. Anna Example is a full member of the European Society of Radiology for the year 2021.\nMember number 000001');
    expect(own.status).toBe('complete');
  });

  it('where the board certificate belongs, a declaration that the title is not awarded yet: a person decides', () => {
    const pending = withSection('board_certificate', 'DECLARAÇÃO\nDeclara-se que Ana Exemplo concluiu o Internato Médico de Radiologia em 31 de dezembro de 2020. A homologação da classificação final aguarda publicação, pelo que o título de especialista não foi ainda atribuído pela Ordem dos Médicos.\nPorto, 10 de março de 2021');
    expect(pending.status).toBe('needs_review');
    expect(pending.flags.find((f) => f.code === 'low_confidence')?.section).toBe('board_certificate');
  });

  it('"references available upon request" is not the list of references: a person decides', () => {
    const r = withSection('references', ON_REQUEST);
    expect(r.status).toBe('needs_review');
    expect(r.flags.find((f) => f.code === 'low_confidence')?.section).toBe('references');
  });
});
