/**
 * Turns a plan into attachments: puts the documents in the applicant's order
 * (with their extra pages, swaps and omissions), renders them into one PDF or
 * several, or into what is sent instead of a PDF, and records which page
 * carries which document.
 */
import type { Facts, PageLabel, SectionId } from '../../core/types';
import { SECTION_IDS } from '../../core/types';
import { buildDocx, encodeFlatJpeg, encryptPdf, truncatePdf, writeGarbagePdf, writeHtmlPretendingPdf } from './attachments';
import {
  buildBoardCertificate,
  buildEsrMembershipProof,
  buildLanguageCertificates,
  buildMedicalDegree,
  buildPassportCopy,
} from './certificates';
import {
  buildBlankPage,
  buildCoverPage,
  buildEsorCv,
  buildMotivationLetter,
  buildOtherCv,
  buildPhotoPage,
  buildPublicationList,
  buildRecommendationLetters,
  buildReferenceList,
  buildTableOfContents,
  pickHouseStyle,
  type BuildContext,
  type BuiltDocument,
} from './documents';
import type { MailAttachment } from './mail-writer';
import { asciiFold, fullName } from './people';
import { writeEmptyPdf, writePdf, type Block, type PageStamp, type PdfMeta } from './pdf-writer';
import type { ApplicationPlan } from './plan';
import { encodePng, paintScan } from './raster';
import type { Rng } from './random';

export interface AssembledCase {
  attachments: MailAttachment[];
  /** Per page across all readable PDFs; null when no PDF can be read. */
  pageLabels: PageLabel[] | null;
  imageOnly: boolean[];
  reveals: Facts[];
  cvIsEsor: boolean | null;
  /** Page counts of readable PDF attachments, by attachment index. */
  pdfPages: Map<number, number>;
}

/** The documents in the order the applicant put them in the PDF. */
export function assembleDocuments(rng: Rng, plan: ApplicationPlan): BuiltDocument[] {
  const a = plan.applicant;
  const house = pickHouseStyle(rng.fork('house'), fullName(a.name, true));
  const ctxFor = (label: string): BuildContext => ({ rng: rng.fork(label), plan, house });
  const sections = new Map<SectionId, BuiltDocument>();
  const skip = new Set(plan.omit);
  let authors = [a.head];
  for (const id of SECTION_IDS) {
    if (skip.has(id)) continue;
    const ctx = ctxFor(id);
    switch (id) {
      case 'motivation':
        sections.set(id, buildMotivationLetter(ctx));
        break;
      case 'cv':
        sections.set(id, plan.cv === 'esor' ? buildEsorCv(ctx) : buildOtherCv(ctx));
        break;
      case 'recommendation': {
        const built = buildRecommendationLetters(ctx);
        authors = built.authors;
        sections.set(id, built.document);
        break;
      }
      case 'board_certificate':
        sections.set(id, buildBoardCertificate(ctx));
        break;
      case 'medical_degree':
        sections.set(id, buildMedicalDegree(ctx));
        break;
      case 'language_certificates': {
        const built = buildLanguageCertificates(ctx);
        if (built) sections.set(id, built);
        break;
      }
      case 'publications':
        sections.set(id, buildPublicationList(ctx));
        break;
      case 'references':
        sections.set(id, buildReferenceList(ctx, authors));
        break;
      case 'esr_membership':
        sections.set(id, buildEsrMembershipProof(ctx));
        break;
      case 'passport':
        sections.set(id, buildPassportCopy(ctx));
        break;
    }
  }
  const order = SECTION_IDS.filter((id) => sections.has(id));
  if (plan.swap) {
    const [x, y] = plan.swap.map((id) => order.indexOf(id));
    if (x >= 0 && y >= 0) [order[x], order[y]] = [order[y], order[x]];
  }
  const docs: BuiltDocument[] = [];
  if (plan.extras.cover) docs.push(buildCoverPage(ctxFor('cover')));
  if (plan.extras.toc) docs.push(buildTableOfContents(ctxFor('toc')));
  if (plan.extras.photo === 'start') docs.push(buildPhotoPage(ctxFor('photo')));
  for (const id of order) {
    docs.push(sections.get(id)!);
    if (id === 'cv' && plan.extras.photo === 'after-cv') docs.push(buildPhotoPage(ctxFor('photo')));
    if (id === plan.extras.blankAfter) docs.push(buildBlankPage(ctxFor('blank')));
  }
  return docs;
}

