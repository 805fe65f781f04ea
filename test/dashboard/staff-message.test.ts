/**
 * Issue 12, point 3: staff write to the applicant from the application page.
 * The route stores the text under the form's key, logs `message.requested`
 * (ids only) and asks the reply worker to send it; a second press of the same
 * form asks for the same message. Templates come from the rules and are
 * filled for the applicant. CSRF as every form.
 */
import type { FastifyInstance } from 'fastify';
import { composeReply } from '../../adapters/smtp-sender';
import { reply } from '../../workers/reply';
import type { OutgoingMail, StageContext } from '../../workers/stage-context';
import { MESSAGE_EVENTS, STAFF_MESSAGE_KIND, type StaffMessage } from '../../core/reply/staff-message';
import { Fixture, get, login, PEOPLE, post, type Seeded, type Session } from './dashboard-fixtures';

let f: Fixture;
let seeded: Seeded;
let app: FastifyInstance;
let bob: Session;

const TEMPLATES = [
  { name: 'Please resend as one PDF', body: 'Dear {applicant_name},\n\nplease send ONE PDF for the {programme_title}.' },
  { name: 'Please send the missing document(s)', body: 'Dear {applicant_name},\n\nStill missing:\n{missing}\n\nThank you.' },
];

beforeEach(async () => {
  f = await Fixture.create();
  seeded = await f.seed();
  app = await f.app({ staffTemplates: () => TEMPLATES });
  bob = await login(app, 'bob');
});
afterEach(async () => {
  await app.close();
  await f.cleanup();
});

function keyOf(page: string): string {
  return /name="key" value="([A-Za-z0-9_-]+)"/.exec(page)![1]!;
}

async function messageEvents(applicationId: string) {
  return (await f.store.listEvents(applicationId, 100)).filter((e) => e.action === MESSAGE_EVENTS.requested);
}

describe('writing to the applicant', () => {
  it('shows the box with the templates, and a template filled with the applicant name (a line with nothing missing left out)', async () => {
    const id = seeded.maria.applicationId;
    const page = await get(app, bob, `/applications/${id}`);
    expect(page.body).toContain('Write to the applicant');
    expect(page.body).toContain('Please resend as one PDF');
    expect(page.body).toContain(`To ${PEOPLE.maria.email}`);
    expect(page.body).toContain('value="Re: Fellowship (corrected)"');
    const filled = await get(app, bob, `/applications/${id}?template=${encodeURIComponent('Please send the missing document(s)')}`);
    expect(filled.body).toContain(`Dear ${PEOPLE.maria.name},`);
    expect(filled.body).not.toContain('{missing}');
    const pdf = await get(app, bob, `/applications/${id}?template=${encodeURIComponent('Please resend as one PDF')}`);
    expect(pdf.body).toContain('please send ONE PDF for the Hybrid Imaging in Oncology.');
    // Two pages, two keys: each form asks for its own message.
    expect(keyOf(page.body)).not.toBe(keyOf(filled.body));
  });

  it('stores the text, logs ids only, queues the reply worker once per key, and shows it under Replies', async () => {
    const id = seeded.maria.applicationId;
    const key = keyOf((await get(app, bob, `/applications/${id}`)).body);
    const fields = { key, subject: 'Re: Fellowship (corrected)', body: 'Dear Dr Vantongeren,\r\nplease resend page 5.' };
    const first = await post(app, bob, `/applications/${id}/message`, fields);
    expect(first.statusCode).toBe(303);
    expect(String(first.headers.location)).toContain('done=message-queued');
    const second = await post(app, bob, `/applications/${id}/message`, fields);
    expect(String(second.headers.location)).toContain('done=message-queued');

    const events = await messageEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'bob', subject: id, detail: { key } });
    expect(JSON.stringify(events[0]!.detail)).not.toContain('resend');
    const stored = await f.files.readJson<StaffMessage>(STAFF_MESSAGE_KIND, key);
    expect(stored).toMatchObject({ applicationId: id, messageId: seeded.maria.messageIds[1], to: PEOPLE.maria.email, subject: 'Re: Fellowship (corrected)', body: 'Dear Dr Vantongeren,\nplease resend page 5.', by: 'bob' });
    // Both presses ask for the same job (the queue keeps one job per id; the worker sends a key once).
    expect(f.replyRequests).toEqual([
      { messageId: seeded.maria.messageIds[1], hold: false, key: `message-${key}`, staffMessage: key },
      { messageId: seeded.maria.messageIds[1], hold: false, key: `message-${key}`, staffMessage: key },
    ]);

    const page = await get(app, bob, `/applications/${id}?done=message-queued`);
    expect(page.body).toContain('Your message is on its way');
    expect(page.body).toContain('Message from bob');
    expect(page.body).toContain('Sending');
    await f.store.appendEvent({ actor: 'worker:reply', action: MESSAGE_EVENTS.sent, subject: id, detail: { key }, at: f.now.toISOString() });
    const after = await get(app, bob, `/applications/${id}`);
    expect(after.body).toMatch(/<span class="badge">Sent<\/span> Message from bob/);
  });

  it('refuses an empty message, a form without its key, and a post without the CSRF token', async () => {
    const id = seeded.maria.applicationId;
    const key = keyOf((await get(app, bob, `/applications/${id}`)).body);
    expect(String((await post(app, bob, `/applications/${id}/message`, { key, subject: 'Re: x', body: '  ' })).headers.location)).toContain('error=message-empty');
    expect(String((await post(app, bob, `/applications/${id}/message`, { key: 'short', subject: 'Re: x', body: 'text' })).headers.location)).toContain('error=message-form-old');
    const forged = await post(app, bob, `/applications/${id}/message`, { key, subject: 'Re: x', body: 'text' }, 'not-the-token');
    expect(forged.statusCode).toBe(403);
    expect(await messageEvents(id)).toHaveLength(0);
    expect(f.replyRequests).toHaveLength(0);
  });
});

