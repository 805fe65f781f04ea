import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readMail } from '../../../adapters/mail-reader';
import { detectMachineMail, isNoReplyAddress } from '../../../core/mail-kind';
import type { MachineMailPatterns, MailHeaders, ReadMail } from '../../../core/mail-kind';

const RULES_FILE = path.join(__dirname, '../../../rules/mail.yaml');
const FIXTURES = path.join(__dirname, '../../fixtures/mail');

/** The real loader (zod) lives elsewhere; here the snake_case keys are mapped by hand. */
function loadRules(): { patterns: MachineMailPatterns; raw: Record<string, Record<string, string[]>>; kind: unknown } {
  const { kind, ...raw } = parse(readFileSync(RULES_FILE, 'utf8')) as { kind?: unknown } & Record<string, Record<string, string[]>>;
  const machine = raw.machine_mail ?? {};
  return {
    raw,
    kind,
    patterns: {
      outOfOfficeSubjects: machine.out_of_office_subjects ?? [],
      bounceSubjects: machine.bounce_subjects ?? [],
      machineSenders: machine.machine_senders ?? [],
      noReplySenders: machine.no_reply_senders ?? [],
    },
  };
}

const { patterns, raw: rawRules, kind: rulesKind } = loadRules();

type MailLike = Pick<ReadMail, 'subject' | 'from' | 'headers'>;

function makeMail(overrides: { subject?: string; email?: string; headers?: MailHeaders } = {}): MailLike {
  return {
    subject: overrides.subject ?? 'Application ESOR fellowship',
    from: { email: overrides.email ?? 'marta.exempla@example.it', name: 'Marta Exempla' },
    headers: overrides.headers ?? {},
  };
}

describe('rules/mail.yaml', () => {
  test('has exactly the agreed shape: snake_case keys, non-empty string lists', () => {
    // The rules loader tells rule files apart by `kind`.
    expect(rulesKind).toBe('mail');
    expect(Object.keys(rawRules).sort()).toEqual(['application_hints', 'machine_mail']);
    expect(Object.keys(rawRules.machine_mail ?? {}).sort()).toEqual([
      'bounce_subjects',
      'machine_senders',
      'no_reply_senders',
      'out_of_office_subjects',
    ]);
    expect(Object.keys(rawRules.application_hints ?? {}).sort()).toEqual(['application_words', 'attachment_words', 'nothing_attached_phrases', 'question_phrases', 'referee_phrases', 'replacement_phrases', 'submission_phrases', 'to_follow_phrases']);
    for (const group of Object.values(rawRules)) {
      for (const list of Object.values(group)) {
        expect(Array.isArray(list)).toBe(true);
        expect(list.length).toBeGreaterThan(0);
        for (const item of list) expect(typeof item === 'string' && item.trim() !== '').toBe(true);
        // A duplicate is harmless to matching but a sign of a copy-paste slip in a hand-edited file.
        expect(new Set(list.map((item) => item.toLowerCase())).size).toBe(list.length);
      }
    }
  });

  test('carries the phrases the brief names', () => {
    const subjects = [...patterns.outOfOfficeSubjects, ...patterns.bounceSubjects];
    for (const phrase of [
      'Out of Office', 'Automatic reply', 'Réponse automatique', 'Absence du bureau', 'Abwesenheitsnotiz',
      'Automatische Antwort', 'Risposta automatica', 'Fuori sede', 'Respuesta automática', 'Fuera de la oficina',
      'Resposta automática', 'Ausente', 'Afwezig', 'Automatisch antwoord', 'Odpowiedź automatyczna', 'Poza biurem',
      'Αυτόματη απάντηση', 'Răspuns automat', 'Undeliverable', 'Delivery Status Notification (Failure)',
      'Mail delivery failed', 'Returned mail', 'Unzustellbar',
    ]) {
      expect(subjects).toContain(phrase);
    }
    expect(patterns.machineSenders).toEqual(expect.arrayContaining(['mailer-daemon', 'postmaster']));
    expect(patterns.noReplySenders).toEqual(expect.arrayContaining(['noreply', 'no-reply', 'donotreply', 'do-not-reply']));
    expect(rawRules.application_hints?.attachment_words).toEqual(
      expect.arrayContaining(['attached', 'enclosed', 'please find', 'ci-joint', 'en pièce jointe', 'anbei', 'im Anhang',
        'allegato', 'in allegato', 'adjunto', 'en anexo', 'anexo', 'em anexo', 'bijgevoegd', 'in de bijlage',
        'w załączniku', 'załącznik']),
    );
    expect(rawRules.application_hints?.application_words).toEqual(
      expect.arrayContaining(['application', 'apply', 'candidature', 'postuler', 'Bewerbung', 'candidatura', 'solicitud',
        'sollicitatie', 'aplikacja', 'zgłoszenie']),
    );
  });
});