function pickPdfMeta(rng: Rng, plan: ApplicationPlan): PdfMeta {
  const name = fullName(plan.applicant.name, true);
  return {
    title: rng.chance(0.4) ? rng.pick(['Microsoft Word - Application_ESOR.docx', `${name} – application`, 'ESOR application', 'Scan']) : undefined,
    author: rng.chance(0.5) ? name : undefined,
    producer: rng.pick([
      'Microsoft® Word for Microsoft 365',
      'macOS Version 11.2.3 (Build 20D91) Quartz PDFContext',
      'Adobe PDF Library 21.1.71',
      'iLovePDF',
      'PDFsam Basic v4.2.1',
      'LibreOffice 7.0',
      'Skia/PDF m89',
      'GPL Ghostscript 9.53.3',
    ]),
    creator: rng.chance(0.5) ? rng.pick(['Microsoft® Word for Microsoft 365', 'Adobe Acrobat Pro DC 21.1', 'Writer', 'PDF24 Creator']) : undefined,
    created: new Date(plan.receivedAt.getTime() - rng.int(600, 5 * 86400) * 1000),
  };
}

function pickPdfFilename(rng: Rng, plan: ApplicationPlan): string {
  const a = plan.applicant;
  const surname = (rng.chance(0.7) ? asciiFold(a.name.lastLatin) : a.name.lastLatin).replace(/['’]/g, '').replace(/\s+/g, rng.pick(['', '_']));
  const first = asciiFold(a.name.firstLatin).replace(/\s+/g, '');
  const native: Record<string, string> = { it: `Candidatura_${surname}.pdf`, de: `Bewerbung_${surname}.pdf`, fr: `Candidature_${surname}.pdf`, es: `Solicitud_${surname}.pdf` };
  return rng.pickWeighted<string>([
    [`${surname}_application.pdf`, 10],
    [`${surname}_${first}_ESOR_application.pdf`, 3],
    [`ESOR_Application_${surname}.pdf`, 3],
    [`Application_${first[0]}${surname[0]}_2021.pdf`, 1],
    [plan.programme === 'named' ? `${surname}_Hybrid_Imaging_Oncology.pdf` : `${surname}_ESOR.pdf`, 2],
    [native[a.lang] ?? `${surname}_application.pdf`, 2],
    [`Scan_2021${String(plan.receivedAt.getUTCMonth() + 1).padStart(2, '0')}${String(plan.receivedAt.getUTCDate()).padStart(2, '0')}.pdf`, 1],
  ]);
}

const FILE_TAGS: Record<PageLabel, string> = {
  motivation: 'Motivation', cv: 'CV', recommendation: 'Recommendation', board_certificate: 'Board_certificate', medical_degree: 'Diplomas',
  language_certificates: 'Language_certificates', publications: 'Publications', references: 'References', esr_membership: 'ESR', passport: 'Passport', other: 'Cover',
};

/** Splits documents into `files` non-empty runs at document boundaries. */
function splitDocuments(rng: Rng, docs: BuiltDocument[], files: number): BuiltDocument[][] {
  const cuts = rng.sample(Array.from({ length: docs.length - 1 }, (_, i) => i + 1), files - 1).sort((x, y) => x - y);
  const groups: BuiltDocument[][] = [];
  let start = 0;
  for (const cut of [...cuts, docs.length]) {
    groups.push(docs.slice(start, cut));
    start = cut;
  }
  return groups;
}

/** Flattens the text of documents into paragraphs (what a Word version of the application would hold). */
function collectParagraphs(docs: BuiltDocument[]): string[] {
  const out: string[] = [];
  const push = (b: Block) => {
    if (b.t === 'title' || b.t === 'heading' || b.t === 'para') out.push(b.text);
    else if (b.t === 'lines' || b.t === 'list') out.push(...(b.t === 'lines' ? b.lines : b.items));
    else if (b.t === 'field') out.push(`${b.label} ${b.value}`);
    else if (b.t === 'table') out.push(...b.rows.map((r) => r.join('\t')));
  };
  for (const doc of docs) for (const part of doc.spec.parts) if (part.kind === 'text') part.blocks.forEach(push);
  return out;
}

export async function assembleAttachments(rng: Rng, plan: ApplicationPlan): Promise<AssembledCase> {
  const docs = assembleDocuments(rng.fork('documents'), plan);
  const stamp: PageStamp = plan.extras.stamp ? rng.pick(['n-of-total', 'n-of-total', 'name'] as const) : 'none';
  const meta = pickPdfMeta(rng.fork('meta'), plan);
  const reveals = docs.map((d) => d.reveals);
  const cvIsEsor = plan.omit.includes('cv') ? null : plan.cv === 'esor';
  const d = plan.delivery;
  const pdfRng = rng.fork('pdf');
  const base: Omit<AssembledCase, 'attachments'> = { pageLabels: null, imageOnly: [], reveals, cvIsEsor, pdfPages: new Map() };

  if (d.kind === 'single' || d.kind === 'unreadable') {
    const filename = pickPdfFilename(rng.fork('filename'), plan);
    if (d.kind === 'single') {
      const pdf = await writePdf(docs.map((x) => x.spec), meta, pdfRng, stamp);
      return { ...base, attachments: [{ filename, contentType: 'application/pdf', content: Buffer.from(pdf.bytes) }], pageLabels: pdf.pageLabels, imageOnly: pdf.imageOnly, pdfPages: new Map([[0, pdf.pageLabels.length]]) };
    }
    let content: Buffer;
    if (d.variant === 'garbage') content = writeGarbagePdf(pdfRng);
    else if (d.variant === 'html') content = writeHtmlPretendingPdf(pdfRng);
    else if (d.variant === 'empty') content = Buffer.from(await writeEmptyPdf(meta));
    else {
      const pdf = await writePdf(docs.map((x) => x.spec), meta, pdfRng, stamp);
      content = d.variant === 'encrypted' ? encryptPdf(pdf.bytes, `${rng.fork('password').hex(6)}`) : truncatePdf(pdf.bytes, pdfRng);
    }
    return { ...base, reveals: [], attachments: [{ filename, contentType: 'application/pdf', content }] };
  }

  if (d.kind === 'multi') {
    const groups = splitDocuments(rng.fork('split'), docs, Math.min(d.files, docs.length));
    const surname = asciiFold(plan.applicant.name.lastLatin).replace(/\W+/g, '');
    const numbered = rng.chance(0.6);
    const attachments: MailAttachment[] = [];
    const pageLabels: PageLabel[] = [];
    const imageOnly: boolean[] = [];
    const pdfPages = new Map<number, number>();
    for (const [i, group] of groups.entries()) {
      const pdf = await writePdf(group.map((x) => x.spec), meta, pdfRng.fork(`file-${i}`), stamp);
      const labels = [...new Set(group.map((g) => FILE_TAGS[g.spec.label]))];
      const tags = labels.length <= 2 ? labels.join('_') : `${labels[0]}_to_${labels[labels.length - 1]}`;
      attachments.push({ filename: numbered ? `${i + 1}_${tags}.pdf` : `${surname}_part${i + 1}.pdf`, contentType: 'application/pdf', content: Buffer.from(pdf.bytes) });
      pageLabels.push(...pdf.pageLabels);
      imageOnly.push(...pdf.imageOnly);
      pdfPages.set(i, pdf.pageLabels.length);
    }
    return { ...base, attachments, pageLabels, imageOnly, pdfPages };
  }

  if (d.kind === 'no-pdf') {
    const surname = asciiFold(plan.applicant.name.lastLatin).replace(/\W+/g, '');
    const made = plan.receivedAt;
    switch (d.variant) {
      case 'docx':
        return {
          ...base,
          reveals: [],
          attachments: [{ filename: rng.pick([`${surname}_application.docx`, 'Application_ESOR.docx', `CV_${surname}.docx`]), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: buildDocx(collectParagraphs(docs), made) }],
        };
      case 'jpg':
      case 'png': {
        const imgRng = rng.fork('images');
        const count = imgRng.int(2, 5);
        const layouts = ['letter', 'certificate', 'diploma', 'passport', 'membership-card'] as const;
        const attachments = Array.from({ length: count }, (_, i): MailAttachment => {
          const raster = paintScan(imgRng, layouts[i % layouts.length], 420, 594);
          return d.variant === 'jpg'
            ? { filename: `IMG_${2000 + imgRng.int(0, 7999)}.jpg`, contentType: 'image/jpeg', content: encodeFlatJpeg(raster, `phone photo ${i + 1}`) }
            : { filename: `scan_${i + 1}.png`, contentType: 'image/png', content: encodePng(raster) };
        });
        return { ...base, reveals: [], attachments };
      }
      default: // 'nothing' and 'link': the body talks about documents that are not attached
        return { ...base, reveals: [], attachments: [] };
    }
  }
  throw new Error(`assembleAttachments: no attachments for delivery ${d.kind}`);
}