describe('trying a failed message again', () => {
  it('only a failed message, from its own application, once per attempt (a second press queues the same job)', async () => {
    const id = seeded.maria.applicationId;
    const key = keyOf((await get(app, bob, `/applications/${id}`)).body);
    await post(app, bob, `/applications/${id}/message`, { key, subject: 'Re: Fellowship (corrected)', body: 'Please resend page 5.' });
    // Not failed yet: nothing to try again.
    expect(String((await post(app, bob, `/applications/${id}/message/${key}/retry`, { attempt: '1' })).headers.location)).toContain('error=message-retry-old');
    await f.store.markStaffMessageFailed(key, id, 'refused', 'worker:reply', f.now.toISOString(), { leaseEnded: true });
    const page = (await get(app, bob, `/applications/${id}`)).body;
    expect(page).toMatch(/<span class="badge">Not sent<\/span> Message from bob/);
    expect(page).toContain('Not sent: the mail server refused it — try again.');
    expect(page).toContain(`action="/applications/${id}/message/${key}/retry"`);

    const other = seeded.anna.applicationId;
    expect((await post(app, bob, `/applications/${other}/message/${key}/retry`, { attempt: '1' })).statusCode).toBe(404);
    expect((await post(app, bob, `/applications/${id}/message/unknown-key-0123456789/retry`, { attempt: '1' })).statusCode).toBe(404);
    expect(String((await post(app, bob, `/applications/${id}/message/${key}/retry`, { attempt: 'x' })).headers.location)).toContain('error=message-retry-old');
    expect(String((await post(app, bob, `/applications/${id}/message/${key}/retry`, { attempt: '2' })).headers.location)).toContain('error=message-retry-old');
    f.replyRequests.length = 0;

    for (let press = 0; press < 2; press++) {
      const res = await post(app, bob, `/applications/${id}/message/${key}/retry`, { attempt: '1' });
      expect(String(res.headers.location)).toBe(`/applications/${id}?done=message-retried#message-${key}`);
    }
    const job = { messageId: seeded.maria.messageIds[1], hold: false, key: `message-${key}-retry-2`, staffMessage: key };
    expect(f.replyRequests).toEqual([job, job]);
    expect((await f.store.listEvents(id, 100)).filter((e) => e.action === MESSAGE_EVENTS.retried).map((e) => ({ actor: e.actor, detail: e.detail }))).toEqual([
      { actor: 'bob', detail: { key, attempt: 2 } },
    ]);
    const after = (await get(app, bob, `/applications/${id}`)).body;
    expect(after).toMatch(/<span class="badge">Sending<\/span> Message from bob/);
    expect(after).not.toContain(`/message/${key}/retry`);
  });
});