describe('detectMachineMail: headers', () => {
  test('an ordinary application is not machine mail', () => {
    expect(detectMachineMail(makeMail(), patterns)).toEqual({ machine: false });
  });

  test.each([
    ['auto-replied', 'Auto-Submitted: auto-replied'],
    ['auto-generated', 'Auto-Submitted: auto-generated'],
    ['auto-notified', 'Auto-Submitted: auto-notified'],
    ['auto-replied; owner-email="x@example.org"', 'Auto-Submitted: auto-replied'],
  ])('Auto-Submitted %s is an auto-reply', (value, reason) => {
    expect(detectMachineMail(makeMail({ headers: { autoSubmitted: value } }), patterns)).toEqual({ machine: true, kind: 'auto_reply', reason });
  });

  test('Auto-Submitted: no is a person', () => {
    expect(detectMachineMail(makeMail({ headers: { autoSubmitted: 'no' } }), patterns).machine).toBe(false);
  });

  test.each([
    ['auto_reply', 'auto_reply'],
    ['junk', 'auto_reply'],
    ['bulk', 'list'],
    ['list', 'list'],
  ])('Precedence: %s is %s', (value, kind) => {
    expect(detectMachineMail(makeMail({ headers: { precedence: value } }), patterns)).toMatchObject({ machine: true, kind });
  });

  test('Precedence: normal (or first-class) is a person', () => {
    expect(detectMachineMail(makeMail({ headers: { precedence: 'normal' } }), patterns).machine).toBe(false);
  });

  test.each<[MailHeaders, string]>([
    [{ xAutoreply: 'yes' }, 'X-Autoreply header'],
    [{ xAutorespond: 'vacation notice' }, 'X-Autorespond header'],
    [{ xAutoResponseSuppress: 'all' }, 'X-Auto-Response-Suppress: all'],
    [{ xAutoResponseSuppress: 'oof' }, 'X-Auto-Response-Suppress: oof'],
    [{ xAutoResponseSuppress: 'dr, autoreply' }, 'X-Auto-Response-Suppress: autoreply'],
  ])('%j is an auto-reply', (headers, reason) => {
    expect(detectMachineMail(makeMail({ headers }), patterns)).toEqual({ machine: true, kind: 'auto_reply', reason });
  });

  test.each<MailHeaders>([{ xAutoreply: 'no' }, { xAutoResponseSuppress: 'dr, rn, nrn' }])(
    '%j is not an auto-reply (Outlook sets these on ordinary mail)',
    (headers) => {
      expect(detectMachineMail(makeMail({ headers }), patterns).machine).toBe(false);
    },
  );

  test('delivery status report is a bounce', () => {
    const verdict = detectMachineMail(makeMail({ headers: { contentType: 'multipart/report; report-type=delivery-status' } }), patterns);
    expect(verdict).toMatchObject({ machine: true, kind: 'bounce' });
  });

  test('read receipt (disposition-notification) is an auto-reply', () => {
    const verdict = detectMachineMail(
      makeMail({ headers: { contentType: 'multipart/report; report-type=disposition-notification' } }),
      patterns,
    );
    expect(verdict).toMatchObject({ machine: true, kind: 'auto_reply' });
  });

  test('a plain multipart/mixed or multipart/report of another type is not a bounce', () => {
    expect(detectMachineMail(makeMail({ headers: { contentType: 'multipart/mixed' } }), patterns).machine).toBe(false);
    expect(detectMachineMail(makeMail({ headers: { contentType: 'multipart/report; report-type=other' } }), patterns).machine).toBe(false);
  });

  test('X-Failed-Recipients is a bounce', () => {
    expect(detectMachineMail(makeMail({ headers: { xFailedRecipients: 'a@example.org' } }), patterns)).toEqual({
      machine: true,
      kind: 'bounce',
      reason: 'X-Failed-Recipients header',
    });
  });

  test('empty Return-Path is machine mail, a real one is not', () => {
    expect(detectMachineMail(makeMail({ headers: { returnPath: '<>' } }), patterns)).toMatchObject({ machine: true, reason: 'empty Return-Path' });
    expect(detectMachineMail(makeMail({ headers: { returnPath: '< >' } }), patterns).machine).toBe(true);
    expect(detectMachineMail(makeMail({ headers: { returnPath: '<marta.exempla@example.it>' } }), patterns).machine).toBe(false);
  });

  test.each(['MAILER-DAEMON@mx.example.org', 'mailer-daemon@example.org', 'postmaster@example.org', 'Mail-Daemon@example.org'])(
    'sender %s is a bounce',
    (email) => {
      expect(detectMachineMail(makeMail({ email }), patterns)).toMatchObject({ machine: true, kind: 'bounce' });
    },
  );

  test('List-Id or List-Unsubscribe is list mail', () => {
    expect(detectMachineMail(makeMail({ headers: { listId: '<news.example.org>' } }), patterns)).toEqual({
      machine: true,
      kind: 'list',
      reason: 'List-Id header',
    });
    expect(detectMachineMail(makeMail({ headers: { listUnsubscribe: '<mailto:u@example.org>' } }), patterns)).toEqual({
      machine: true,
      kind: 'list',
      reason: 'List-Unsubscribe header',
    });
  });

  test('our own loop header is a loop', () => {
    expect(detectMachineMail(makeMail({ headers: { xEsorIntake: 'auto-reply' } }), patterns)).toEqual({
      machine: true,
      kind: 'loop',
      reason: 'X-ESOR-Intake header (our own reply came back)',
    });
  });

  test('X-Loop counts only when it names us: forwarding filters add it to ordinary mail', () => {
    expect(detectMachineMail(makeMail({ headers: { xLoop: 'office@example.org' } }), patterns).machine).toBe(false);
    expect(detectMachineMail(makeMail({ headers: { xLoop: 'esor-intake@example.org' } }), patterns)).toMatchObject({ machine: true, kind: 'loop' });
  });

  test('the strongest signal names the verdict', () => {
    // Our reply bounced back through an auto-responder: still our loop first.
    expect(detectMachineMail(makeMail({ headers: { xEsorIntake: 'auto-reply', autoSubmitted: 'auto-replied' } }), patterns).kind).toBe('loop');
    // Postfix bounces also say Auto-Submitted.
    expect(
      detectMachineMail(makeMail({ headers: { contentType: 'multipart/report; report-type=delivery-status', autoSubmitted: 'auto-replied' } }), patterns).kind,
    ).toBe('bounce');
    // A list's vacation auto-responder is an auto-reply, not list mail.
    expect(detectMachineMail(makeMail({ subject: 'Out of office', headers: { listId: '<l.example.org>' } }), patterns).kind).toBe('auto_reply');
    expect(detectMachineMail(makeMail({ headers: { precedence: 'bulk', autoSubmitted: 'auto-replied' } }), patterns).kind).toBe('auto_reply');
  });

  test('missing sender and odd header values do not throw', () => {
    expect(detectMachineMail({ subject: '', headers: {} }, patterns)).toEqual({ machine: false });
    expect(detectMachineMail({ subject: '', headers: { autoSubmitted: '' } }, patterns)).toEqual({ machine: false });
    expect(detectMachineMail({ subject: '', from: { email: '' }, headers: { contentType: '' } }, patterns)).toEqual({ machine: false });
  });
});

