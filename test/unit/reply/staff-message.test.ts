/** Staff message templates (rules/replies.yaml `staff_templates`) and the threading of a staff message. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RulesInvalidError, loadRules } from '../../../adapters/rules-loader';
import { fillStaffTemplate, isMessageKey, replySubject, threadOf } from '../../../core/reply/staff-message';
import { RULES_DIR } from './reply-fixtures';

describe('staff templates', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'esor-staff-templates-'));
    for (const f of ['common.yaml', 'mail.yaml', 'replies.yaml']) cpSync(path.join(RULES_DIR, f), path.join(dir, f));
    mkdirSync(path.join(dir, 'programmes'));
    cpSync(path.join(RULES_DIR, 'programmes/gustave-roussy-hybrid-imaging-2022.yaml'), path.join(dir, 'programmes/p.yaml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the bundled file has the two the office asked for, filled with the name and the missing list', () => {
    const templates = loadRules(dir).replies.staff_templates ?? [];
    expect(templates.map((t) => t.name)).toEqual(['Please resend as one PDF', 'Please send the missing document(s)']);
    const missing = fillStaffTemplate(templates[1]!, { applicantName: 'Dr Ana Ruiz', programmeTitle: 'Hybrid Imaging in Oncology', missing: ['Passport', 'Letter of recommendation'] });
    expect(missing).toContain('Dear Dr Ana Ruiz,');
    expect(missing).toContain('for the Hybrid Imaging in Oncology.');
    expect(missing).toContain('- Passport\n- Letter of recommendation');
    expect(missing).not.toMatch(/[{}]/);
  });

  it('refuses a staff template with an unknown placeholder, and two of one name', () => {
    const file = path.join(dir, 'replies.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('Your application is still missing:', 'Your file {file_number} is still missing:'));
    expect(() => loadRules(dir)).toThrow(RulesInvalidError);
    writeFileSync(file, text.replace('name: Please send the missing document(s)', 'name: Please resend as one PDF'));
    expect(() => loadRules(dir)).toThrow(RulesInvalidError);
  });
});

describe('threading', () => {
  it('answers the applicant’s subject and message', () => {
    expect(replySubject('RE: Aw: Fellowship', 'x')).toBe('Re: Fellowship');
    expect(replySubject('  ', 'Your ESOR fellowship application')).toBe('Re: Your ESOR fellowship application');
    expect(threadOf({ headerMessageId: '<b@x>', references: ['<a@x>'] })).toEqual({ inReplyTo: '<b@x>', references: ['<a@x>', '<b@x>'] });
    expect(threadOf({ references: [] })).toEqual({ references: [] });
  });
});

describe('message keys', () => {
  it('are BlobStore segments: a letter or digit first, 16 to 64 characters', () => {
    expect(isMessageKey('0123456789abcdef0123456789abcdef')).toBe(true);
    for (const bad of ['-123456789abcdef', '_123456789abcdef', 'short', 'a'.repeat(65), '../../etc/passwd', 42]) expect(isMessageKey(bad)).toBe(false);
  });
});
