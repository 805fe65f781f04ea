/**
 * Hostile PDFs through the live path (IMAP -> queue -> SMTP) with the real
 * harness: a decompression bomb is stopped in the PDF sandbox (unreadable_pdf,
 * with the reason, and the reply the contract asks for) while a normal
 * application beside it is answered as usual; an owner-password application
 * is read and cut into its ten section PDFs by qpdf; an object-stream bomb
 * does not end the worker. No time assertions (npm run bench:hostile).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TOO_BIG_REASON } from '../../adapters/pdf-reader';
import { checkNothingLostNothingTwice, repliesTo, startFaultHarness, waitUntilFiled, type FaultHarness } from '../e2e/fault-harness';
import { applicationPdf, composeMail, uniqueTag, type TestMail } from '../e2e/mails';
import { deflatedZeros, ownerEncrypted, pagesPdf } from './make-hostile';

let h: FaultHarness;
beforeAll(async () => {
  h = await startFaultHarness({ roles: ['poller', 'worker'], shortLocks: false });
}, 60_000);
afterAll(async () => {
  await h?.stop();
}, 60_000);

function findDir(root: string, name: string): string | undefined {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const p = path.join(root, entry.name);
    if (entry.name === name) return p;
    const found = findDir(p, name);
    if (found) return found;
  }
  return undefined;
}

async function applicationOf(mail: TestMail) {
  return (await h.service.store.listApplications({ limit: 1000 })).find((a) => a.applicantEmail === mail.from);
}

describe('hostile PDFs through the live pipeline', () => {
  it('stops a bomb in the sandbox, answers the application beside it, and cuts an owner-password PDF', async () => {
    const tag = uniqueTag();
    const bomb = deflatedZeros(1200 * 1024 * 1024);
    const bombPdf = pagesPdf(['/Contents 5 0 R'], [Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`), bomb, Buffer.from('\nendstream')])]);
    const objStm = deflatedZeros(400 * 1024 * 1024, 0x30);
    const normal = await applicationPdf();
    const withObjStm = Buffer.concat([normal, Buffer.from(`\n9999 0 obj\n<< /Type /ObjStm /N 150000000 /First 10 /Filter /FlateDecode /Length ${objStm.length} >>\nstream\n`), objStm, Buffer.from('\nendstream\nendobj\n')]);
    const bombMail = await composeMail({ sender: `hostile-bomb-${tag}`, attachments: [{ filename: 'application.pdf', content: bombPdf, contentType: 'application/pdf' }] });
    const normalMail = await composeMail({ sender: `hostile-normal-${tag}`, attachments: [{ filename: 'application.pdf', content: normal, contentType: 'application/pdf' }] });
    const ownerMail = await composeMail({ sender: `hostile-owner-${tag}`, attachments: [{ filename: 'application.pdf', content: ownerEncrypted(normal), contentType: 'application/pdf' }] });
    const objStmMail = await composeMail({ sender: `hostile-objstm-${tag}`, attachments: [{ filename: 'application.pdf', content: withObjStm, contentType: 'application/pdf' }] });
    const mails = [bombMail, normalMail, ownerMail, objStmMail];
    for (const m of mails) await h.deliver(m);
    await waitUntilFiled(h, mails, 120_000);
    await checkNothingLostNothingTwice(h, mails, (m) => (m === bombMail ? { replies: 1 } : { status: 'complete', replies: 1 }));

    const bombApp = await applicationOf(bombMail);
    expect(bombApp?.flags).toContain('unreadable_pdf');
    expect(repliesTo(h, bombMail.from)[0]!.raw.toString('utf8').replace(/=\r?\n/g, '')).toContain(TOO_BIG_REASON);

    // qpdf decrypted the owner-password PDF: all ten sections have their file.
    const id = createHash('sha256').update(ownerMail.raw).digest('hex');
    const sections = findDir(h.dataDir, id);
    expect(sections && existsSync(sections) ? readdirSync(sections).filter((n) => n.endsWith('.pdf')).length : 0).toBe(10);
  }, 180_000);
});