describe('detectMachineMail: subjects', () => {
  test.each([
    'Out of Office: Your ESOR application',
    'Out of the office until 22 March',
    'Automatic reply: Application ESOR fellowship',
    'RE: Automatic reply: Application',
    'Réponse automatique : Votre candidature',
    'REPONSE AUTOMATIQUE: candidature',
    'TR: Réponse automatique : candidature',
    'Absence du bureau jusqu’au 22 mars',
    'Abwesenheitsnotiz: Ihre Bewerbung',
    'AW: Abwesenheitsnotiz: Ihre Bewerbung',
    'Automatische Antwort: Bewerbung',
    'Risposta automatica: candidatura',
    'R: Risposta automatica: candidatura',
    'Fuori sede fino al 22 marzo',
    'Respuesta automática: solicitud',
    'respuesta automatica: solicitud',
    'Fuera de la oficina',
    'Resposta automática: candidatura',
    'Ausente: candidatura',
    'Afwezig: sollicitatie',
    'Automatisch antwoord: sollicitatie',
    'Odpowiedź automatyczna: zgłoszenie',
    'ODPOWIEDZ AUTOMATYCZNA: zgloszenie',
    'Poza biurem do 22 marca',
    'Αυτόματη απάντηση: αίτηση',
    'ΑΥΤΟΜΑΤΗ ΑΠΑΝΤΗΣΗ: αιτηση',
    'Răspuns automat: candidatură',
    'Raspuns automat: candidatura',
    'Candidature ESOR - Réponse automatique',
  ])('"%s" is an out-of-office reply', (subject) => {
    expect(detectMachineMail(makeMail({ subject }), patterns)).toEqual({ machine: true, kind: 'auto_reply', reason: 'out-of-office subject' });
  });

  test.each([
    'Undeliverable: Your ESOR application',
    'Undelivered Mail Returned to Sender',
    'Delivery Status Notification (Failure)',
    'Mail delivery failed: returning message to sender',
    'Returned mail: see transcript for details',
    'Unzustellbar: Ihre Bewerbung',
    'Non remis : Votre candidature',
    'Non recapitabile: candidatura',
    'Onbestelbaar: sollicitatie',
    'Niedostarczalne: zgłoszenie',
  ])('"%s" is a bounce', (subject) => {
    expect(detectMachineMail(makeMail({ subject }), patterns)).toEqual({ machine: true, kind: 'bounce', reason: 'bounce subject' });
  });

  test.each([
    'Application ESOR fellowship',
    'Re: Application ESOR fellowship',
    'Candidatura - documento ausente',
    'Bewerbung, Abwesenheit vom 1. bis 5. März',
    'Absence of a French certificate',
    'Question: is the deadline automatic?',
    '',
  ])('"%s" is written by a person (single words count only at the start)', (subject) => {
    expect(detectMachineMail(makeMail({ subject }), patterns)).toEqual({ machine: false });
  });

  test('reasons never carry the subject or an address', () => {
    const verdicts = [
      detectMachineMail(makeMail({ subject: 'Automatic reply: Marta Exempla' }), patterns),
      detectMachineMail(makeMail({ subject: 'Undeliverable: Marta Exempla' }), patterns),
      detectMachineMail(makeMail({ email: 'postmaster@secret.example.org' }), patterns),
    ];
    for (const verdict of verdicts) expect(verdict.reason).not.toMatch(/Marta|Exempla|secret|@/);
  });
});

