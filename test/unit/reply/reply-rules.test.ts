import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { RulesInvalidError, loadRules } from '../../../adapters/rules-loader';
import {
  TEMPLATE_NAMES,
  TEMPLATE_PLACEHOLDERS,
  chooseReply,
  fillTemplate,
  replyRulesSchema,
  type ReplyDecision,
  type TemplateName,
} from '../../../core/reply';
import type { TriageResult } from '../../../core/types';
import {
  RULES,
  RULES_DIR,
  completeResult,
  contextFor,
  incompleteResult,
  ineligibleResult,
  listInternalWords,
  programmeWith,
  reviewResult,
} from './reply-fixtures';

const REPLIES_FILE = path.join(RULES_DIR, 'replies.yaml');
const bundled = () => YAML.parse(readFileSync(REPLIES_FILE, 'utf8')) as Record<string, any>;

function messagesOf(data: unknown): string[] {
  const parsed = replyRulesSchema.safeParse(data);
  if (parsed.success) throw new Error('expected the replies rules to be refused');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('rules/replies.yaml as bundled', () => {
  const results: Record<TemplateName, () => TriageResult> = {
    acknowledgement: completeResult,
    incomplete: incompleteResult,
    ineligible: ineligibleResult,
    receipt: reviewResult,
  };

  it.each(TEMPLATE_NAMES)('renders the %s template with no placeholder left, kind and automatic', (name) => {
    const programme = programmeWith({ needs_review: 'receipt', ineligible: 'send' });
    for (const previous of [undefined, { status: 'incomplete' as const, revision: 1 }]) {
      const decision: ReplyDecision = chooseReply(contextFor(results[name](), { programme, ...(previous ? { previous } : {}) }));
      if (decision.action === 'none') throw new Error(decision.reason);
      expect(decision.template).toBe(name);
      expect(decision.subject).toBe('Re: Application ESOR fellowship Hybrid Imaging');
      expect(decision.text).not.toMatch(/[{}]/);
      expect(decision.text).toMatch(/^Dear Anna Rossi,\n\nThank you for your application/);
      expect(decision.text).toContain('This is an automatic message');
      expect(decision.text).toContain('The ESOR Office');
      expect(decision.text).not.toMatch(/\n{3,}/);
      for (const word of listInternalWords()) expect(decision.text).not.toMatch(new RegExp(`\\b${word}\\b`));
    }
  });

  it('every template renders with every placeholder filled, and with every optional one empty', () => {
    const full = Object.fromEntries(TEMPLATE_PLACEHOLDERS.map((p) => [p, `<${p}>`]));
    for (const name of TEMPLATE_NAMES) {
      const { subject, body } = RULES.replies.templates[name];
      for (const text of [subject, body]) {
        const filled = fillTemplate(text, full);
        expect(filled).not.toMatch(/\{[a-z_]+\}/);
      }
      const sparse = { ...full, received_date: undefined, pdf_filename: undefined, page_count: undefined, earlier_application: undefined };
      const filled = fillTemplate(body, sparse);
      expect(filled).toContain('Dear <applicant_name>,');
      expect(filled).not.toMatch(/\{|\n{3,}/);
    }
  });

  it('asks, in the incomplete reply, for ONE new e-mail with ONE complete PDF in order before the deadline', () => {
    const body = RULES.replies.templates.incomplete.body;
    expect(body).toMatch(/ONE new e-mail/);
    expect(body).toMatch(/ONE PDF/);
    expect(body).toMatch(/order/);
    expect(body).toContain('{deadline}');
  });
});

describe('replyRulesSchema', () => {
  it('accepts the bundled file', () => {
    expect(replyRulesSchema.safeParse(bundled()).success).toBe(true);
  });

  it('refuses an unknown placeholder, listing the allowed names', () => {
    const data = bundled();
    data.templates.acknowledgement.body += '\nYour passport number: {passport_number}\n';
    const messages = messagesOf(data);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^templates\.acknowledgement\.body: unknown placeholder \{passport_number\}; allowed here: \{applicant_name\}, \{programme_title\}, /);
    expect(messages[0]).toContain('{checklist}');
  });

  it('refuses a placeholder in a subject, the signature and the checklist wording alike', () => {
    const data = bundled();
    data.templates.receipt.subject = 'Re: {subjet}';
    data.signature = 'Kind regards, {office}';
    data.checklist.found = 'found on {page}';
    const messages = messagesOf(data);
    expect(messages).toEqual([
      expect.stringMatching(/^signature: unknown placeholder \{office\}; allowed here: none/),
      expect.stringMatching(/^checklist\.found: unknown placeholder \{page\}; allowed here: \{pages\}/),
      expect.stringMatching(/^templates\.receipt\.subject: unknown placeholder \{subjet\}/),
    ]);
  });

  it('refuses a brace that opens no placeholder', () => {
    const data = bundled();
    data.templates.acknowledgement.body = 'Dear {applicant_name,\n\nThanks.';
    expect(messagesOf(data)).toEqual([expect.stringMatching(/^templates\.acknowledgement\.body: a "\{" or "\}" that does not belong/)]);
  });

  it('refuses an incomplete template that does not show the problems and the checklist', () => {
    const data = bundled();
    data.templates.incomplete.body = 'Dear {applicant_name}, please send it again.';
    expect(messagesOf(data)).toEqual([
      expect.stringMatching(/^templates\.incomplete\.body: this template must show \{problems\}/),
      expect.stringMatching(/^templates\.incomplete\.body: this template must show \{checklist\}/),
    ]);
  });

  it('refuses unknown keys, a missing template and an unknown time zone', () => {
    const data = bundled();
    data.templates.acknowledgment = data.templates.acknowledgement;
    delete data.templates.acknowledgement;
    data.timezone = 'Europe/Vienne';
    const messages = messagesOf(data);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timezone: expected an IANA time zone/),
        expect.stringMatching(/^templates\.acknowledgement: /),
        expect.stringMatching(/^templates: .*acknowledgment/),
      ]),
    );
  });
});