describe('the reply worker sends it', () => {
  async function requested(): Promise<{ id: string; key: string }> {
    const id = seeded.maria.applicationId;
    const key = keyOf((await get(app, bob, `/applications/${id}`)).body);
    await post(app, bob, `/applications/${id}/message`, { key, subject: 'Re: Fellowship (corrected)', body: 'Please resend page 5.' });
    return { id, key };
  }

  function workerContext(sent: Buffer[], counted: string[], fail?: Error): StageContext {
    return {
      store: f.store,
      files: f.files,
      sendMail: async (m: OutgoingMail) => {
        if (fail) throw fail;
        const raw = await composeReply(m);
        sent.push(raw);
        return { raw };
      },
      saveSentCopy: async () => undefined,
      replyFrom: { email: 'office@esor.example.org', name: 'ESOR Office' },
      replyRate: { claim: async () => undefined, count: async (_to: string, id: string) => void counted.push(id), release: async () => undefined },
      logger: f.logger,
      now: () => f.now,
    } as unknown as StageContext;
  }

  it('once, in the thread, as a person’s mail (no Auto-Submitted), counted by the reply limit', async () => {
    const { id, key } = await requested();
    const sent: Buffer[] = [];
    const counted: string[] = [];
    const ctx = workerContext(sent, counted);
    await reply.run({ messageId: seeded.maria.messageIds[1]!, staffMessage: key }, ctx);
    await reply.run({ messageId: seeded.maria.messageIds[1]!, staffMessage: key }, ctx);
    expect(sent).toHaveLength(1);
    const text = sent[0]!.toString('utf8');
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^Auto-Submitted:/im);
    expect(head).not.toMatch(/^X-Auto-Response-Suppress:/im);
    expect(head).toMatch(/^In-Reply-To: <maria-2@mail\.example>$/im);
    expect(head).toMatch(/^References: <maria-2@mail\.example>$/im);
    expect(head).toMatch(/^Subject: Re: Fellowship \(corrected\)$/im);
    expect(head).toContain(`Message-ID: <message-${key}@esor-intake>`);
    expect(text).toContain('Please resend page 5.');
    expect(counted).toEqual([`message-${key}`]);
    const sentEvents = (await f.store.listEvents(id, 100)).filter((e) => e.action === MESSAGE_EVENTS.sent);
    expect(sentEvents.map((e) => e.detail)).toEqual([{ key }]);
  });

  it('a failed send is retried (transient) and the message is not marked sent; to a bounced address it is not sent, and shown so', async () => {
    const { id, key } = await requested();
    const ctx = workerContext([], [], Object.assign(new Error('connection lost'), { transient: true }));
    await expect(reply.run({ messageId: seeded.maria.messageIds[1]!, staffMessage: key }, ctx)).rejects.toThrow('connection lost');
    expect((await f.store.listEvents(id, 100)).some((e) => e.action === MESSAGE_EVENTS.sent)).toBe(false);
    await f.store.markAddressBounced(PEOPLE.maria.email, f.now.toISOString());
    const sent: Buffer[] = [];
    await reply.run({ messageId: seeded.maria.messageIds[1]!, staffMessage: key }, workerContext(sent, []));
    expect(sent).toHaveLength(0);
    // Not sent, and shown so: staff may clear the bounce mark and try again.
    expect((await f.store.listEvents(id, 100)).find((e) => e.action === MESSAGE_EVENTS.failed)?.detail).toEqual({ key, reason: 'bounced', attempt: 1 });
    const page = (await get(app, bob, `/applications/${id}`)).body;
    expect(page).toContain("Not sent: the applicant&#39;s address bounced one of our mails lately (clear the bounce mark first) — try again.");
    expect(page).toContain(`action="/applications/${id}/message/${key}/retry"`);
  });
});
