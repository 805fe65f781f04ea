import { ImapFlow } from 'imapflow';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderDovecotConfig } from '../../../dev/local/dovecot-config';
import { createDovecotDelivery, findFromAddress, startDovecot, type DovecotServer } from '../../../dev/local/dovecot-server';
import { listDescendants, LocalServerError } from '../../../dev/local/managed-process';
import { startSmtpRelay } from '../../../dev/local/smtp-relay';
import { findProcesses, isRunning } from './find-processes';
import nodemailer from 'nodemailer';

const OFFICE = 'office@esor.test';
const OFFICE_PASSWORD = 'office-secret';

/** Synthetic application mail: no real person's data. */
function composeMail(subject: string, from = 'Test Applicant <applicant@example.test>'): Buffer {
  return Buffer.from(
    [`From: ${from}`, `To: ${OFFICE}`, `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, '')}@example.test>`, 'Date: Fri, 12 Mar 2021 10:00:00 +0000', '', 'Body text.', ''].join(
      '\r\n',
    ),
  );
}

/** The master (found by its config path) and every process it forked: auth, log, imap, lmtp... */
function listDovecotProcesses(dir: string): number[] {
  const masters = findProcesses(dir).map((line) => Number(line.split(' ')[0]));
  return masters.flatMap((pid) => [pid, ...listDescendants(pid).map((child) => child.pid)]);
}

async function withImap<T>(dovecot: DovecotServer, user: string, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(dovecot.imapOptions(user));
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}