describe('fillTemplate', () => {
  it('leaves out a line whose placeholder has no value', () => {
    expect(fillTemplate('A {x}.\nB {y}.\n\n\nC', { x: '1', y: undefined })).toBe('A 1.\n\nC');
  });

  it('indents the following lines of a value like the line it stands on', () => {
    expect(fillTemplate('List:\n  {items}\nEnd', { items: 'one\ntwo' })).toBe('List:\n  one\n  two\nEnd');
  });

  it('does not read placeholders inside values', () => {
    expect(fillTemplate('Re: {subject}', { subject: '{checklist}', checklist: 'SECRET' })).toBe('Re: {checklist}');
  });

  it('throws REPLY_TEMPLATE_INVALID for a name it was not given', () => {
    expect(() => fillTemplate('Dear {who}', {})).toThrow(expect.objectContaining({ code: 'REPLY_TEMPLATE_INVALID' }));
  });
});

describe('loadRules with replies', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-replies-'));
    for (const f of ['common.yaml', 'mail.yaml', 'replies.yaml']) cpSync(path.join(RULES_DIR, f), path.join(dir, f));
    mkdirSync(path.join(dir, 'programmes'));
    cpSync(path.join(RULES_DIR, 'programmes/gustave-roussy-hybrid-imaging-2022.yaml'), path.join(dir, 'programmes/p.yaml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function problemsOf(): string[] {
    try {
      loadRules(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(RulesInvalidError);
      return (err as RulesInvalidError).problems;
    }
    throw new Error('expected the rules to be refused');
  }

  it('loads the replies into the rule set, frozen', () => {
    const rules = loadRules(dir);
    expect(rules.replies.templates.incomplete.subject).toBe('Re: {subject}');
    expect(Object.isFrozen(rules.replies.templates)).toBe(true);
  });

  it('refuses a rules folder without a replies file', () => {
    rmSync(path.join(dir, 'replies.yaml'));
    expect(problemsOf()).toEqual([expect.stringMatching(/: no replies rule file \(kind: replies\)$/)]);
  });

  it('names file, line and path of an unknown placeholder', () => {
    const file = path.join(dir, 'replies.yaml');
    const text = readFileSync(file, 'utf8').replace('We are glad to receive your complete application.', 'Your file number is {file_number}.');
    writeFileSync(file, text);
    const problems = problemsOf();
    expect(problems).toHaveLength(1);
    // The line of the body's key, where an admin looks for it.
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > lines.indexOf('  incomplete:') && l.trim() === 'body: |') + 1;
    expect(problems[0]).toMatch(new RegExp(`replies\\.yaml:${line}: templates\\.incomplete\\.body: unknown placeholder \\{file_number\\}; allowed here: `));
  });

  it('refuses a second replies file', () => {
    cpSync(path.join(RULES_DIR, 'replies.yaml'), path.join(dir, 'replies2.yaml'));
    expect(problemsOf()).toEqual([expect.stringMatching(/replies2\.yaml:1: a second replies rule file/)]);
  });
});
