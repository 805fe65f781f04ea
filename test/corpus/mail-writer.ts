/**
 * The e-mails around the call: applications (with their attachments) and
 * the things that are not applications (auto-replies, bounces, read
 * receipts, newsletters, questions). Built with nodemailer's MailComposer so
 * the MIME is what a real mail client produces; reports (DSN/MDN) are
 * written by hand because MailComposer has no multipart/report.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DocLang } from './dates';
import { OTHER_PROGRAMMES, nameProgramme } from './documents';
import { asciiFold, fullName } from './people';
import { formatDateHeader, type ApplicationPlan } from './plan';
import type { Rng } from './random';

export const OFFICE_ADDRESS = 'ESOR Office <esor.fellowships@example.org>';
const OFFICE_EMAIL = 'esor.fellowships@example.org';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

function pickMailer(rng: Rng): Record<string, string> {
  return rng.pickWeighted<Record<string, string>>([
    [{}, 4], // webmail: no client header
    [{ 'X-Mailer': 'Microsoft Outlook 16.0' }, 3],
    [{ 'X-Mailer': 'Apple Mail (2.3654.60.0.2.21)' }, 2],
    [{ 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Thunderbird/78.8.1' }, 2],
    [{ 'X-Mailer': 'iPhone Mail (18D52)' }, 1],
  ]);
}

function makeMessageId(rng: Rng, email: string): string {
  const domain = email.split('@')[1] ?? 'example.com';
  return `<${rng.hex(8)}-${rng.hex(4)}-${rng.hex(12)}@${domain}>`;
}

/** Compiles options into raw RFC 5322 bytes, with boundaries fixed by the seed. */
function compileMail(options: ConstructorParameters<typeof MailComposer>[0], rng: Rng): Promise<Buffer> {
  const composer = new MailComposer({ ...options, baseBoundary: rng.hex(16), newline: 'windows' });
  return new Promise((resolve, reject) => {
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message)));
  });
}

function toHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<html><body style="font-family:Calibri,Arial,sans-serif">${text
    .split('\n\n')
    .map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')}</body></html>`;
}

function mentionShort(rng: Rng): string {
  return rng.pick(['Hybrid Imaging in Oncology', 'Gustave Roussy fellowship', 'ESOR fellowship Villejuif', 'ESOR Fellowship – Hybrid Imaging in Oncology (Gustave Roussy)', 'Clinical/Research Fellowship in Hybrid Imaging in Oncology']);
}

function writeSubject(rng: Rng, plan: ApplicationPlan): string {
  const a = plan.applicant;
  const last = a.name.lastLatin;
  if (plan.programme === 'none') return rng.pick(['ESOR fellowship application', `Application – ${fullName(a.name, true)}`, 'Fellowship application 2022/2023', 'Application', `ESOR Exchange Programme – ${last}`]);
  if (plan.programme === 'two') return rng.pick(['ESOR fellowship applications', `Applications ESOR fellowships – ${last}`, 'Application: Hybrid Imaging in Oncology / Musculoskeletal Imaging']);
  const native: Partial<Record<DocLang, string[]>> = {
    it: ['Candidatura ESOR – Hybrid Imaging in Oncology', `Domanda fellowship ESOR Gustave Roussy – ${last}`],
    de: ['Bewerbung ESOR Fellowship Gustave Roussy', `Bewerbung: Hybrid Imaging in Oncology (Villejuif) – ${last}`],
    fr: ['Candidature – fellowship ESOR imagerie hybride (Gustave Roussy)', `Candidature ESOR Villejuif – ${last}`],
    es: ['Solicitud beca ESOR Hybrid Imaging in Oncology', `Solicitud – fellowship ESOR Gustave Roussy – ${last}`],
    pt: ['Candidatura ESOR – Hybrid Imaging in Oncology (Gustave Roussy)'],
    nl: ['Sollicitatie ESOR fellowship Hybrid Imaging in Oncology'],
    pl: ['Aplikacja – ESOR fellowship Hybrid Imaging in Oncology'],
    ro: ['Aplicație ESOR fellowship – Hybrid Imaging in Oncology'],
    el: ['Αίτηση – ESOR fellowship Hybrid Imaging in Oncology'],
  };
  const options = [
    `Application – ${mentionShort(rng)}`,
    `ESOR fellowship application - ${last}`,
    'Application for the Clinical/Research Fellowship in Hybrid Imaging in Oncology, Villejuif',
    `Gustave Roussy fellowship – application ${fullName(a.name, true)}`,
    'ESOR fellowship Villejuif',
    `${last} – ESOR Hybrid Imaging in Oncology 2022`,
    ...(native[plan.mailLang] ?? []),
  ];
  return rng.pick(options);
}