describe('isNoReplyAddress', () => {
  test.each([
    'noreply@example.org',
    'no-reply@example.org',
    'No_Reply@example.org',
    'no.reply@example.org',
    'donotreply@example.org',
    'do-not-reply@example.org',
    'DoNotReply@example.org',
    'notifications-noreply@example.org',
    'noreply+abc@example.org',
    'ne-pas-repondre@example.fr',
    'MAILER-DAEMON@example.org',
    'postmaster@example.org',
    '<noreply@example.org>',
  ])('%s is never answered', (email) => {
    expect(isNoReplyAddress(email, patterns)).toBe(true);
  });

  test.each(['marta.exempla@example.it', 'reply.desk@example.org', 'nora@example.org', 'norbert.reply@example.org'])(
    '%s is a person',
    (email) => {
      expect(isNoReplyAddress(email, patterns)).toBe(false);
    },
  );

  test.each(['', '   ', 'not-an-address', '@example.org', 'someone@'])('"%s" has nobody to answer', (email) => {
    expect(isNoReplyAddress(email, patterns)).toBe(true);
  });
});

describe('fixtures end to end: readMail then detectMachineMail', () => {
  test.each<[string, { machine: boolean; kind?: string }]>([
    ['application-pdf.eml', { machine: false }],
    ['octet-stream-pdf.eml', { machine: false }],
    ['binary-octet-stream-pdf.eml', { machine: false }],
    ['x-pdf.eml', { machine: false }],
    ['inline-pdf.eml', { machine: false }],
    ['forwarded-inline-rfc822.eml', { machine: false }],
    ['forwarded-attached-eml.eml', { machine: false }],
    ['rfc2231-filename.eml', { machine: false }],
    ['rfc2047-filename.eml', { machine: false }],
    ['pdf-without-extension.eml', { machine: false }],
    ['nameless-pdf.eml', { machine: false }],
    ['two-pdfs.eml', { machine: false }],
    ['docx-instead.eml', { machine: false }],
    ['zip-attachment.eml', { machine: false }],
    ['scans-instead.eml', { machine: false }],
    ['tnef-winmail.eml', { machine: false }],
    ['renamed-docx-as-pdf.eml', { machine: false }],
    ['question-no-attachment.eml', { machine: false }],
    ['empty.eml', { machine: false }],
    ['headers-only.eml', { machine: false }],
    ['garbage.eml', { machine: false }],
    ['broken-base64.eml', { machine: false }],
    ['truncated-multipart.eml', { machine: false }],
    ['latin1-rfc2047.eml', { machine: false }],
    ['html-only.eml', { machine: false }],
    ['out-of-office-en.eml', { machine: true, kind: 'auto_reply' }],
    ['out-of-office-fr.eml', { machine: true, kind: 'auto_reply' }],
    ['out-of-office-de.eml', { machine: true, kind: 'auto_reply' }],
    ['auto-submitted.eml', { machine: true, kind: 'auto_reply' }],
    ['looped-reply.eml', { machine: true, kind: 'loop' }],
    ['list-mail.eml', { machine: true, kind: 'list' }],
    ['dsn-bounce.eml', { machine: true, kind: 'bounce' }],
  ])('%s -> %j', async (fixture, expected) => {
    const mail = await readMail(readFileSync(path.join(FIXTURES, fixture)));
    expect(detectMachineMail(mail, patterns)).toMatchObject(expected);
  });

  test('the out-of-office fixtures are caught for the reason each was built for', async () => {
    const read = async (name: string) => detectMachineMail(await readMail(readFileSync(path.join(FIXTURES, name))), patterns);
    expect((await read('out-of-office-en.eml')).reason).toBe('Auto-Submitted: auto-replied');
    expect((await read('out-of-office-fr.eml')).reason).toBe('out-of-office subject');
    expect((await read('out-of-office-de.eml')).reason).toBe('out-of-office subject');
    expect((await read('dsn-bounce.eml')).reason).toBe('delivery status report (multipart/report; report-type=delivery-status)');
  });
});
