import type { NewReply } from '../../../core/ports/store';
import { codeOf, openTempStore, recordAndTriage, forEachStore, type TempStore } from './store-fixtures';

forEachStore((kind) => {
  let t: TempStore;
  let applicationId: string;

  beforeEach(async () => {
    t = await openTempStore(kind);
    ({ applicationId } = await recordAndTriage(t.store, 'app', { uid: 1 }));
  });
  afterEach(() => t.cleanup());

  function reply(overrides: Partial<NewReply> = {}): NewReply {
    return {
      applicationId,
      revision: 1,
      status: 'complete',
      to: 'a.rossi@example.it',
      subject: 'Re: Application',
      body: 'Your application is complete.',
      held: false,
      inReplyTo: '<original@example.it>',
      ...overrides,
    };
  }

  describe('replies', () => {
    it('reserves a reply once per (application, revision, status): a second reservation is not new', async () => {
      const first = await t.store.reserveReply(reply());
      expect(first.isNew).toBe(true);
      expect(first.reply).toMatchObject({ state: 'pending', held: false, attempts: 0, inReplyTo: '<original@example.it>', to: 'a.rossi@example.it' });

      // The worker crashed after reserving and runs again, maybe with other wording.
      const again = await t.store.reserveReply(reply({ body: 'other text' }));
      expect(again).toEqual({ reply: first.reply, isNew: false });

      // Even once sent, the reservation stands: the retry sees it was sent and stops.
      await t.store.markReplySent(first.reply.id, '<sent-1@esor.example>', '2021-03-12T09:16:00Z');
      const afterSend = await t.store.reserveReply(reply());
      expect(afterSend.isNew).toBe(false);
      expect(afterSend.reply).toMatchObject({ state: 'sent', messageId: '<sent-1@esor.example>', sentAt: '2021-03-12T09:16:00.000Z', attempts: 1 });

      // Another status of the same revision is another reply.
      expect((await t.store.reserveReply(reply({ status: 'incomplete' }))).isNew).toBe(true);
    });

    it('lets one worker at a time hand a reply to the mail server (send lease), until it is sent or the lease runs out', async () => {
      const { reply: r } = await t.store.reserveReply(reply());
      const at = (min: number) => new Date(Date.parse('2021-03-12T10:00:00Z') + min * 60_000).toISOString();
      expect(await t.store.claimReplySend(r.id, at(0), at(5))).toBe(true);
      // A second worker running the same job (its lock ran out) finds the lease taken.
      expect(await t.store.claimReplySend(r.id, at(1), at(6))).toBe(false);
      // The first died mid-send: once its lease ran out, the reply is sent after all.
      expect(await t.store.claimReplySend(r.id, at(5), at(10))).toBe(true);
      // A send that failed and will be retried gives the lease back.
      await t.store.releaseReplySend(r.id);
      expect(await t.store.claimReplySend(r.id, at(6), at(11))).toBe(true);
      await t.store.markReplySent(r.id, '<m@x>', at(7));
      expect(await t.store.claimReplySend(r.id, at(20), at(25))).toBe(false);
      expect(await codeOf(t.store.claimReplySend('nope', at(0), at(5)))).toBe('STORE_NOT_FOUND');
    });

    it('counts failed attempts and lets a failed reply be sent later', async () => {
      const { reply: r } = await t.store.reserveReply(reply());
      await t.store.markReplyFailed(r.id, 'ECONNREFUSED');
      await t.store.markReplyFailed(r.id, 'ETIMEDOUT');
      expect(await t.store.getReply(r.id)).toMatchObject({ state: 'failed', error: 'ETIMEDOUT', attempts: 2 });

      await t.store.markReplySent(r.id, '<m@x>', '2021-03-12T10:00:00Z');
      const sent = await t.store.getReply(r.id);
      expect(sent).toMatchObject({ state: 'sent', attempts: 3 });
      expect(sent!.error).toBeUndefined();

      // Marking it sent again with the same Message-ID is harmless; with another one it is a bug.
      await t.store.markReplySent(r.id, '<m@x>', '2021-03-12T10:00:00Z');
      expect(await codeOf(t.store.markReplySent(r.id, '<other@x>', '2021-03-12T10:00:00Z'))).toBe('STORE_INVALID_STATE');
      expect(await codeOf(t.store.markReplyFailed(r.id, 'late'))).toBe('STORE_INVALID_STATE');
    });

    it('holds a reply until staff approve it, with edits, and logs who did', async () => {
      const { reply: r } = await t.store.reserveReply(reply({ status: 'ineligible', held: true }));
      expect(r.state).toBe('held');
      expect(await codeOf(t.store.markReplySent(r.id, '<m@x>', '2021-03-12T10:00:00Z'))).toBe('STORE_INVALID_STATE');

      const approved = await t.store.approveReply(r.id, 'staff:marie', { body: 'Edited by staff.' });
      expect(approved).toMatchObject({ state: 'pending', held: true, body: 'Edited by staff.', subject: 'Re: Application', decidedBy: 'staff:marie' });
      expect(await codeOf(t.store.approveReply(r.id, 'staff:marie'))).toBe('STORE_INVALID_STATE');

      const [event] = await t.store.listEvents(r.id);
      expect(event).toMatchObject({ actor: 'staff:marie', action: 'reply.approved', subject: r.id, detail: { applicationId, revision: 1, edited: ['body'] } });
      expect(JSON.stringify(event!.detail)).not.toContain('Edited by staff');

      expect((await t.store.listReplies({ state: 'pending' })).map((x) => x.id)).toEqual([r.id]);
      expect(await t.store.listReplies({ state: 'held' })).toEqual([]);
    });

    it('discards a reply so it is never sent; discarding twice is harmless, a sent reply cannot be discarded', async () => {
      const { reply: held } = await t.store.reserveReply(reply({ status: 'ineligible', held: true }));
      await t.store.discardReply(held.id, 'staff:marie');
      await t.store.discardReply(held.id, 'staff:marie');
      expect(await t.store.getReply(held.id)).toMatchObject({ state: 'discarded', decidedBy: 'staff:marie' });
      expect(await codeOf(t.store.approveReply(held.id, 'staff:marie'))).toBe('STORE_INVALID_STATE');
      expect(await codeOf(t.store.markReplySent(held.id, '<m@x>', '2021-03-12T10:00:00Z'))).toBe('STORE_INVALID_STATE');
      expect((await t.store.listEvents(held.id)).map((e) => e.action)).toEqual(['reply.discarded']);

      const { reply: sent } = await t.store.reserveReply(reply());
      await t.store.markReplySent(sent.id, '<m@x>', '2021-03-12T10:00:00Z');
      expect(await codeOf(t.store.discardReply(sent.id, 'staff:marie'))).toBe('STORE_INVALID_STATE');
    });

    it('lists replies by state and application, oldest first', async () => {
      const a = (await t.store.reserveReply(reply())).reply;
      const b = (await t.store.reserveReply(reply({ status: 'incomplete', held: true }))).reply;
      const other = await recordAndTriage(t.store, 'other', { uid: 2, applicantKey: 'b@example.org' });
      const c = (await t.store.reserveReply(reply({ applicationId: other.applicationId }))).reply;
      expect((await t.store.listReplies()).map((r) => r.id)).toEqual([a.id, b.id, c.id]);
      expect((await t.store.listReplies({ applicationId })).map((r) => r.id)).toEqual([a.id, b.id]);
      expect((await t.store.listReplies({ state: 'pending', limit: 1 })).map((r) => r.id)).toEqual([a.id]);
    });

    it('names unknown replies and revisions', async () => {
      expect(await codeOf(t.store.reserveReply(reply({ revision: 2 })))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.reserveReply(reply({ applicationId: 'nope' })))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.reserveReply(reply({ to: ' ' })))).toBe('STORE_INVALID_INPUT');
      expect(await codeOf(t.store.markReplySent('nope', '<m@x>', '2021-03-12T10:00:00Z'))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.approveReply('nope', 'staff'))).toBe('STORE_NOT_FOUND');
      expect(await codeOf(t.store.discardReply('nope', 'staff'))).toBe('STORE_NOT_FOUND');
      expect(await t.store.getReply('nope')).toBeUndefined();
    });
  });

  describe('bounced addresses', () => {
    it('remembers a bounced address case-insensitively', async () => {
      expect(await t.store.isAddressBounced('a.rossi@example.it')).toBe(false);
      await t.store.markAddressBounced('A.Rossi@Example.IT', '2021-03-12T10:00:00Z');
      await t.store.markAddressBounced('a.rossi@example.it', '2021-03-13T10:00:00Z');
      expect(await t.store.isAddressBounced(' a.rossi@EXAMPLE.it')).toBe(true);
      expect(await t.store.isAddressBounced('b@example.org')).toBe(false);
      expect(await t.store.isAddressBounced('')).toBe(false);
      expect(await codeOf(t.store.markAddressBounced('', '2021-03-12T10:00:00Z'))).toBe('STORE_INVALID_INPUT');
    });
  });
});