function writeApplicationBody(rng: Rng, plan: ApplicationPlan): string {
  const a = plan.applicant;
  const name = plan.senderName;
  const d = plan.delivery;
  const programme =
    plan.programme === 'named' ? nameProgramme(rng) : plan.programme === 'two' ? `${nameProgramme(rng)} and ${rng.pick(OTHER_PROGRAMMES)}` : rng.pick(['the ESOR fellowship programme', 'an ESOR fellowship', 'the ESOR Exchange Programme for Fellowships 2022/2023']);
  const what =
    d.kind === 'no-pdf' && d.variant === 'link'
      ? `You can download all my documents here: https://transfer.example.com/d/${rng.hex(10)} (the link is valid for 7 days).`
      : d.kind === 'no-pdf' && (d.variant === 'jpg' || d.variant === 'png')
        ? 'Please find attached photos of my application documents.'
        : d.kind === 'no-pdf' && d.variant === 'docx'
          ? rng.pick(['Please find my application attached.', 'Attached is my application (Word document).', 'Please find attached my CV and application documents.'])
          : d.kind === 'multi'
          ? 'Please find my application documents attached in the following files.'
          : rng.pick(['Please find attached my application documents in one PDF file, in the order requested in the call.', 'Attached you will find my complete application as a single PDF.', 'Please find my application attached.', 'I am sending you my application documents attached to this e-mail.']);
  const signature = `${rng.pick(['Kind regards', 'Best regards', 'Sincerely', 'Yours sincerely', 'With kind regards'])},\n${rng.chance(0.5) ? 'Dr. ' : ''}${name}\n${rng.chance(0.6) ? `${a.position}\n${a.institution.en}\n` : ''}${rng.chance(0.4) ? `${a.phone}\n` : ''}`;
  const greeting = rng.pick(['Dear ESOR Office,', 'Dear Sir or Madam,', 'Dear Members of the Evaluation Committee,', 'Dear colleagues,', 'Hello,', 'Dear ESOR team,']);
  const lang = plan.mailLang;
  if (lang === 'en' || plan.programme === 'two') {
    return [greeting, `${rng.pick(['I would like to apply for', 'I am applying for', 'herewith I submit my application for', 'please accept my application for'])} ${programme}.`.replace(/^./, (c) => c.toUpperCase()), what, rng.chance(0.4) ? 'Please do not hesitate to contact me if anything is missing.' : '', signature].filter(Boolean).join('\n\n');
  }
  const named = plan.programme === 'named';
  const topic = named ? rng.pick(['Hybrid Imaging in Oncology', 'Clinical/Research Fellowship in Hybrid Imaging in Oncology', 'Hybrid Imaging']) : 'ESOR';
  const texts: Partial<Record<DocLang, string>> = {
    fr: `Madame, Monsieur,\n\nJe vous prie de trouver ci-joint mon dossier de candidature pour ${named ? `le fellowship « ${topic} » à Gustave Roussy (Villejuif)` : 'une bourse ESOR'}.\n\n${what}\n\nBien cordialement,\n${name}`,
    de: `Sehr geehrte Damen und Herren,\n\nanbei sende ich Ihnen meine Bewerbungsunterlagen für ${named ? `das ESOR-Fellowship „${topic}" am Gustave Roussy in Villejuif` : 'ein ESOR-Fellowship'}.\n\n${what}\n\nMit freundlichen Grüßen\n${name}`,
    it: `Gentili Signori,\n\ncon la presente invio la mia candidatura per ${named ? `il fellowship ESOR "${topic}" presso il Gustave Roussy (Villejuif)` : 'una fellowship ESOR'}.\n\n${what}\n\nCordiali saluti,\n${name}`,
    es: `Estimados señores:\n\nLes envío mi solicitud para ${named ? `el fellowship ESOR "${topic}" en el Gustave Roussy (Villejuif)` : 'una beca ESOR'}.\n\n${what}\n\nUn cordial saludo,\n${name}`,
    pt: `Exmos. Senhores,\n\nEnvio em anexo a minha candidatura ao ${named ? `fellowship ESOR "${topic}" no Gustave Roussy (Villejuif)` : 'programa de fellowships da ESOR'}.\n\n${what}\n\nCom os melhores cumprimentos,\n${name}`,
    nl: `Geachte heer/mevrouw,\n\nHierbij stuur ik mijn sollicitatie voor ${named ? `de ESOR-fellowship "${topic}" in het Gustave Roussy (Villejuif)` : 'een ESOR-fellowship'}.\n\n${what}\n\nMet vriendelijke groet,\n${name}`,
    pl: `Szanowni Państwo,\n\nw załączeniu przesyłam moją aplikację na ${named ? `stypendium ESOR „${topic}" w Gustave Roussy (Villejuif)` : 'stypendium ESOR'}.\n\n${what}\n\nZ poważaniem,\n${name}`,
    el: `Αξιότιμοι κύριοι,\n\nσας αποστέλλω την αίτησή μου για ${named ? `το ESOR fellowship "${topic}" στο Gustave Roussy (Villejuif)` : 'υποτροφία ESOR'}.\n\n${what}\n\nΜε εκτίμηση,\n${name}`,
    ro: `Stimată doamnă, stimate domn,\n\nvă trimit aplicația mea pentru ${named ? `fellowship-ul ESOR „${topic}" de la Gustave Roussy (Villejuif)` : 'o bursă ESOR'}.\n\n${what}\n\nCu stimă,\n${name}`,
  };
  return texts[lang] ?? [greeting, `I am applying for ${programme}.`, what, signature].join('\n\n');
}