describe('startDovecot', () => {
  let dovecot: DovecotServer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [{ user: OFFICE, password: OFFICE_PASSWORD }] });
  });

  afterAll(async () => {
    await dovecot?.stop({ removeDir: true });
  });

  it('listens for IMAP and LMTP on free loopback ports, with mail owned by the mail user', () => {
    expect(dovecot.host).toBe('127.0.0.1');
    expect(dovecot.imapPort).toBeGreaterThan(0);
    expect(dovecot.lmtpPort).toBeGreaterThan(0);
    expect(dovecot.imapPort).not.toBe(dovecot.lmtpPort);
    expect(statSync(path.join(dovecot.dir, 'mail')).uid).toBe(8);
    expect(findProcesses(dovecot.dir)).toHaveLength(1);
  });

  it('lets a user log in with imapflow and shows Sent (\\Sent), Done and Problem, subscribed', async () => {
    const folders = await withImap(dovecot, OFFICE, (client) => client.list());
    const byPath = Object.fromEntries(folders.map((folder) => [folder.path, folder]));
    expect(Object.keys(byPath).sort()).toEqual(['Done', 'INBOX', 'Problem', 'Sent']);
    expect(byPath.Sent?.specialUse).toBe('\\Sent');
    expect(folders.every((folder) => folder.subscribed)).toBe(true);
  });

  it('refuses a wrong password', async () => {
    const client = new ImapFlow({ ...dovecot.imapOptions(OFFICE), auth: { user: OFFICE, pass: 'wrong' } });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow();
    client.close();
  });

  it('delivers over LMTP into INBOX, with the From address as envelope sender', async () => {
    await dovecot.deliver(OFFICE, composeMail('LMTP delivery'));
    const messages = await dovecot.listMessages(OFFICE, 'INBOX', { source: true });
    const delivered = messages.find((message) => message.subject === 'LMTP delivery');
    expect(delivered).toBeDefined();
    expect(delivered?.messageId).toBe('<LMTPdelivery@example.test>');
    expect(delivered?.source?.toString()).toMatch(/^Return-Path: <applicant@example\.test>\r\n/);
    expect(delivered?.source?.toString()).toContain('Delivered-To: office@esor.test');
  });

  it('rejects delivery to an unknown account, naming the server log', async () => {
    const attempt = dovecot.deliver('nobody@esor.test', composeMail('Lost'));
    await expect(attempt).rejects.toThrow(LocalServerError);
    await expect(attempt).rejects.toThrow(/nobody@esor\.test.*User doesn't exist.*server log: .*dovecot\.log/);
  });

  it('accepts APPEND to Sent with APPENDUID', async () => {
    const appended = await withImap(dovecot, OFFICE, (client) => client.append('Sent', composeMail('Our reply'), ['\\Seen']));
    expect(appended).toMatchObject({ destination: 'Sent' });
    expect(appended && appended.uid).toBeGreaterThan(0);
    const sent = await dovecot.listMessages(OFFICE, 'Sent');
    expect(sent).toEqual([expect.objectContaining({ uid: appended && appended.uid, subject: 'Our reply', flags: expect.arrayContaining(['\\Seen']) })]);
  });

  it('lists Done and Problem as empty folders that messages can be moved into', async () => {
    expect(await dovecot.listMessages(OFFICE, 'Done')).toEqual([]);
    expect(await dovecot.listMessages(OFFICE, 'Problem')).toEqual([]);
    await dovecot.deliver(OFFICE, composeMail('To be moved'));
    await withImap(dovecot, OFFICE, async (client) => {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const uids = await client.search({ subject: 'To be moved' }, { uid: true });
        expect(await client.messageMove(uids || [], 'Done', { uid: true })).toMatchObject({ destination: 'Done' });
      } finally {
        lock.release();
      }
    });
    expect((await dovecot.listMessages(OFFICE, 'Done')).map((message) => message.subject)).toEqual(['To be moved']);
  });

  it('adds an account without restarting, usable at once for login and delivery', async () => {
    await dovecot.addUser('Second.Office@ESOR.test', 'second-secret');
    expect(dovecot.hasUser('second.office@esor.test')).toBe(true);
    await dovecot.deliver('second.office@esor.test', composeMail('For the new account'));
    expect((await dovecot.listMessages('second.office@esor.test')).map((message) => message.subject)).toEqual(['For the new account']);
  });

  it('changes a password without restarting', async () => {
    await dovecot.addUser('changing@esor.test', 'first-password');
    await withImap(dovecot, 'changing@esor.test', async () => undefined);
    await dovecot.addUser('changing@esor.test', 'other-password');
    expect(dovecot.imapOptions('changing@esor.test').auth.pass).toBe('other-password');
    await withImap(dovecot, 'changing@esor.test', async () => undefined);
    const old = new ImapFlow({ ...dovecot.imapOptions('changing@esor.test'), auth: { user: 'changing@esor.test', pass: 'first-password' } });
    old.on('error', () => undefined);
    await expect(old.connect()).rejects.toThrow();
    old.close();
  });

  it('refuses account names and passwords the passwd-file cannot hold', async () => {
    await expect(dovecot.addUser('../escape', 'x')).rejects.toThrow(/letters, digits/);
    await expect(dovecot.addUser('colon@esor.test', 'a:b')).rejects.toThrow(/without ':'/);
  });

  it('feeds the demo path: SMTP relay -> LMTP into an account created on first mail', async () => {
    const relay = await startSmtpRelay({ deliverTo: createDovecotDelivery(dovecot, 'demo-password') });
    try {
      const transport = nodemailer.createTransport({ host: relay.host, port: relay.port, secure: false, ignoreTLS: true, logger: false });
      await transport.sendMail({ from: OFFICE, to: 'new.applicant@example.test', subject: 'Your application', text: 'Received.' });
      const inbox = await dovecot.listMessages('new.applicant@example.test', 'INBOX', { source: true });
      expect(inbox.map((message) => message.subject)).toEqual(['Your application']);
      expect(inbox[0]?.source?.toString()).toMatch(/^Return-Path: <office@esor\.test>/);
      expect(dovecot.imapOptions('new.applicant@example.test').auth.pass).toBe('demo-password');

      await transport.sendMail({ from: OFFICE, to: 'tagged+esor@example.test', subject: 'Tagged', text: '.' });
      expect((await dovecot.listMessages('tagged+esor@example.test')).map((message) => message.subject)).toEqual(['Tagged']);
      await expect(transport.sendMail({ from: OFFICE, to: 'odd!name@example.test', subject: 'Never', text: '.' })).rejects.toMatchObject({ responseCode: 550 });
      transport.close();
    } finally {
      await relay.stop();
    }
  });
});