export async function composeApplicationMail(rng: Rng, plan: ApplicationPlan, attachments: MailAttachment[]): Promise<Buffer> {
  const a = plan.applicant;
  const text = writeApplicationBody(rng, plan);
  return compileMail(
    {
      from: { name: plan.senderName, address: a.email },
      to: OFFICE_ADDRESS,
      cc: rng.chance(0.08) ? { name: fullName(a.head.name, true), address: a.head.email } : undefined,
      subject: writeSubject(rng, plan),
      date: plan.dateHeader,
      messageId: makeMessageId(rng, a.email),
      text,
      html: rng.chance(0.4) ? toHtml(text) : undefined,
      headers: pickMailer(rng),
      attachments: attachments.map((att) => ({ filename: att.filename, content: att.content, contentType: att.contentType })),
    },
    rng,
  );
}

// ---------------------------------------------------------------------------
// Not applications

const AUTO_REPLY_PREFIX: Record<DocLang, string[]> = {
  en: ['Automatic reply', 'Out of Office', 'Auto-Reply'],
  de: ['Automatische Antwort', 'Abwesenheitsnotiz'],
  fr: ['Réponse automatique', "Absence du bureau"],
  it: ['Risposta automatica', 'Fuori sede'],
  es: ['Respuesta automática', 'Fuera de la oficina'],
  pt: ['Resposta automática'],
  nl: ['Automatisch antwoord', 'Afwezig'],
  pl: ['Automatyczna odpowiedź'],
  el: ['Αυτόματη απάντηση'],
  ro: ['Răspuns automat'],
};

const OFFICE_SUBJECTS = ['ESOR fellowship 2022/2023 – confirmation of receipt', 'Your application – ESOR fellowship Hybrid Imaging in Oncology', 'ESOR Exchange Programme: missing documents', 'Interview invitation – ESOR fellowship Villejuif'];

function writeOutOfOffice(lang: DocLang, until: string, colleague: string): string {
  const texts: Partial<Record<DocLang, string>> = {
    en: `Thank you for your message. I am out of the office until ${until} with limited access to e-mail. For urgent matters please contact ${colleague}.`,
    de: `Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich ${until} nicht im Büro und habe nur eingeschränkten Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an ${colleague}.`,
    fr: `Merci pour votre message. Je suis absente/absent jusqu'au ${until} et je n'ai qu'un accès limité à ma messagerie. En cas d'urgence, merci de contacter ${colleague}.`,
    it: `Grazie per il messaggio. Sono fuori sede fino al ${until} con accesso limitato alla posta elettronica. Per urgenze contattare ${colleague}.`,
    es: `Gracias por su mensaje. Estaré fuera de la oficina hasta el ${until}. Para asuntos urgentes, contacte con ${colleague}.`,
  };
  return texts[lang] ?? texts.en!;
}

export async function composeNotApplicationMail(rng: Rng, plan: ApplicationPlan): Promise<{ raw: Buffer; from: { name: string; email: string } }> {
  const d = plan.delivery;
  if (d.kind !== 'not-application') throw new Error('composeNotApplicationMail needs a not-application plan');
  const a = plan.applicant;
  const date = plan.dateHeader;
  switch (d.variant) {
    case 'out-of-office': {
      const lang = rng.chance(0.5) ? 'en' : a.lang;
      const original = rng.pick(OFFICE_SUBJECTS);
      const until = `${rng.int(2, 28)}/${String(rng.int(1, 5)).padStart(2, '0')}/2021`;
      const headers: Record<string, string> = rng.chance(0.8)
        ? { 'Auto-Submitted': rng.pick(['auto-replied', 'auto-replied', 'auto-generated']), 'X-Auto-Response-Suppress': 'All' }
        : { 'X-Autoreply': 'yes', Precedence: 'auto_reply' };
      const raw = await compileMail(
        {
          from: { name: plan.senderName, address: a.email },
          to: OFFICE_ADDRESS,
          subject: `${rng.pick(AUTO_REPLY_PREFIX[lang])}: ${original}`,
          date,
          messageId: makeMessageId(rng, a.email),
          inReplyTo: `<${rng.hex(12)}@example.org>`,
          text: writeOutOfOffice(lang, until, fullName(a.head.name, true)),
          headers,
        },
        rng,
      );
      return { raw, from: { name: plan.senderName, email: a.email } };
    }
    case 'question': {
      const lang = rng.chance(0.7) ? 'en' : a.lang === 'fr' || a.lang === 'de' || a.lang === 'it' ? a.lang : 'en';
      const q = rng.pick([
        ['Is the deadline for the Villejuif fellowship extended?', 'I would like to know whether the deadline for the Villejuif fellowship (Hybrid Imaging in Oncology) will be extended, as my board certificate will only be issued in April.'],
        ['Question about language requirements – Gustave Roussy fellowship', 'I have a French B1 certificate and I am preparing the B2 exam in May. Can I still apply for the Gustave Roussy fellowship?'],
        ['ESR membership and fellowship application', 'Do I need to pay the ESR membership fee for 2021 before I apply, or can I send the proof later?'],
        ['CV template', 'Where can I find the ESOR CV template? The link on the website does not seem to work.'],
        ['Several programmes?', 'Is it possible to apply for both the Hybrid Imaging in Oncology fellowship and another ESOR programme?'],
      ]);
      const localSubject: Partial<Record<DocLang, string>> = {
        fr: 'Date limite – fellowship Villejuif',
        de: 'Bewerbungsfrist Fellowship Villejuif',
        it: 'Scadenza fellowship Villejuif',
      };
      const body: Partial<Record<DocLang, string>> = {
        fr: `Bonjour,\n\nJe souhaiterais savoir si la date limite de candidature pour le fellowship de Villejuif sera prolongée.\n\nMerci d'avance,\n${plan.senderName}`,
        de: `Sehr geehrte Damen und Herren,\n\nich möchte fragen, ob die Bewerbungsfrist für das Fellowship in Villejuif verlängert wird.\n\nMit freundlichen Grüßen\n${plan.senderName}`,
        it: `Gentili Signori,\n\nvorrei sapere se la scadenza per il fellowship di Villejuif sarà prorogata.\n\nCordiali saluti,\n${plan.senderName}`,
      };
      const raw = await compileMail(
        {
          from: { name: plan.senderName, address: a.email },
          to: OFFICE_ADDRESS,
          subject: localSubject[lang] ?? q[0],
          date,
          messageId: makeMessageId(rng, a.email),
          text: body[lang] ?? `Dear ESOR Office,\n\n${q[1]}\n\nThank you in advance and best regards,\n${plan.senderName}`,
          headers: pickMailer(rng),
        },
        rng,
      );
      return { raw, from: { name: plan.senderName, email: a.email } };
    }
    case 'newsletter': {
      const letter = rng.pick([
        {
          name: 'ESR Newsletter', email: 'newsletter@news.example.org', subject: rng.pick(['ESR Newsletter – March 2021', 'ESOR news: fellowships 2022/2023 open']),
          text: 'ESOR fellowships 2022/2023: applications are open until 31 March 2021. Programmes include Hybrid Imaging in Oncology at Gustave Roussy (Villejuif), Musculoskeletal Imaging in Leuven and many more.\n\nECR 2021 goes virtual: register now.',
        },
        { name: 'ECR 2021', email: 'info@congress.example.org', subject: 'ECR 2021: programme online', text: 'Early-bird registration for ECR 2021 ends soon. Do not miss the hybrid imaging sessions!' },
        { name: 'Radiology Weekly', email: 'digest@radiology-weekly.example.com', subject: 'Your weekly radiology digest', text: 'This week: new ESR guidelines on structured reporting, a webinar on PSMA PET/CT, and the ESOR fellowship programme 2022/2023.' },
      ]);
      const from = { name: letter.name, email: letter.email };
      const text = letter.text;
      const raw = await compileMail(
        {
          from: { name: from.name, address: from.email },
          to: OFFICE_ADDRESS,
          subject: letter.subject,
          date,
          messageId: makeMessageId(rng, from.email),
          text: `${text}\n\nUnsubscribe: https://news.example.org/unsubscribe?u=${rng.hex(12)}`,
          html: toHtml(text),
          headers: {
            'List-Id': `${from.name} <${from.email.replace('@', '.')}>`,
            'List-Unsubscribe': `<https://news.example.org/unsubscribe?u=${rng.hex(12)}>, <mailto:unsubscribe@${from.email.split('@')[1]}>`,
            Precedence: 'bulk',
          },
        },
        rng,
      );
      return { raw, from: { name: from.name, email: from.email } };
    }
    case 'bounce':
      return { raw: writeDsn(rng, plan), from: { name: 'Mail Delivery System', email: 'MAILER-DAEMON@mx1.example.org' } };
    default:
      return { raw: writeMdn(rng, plan), from: { name: plan.senderName, email: a.email } };
  }
}