describe('startDovecot in a given folder, with other folders, killed and restarted', () => {
  let parent: string;

  beforeAll(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'esor-dovecot-test-'));
    // Dovecot's login and mail processes run as other users and must pass through it.
    chmodSync(parent, 0o711);
  });

  afterAll(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('keeps accounts and mail across kill and restart, and stop leaves no process', async () => {
    const dir = path.join(parent, 'office');
    const dovecot = await startDovecot({ dir, users: [{ user: OFFICE, password: OFFICE_PASSWORD }], folders: [{ name: 'Archive' }] });
    const forked: number[] = [];
    try {
      expect(dovecot.dir).toBe(dir);
      const folders = await withImap(dovecot, OFFICE, (client) => client.list());
      expect(folders.map((folder) => folder.path).sort()).toEqual(['Archive', 'INBOX']);
      await dovecot.deliver(OFFICE, composeMail('Before the crash'));

      const ports = [dovecot.imapPort, dovecot.lmtpPort];
      forked.push(...listDovecotProcesses(dir));
      expect(forked.length).toBeGreaterThan(3);
      await dovecot.kill();
      expect(findProcesses(dir)).toEqual([]);
      expect(forked.filter(isRunning)).toEqual([]);

      await dovecot.restart();
      expect([dovecot.imapPort, dovecot.lmtpPort]).toEqual(ports);
      expect((await dovecot.listMessages(OFFICE)).map((message) => message.subject)).toEqual(['Before the crash']);
      forked.splice(0, forked.length, ...listDovecotProcesses(dir));
    } finally {
      await Promise.all([dovecot.stop(), dovecot.stop()]);
    }
    await dovecot.stop();
    expect(findProcesses(dir)).toEqual([]);
    expect(forked.filter(isRunning)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });

  it('puts its sockets in a short temp folder when DIR is too long for unix socket paths', async () => {
    const dir = path.join(parent, 'a-folder-name-long-enough-to-push-socket-paths-over-the-limit');
    const dovecot = await startDovecot({ dir, users: [{ user: OFFICE, password: OFFICE_PASSWORD }] });
    try {
      expect(existsSync(path.join(dir, 'run'))).toBe(false);
      await dovecot.deliver(OFFICE, composeMail('Long path'));
      expect((await dovecot.listMessages(OFFICE)).map((message) => message.subject)).toEqual(['Long path']);
    } finally {
      await dovecot.stop();
    }
    expect(findProcesses(dir)).toEqual([]);
  });

  it('a second start in the same folder reuses the accounts written by the first', async () => {
    const dovecot = await startDovecot({ dir: path.join(parent, 'office') });
    try {
      expect(dovecot.hasUser(OFFICE)).toBe(true);
      expect((await dovecot.listMessages(OFFICE)).map((message) => message.subject)).toEqual(['Before the crash']);
    } finally {
      await dovecot.stop();
    }
  });
});

describe('Dovecot config and helpers', () => {
  const input = {
    host: '127.0.0.1',
    imapPort: 1143,
    lmtpPort: 1024,
    baseDir: '/tmp/x/run',
    stateDir: '/tmp/x/state',
    logPath: '/tmp/x/dovecot.log',
    passwdDir: '/tmp/x/passwd.d',
    mailRoot: '/tmp/x/mail',
    mailUid: 8,
    mailGid: 8,
    folders: [{ name: 'Sent', specialUse: '\\Sent' }],
    greeting: 'ready 1',
  };

  it('renders loopback listeners, unprivileged users and the folders', () => {
    const config = renderDovecotConfig(input);
    expect(config).toContain('default_login_user = dovenull');
    expect(config).toContain('first_valid_uid = 1');
    expect(config).toMatch(/inet_listener imap \{\n\s+address = 127\.0\.0\.1\n\s+port = 1143/);
    expect(config).toMatch(/mailbox "Sent" \{\n\s+special_use = \\Sent\n\s+auto = subscribe/);
  });

  it('refuses paths and folder names that dovecot.conf cannot hold', () => {
    expect(() => renderDovecotConfig({ ...input, mailRoot: '/tmp/with space' })).toThrow(/mail root/);
    expect(() => renderDovecotConfig({ ...input, mailRoot: '/tmp/100%' })).toThrow(/mail root/);
    expect(() => renderDovecotConfig({ ...input, folders: [{ name: 'a"b' }] })).toThrow(/folder name/);
  });

  it('takes the envelope sender from a folded From header', () => {
    expect(findFromAddress(Buffer.from('Subject: x\r\nFrom: "Doe, J."\r\n <j@example.test>\r\n\r\nFrom: not@this.test\r\n'))).toBe('j@example.test');
    expect(findFromAddress(Buffer.from('Subject: no sender\r\n\r\nbody'))).toBe('');
  });
});