function crlf(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** A delivery status notification (RFC 3464) for an office mail that bounced. */
function writeDsn(rng: Rng, plan: ApplicationPlan): Buffer {
  const a = plan.applicant;
  const boundary = `${rng.hex(8)}.${rng.int(1600000000, 1619999999)}/mx1.example.org`;
  const recipient = asciiFold(a.email).replace(/@/, `${rng.pick(['', '.old', '1'])}@`);
  const originalId = `<${rng.hex(16)}@example.org>`;
  // Hand-written headers must stay ASCII (no RFC 2047 encoder here).
  const subject = rng.pick(OFFICE_SUBJECTS).replace(/–/g, '-');
  const postfix = rng.chance(0.6);
  return crlf([
    `Return-Path: <>`,
    `Date: ${plan.dateHeader}`,
    `From: ${postfix ? 'MAILER-DAEMON@mx1.example.org (Mail Delivery System)' : 'Microsoft Outlook <postmaster@mx1.example.org>'}`,
    `To: ${OFFICE_EMAIL}`,
    `Subject: ${postfix ? 'Undelivered Mail Returned to Sender' : `Undeliverable: ${subject}`}`,
    `Message-ID: <${rng.hex(12)}.${rng.hex(6)}@mx1.example.org>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    postfix ? 'This is the mail system at host mx1.example.org.' : 'Delivery has failed to these recipients or groups:',
    '',
    postfix ? "I'm sorry to have to inform you that your message could not be delivered to one or more recipients." : recipient,
    '',
    `<${recipient}>: host mx.${recipient.split('@')[1]} said: 550 5.1.1 User unknown (in reply to RCPT TO command)`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx1.example.org',
    `Arrival-Date: ${plan.dateHeader}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`,
    '',
    `--${boundary}`,
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${OFFICE_ADDRESS}`,
    `To: ${recipient}`,
    `Subject: ${subject}`,
    `Message-ID: ${originalId}`,
    `Date: ${plan.dateHeader}`,
    '',
    `--${boundary}--`,
  ]);
}

/** A read receipt (message disposition notification, RFC 8098). */
function writeMdn(rng: Rng, plan: ApplicationPlan): Buffer {
  const a = plan.applicant;
  const boundary = `----=_Part_${rng.int(100000, 999999)}_${rng.hex(8)}`;
  const subject = rng.pick(OFFICE_SUBJECTS).replace(/–/g, '-');
  const prefix = a.lang === 'de' ? 'Gelesen' : a.lang === 'fr' ? 'Lu' : 'Read';
  const encodedFrom = /^[\x20-\x7e]*$/.test(plan.senderName) ? `"${plan.senderName}"` : `=?UTF-8?B?${Buffer.from(plan.senderName).toString('base64')}?=`;
  return crlf([
    `Date: ${plan.dateHeader}`,
    `From: ${encodedFrom} <${a.email}>`,
    `To: ${OFFICE_EMAIL}`,
    `Subject: ${prefix}: ${subject}`,
    `Message-ID: ${makeMessageId(rng, a.email)}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=disposition-notification; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Your message to ${a.email} with subject "${subject}" was displayed on ${formatDateHeader(plan.receivedAt, a.residence.utcOffsetWinter, rng)}.`,
    '',
    `--${boundary}`,
    'Content-Type: message/disposition-notification',
    '',
    'Reporting-UA: Microsoft Outlook 16.0',
    `Final-Recipient: rfc822;${a.email}`,
    `Original-Message-ID: <${rng.hex(16)}@example.org>`,
    'Disposition: manual-action/MDN-sent-manually; displayed',
    '',
    `--${boundary}--`,
  ]);
}
