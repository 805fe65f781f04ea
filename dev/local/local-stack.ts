/**
 * The three local servers wired together as the demo and the end-to-end tests use them:
 * Redis for BullMQ, Dovecot holding the office mailbox, and an SMTP relay whose mail lands in
 * the recipients' Dovecot mailboxes (accounts made on first mail), so a demo user can read replies.
 */
import { createHash } from 'node:crypto';
import { chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDovecotDelivery, findUntraversableAncestor, startDovecot, type DovecotServer } from './dovecot-server';
import { prepareLocalDir } from './local-dir';
import { startRedis, type RedisServer } from './redis-server';
import { startSmtpRelay, type SmtpRelay } from './smtp-relay';

export interface StartLocalStackOptions {
  /** Parent folder: redis/ and dovecot/ go below it; default a fresh temp dir. */
  dir?: string;
  /** The office mailbox the poller reads. */
  office: { user: string; password: string };
  /** Password of the accounts created for recipients of relayed mail; default "demo". */
  recipientPassword?: string;
}

export interface LocalStack {
  dir: string;
  /** Where Dovecot keeps its mail: below `dir`, or a folder of the temp dir when Dovecot's users cannot reach `dir`. */
  dovecotDir: string;
  redis: RedisServer;
  dovecot: DovecotServer;
  smtp: SmtpRelay;
  /** Stops the relay, then Dovecot, then Redis. Idempotent. `removeDir` removes the folder only if it was made here. */
  stop(options?: { removeDir?: boolean }): Promise<void>;
}

/**
 * Starts Redis, Dovecot and the relay; if one fails, the ones already started are stopped
 * before the error (naming the failing server's log) is rethrown.
 */
export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  const local = prepareLocalDir(options.dir, 'esor-local-');
  // Dovecot's unprivileged processes must pass through to dovecot/ (a fresh temp dir is 0700).
  if (local.created) chmodSync(local.dir, 0o711);
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopStarted = async () => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const redis = await startRedis({ dir: path.join(local.dir, 'redis') });
    started.push(redis);
    const dovecotDir = reachableDovecotDir(local.dir);
    const dovecot = await startDovecot({ dir: dovecotDir, users: [options.office] });
    started.push(dovecot);
    const smtp = await startSmtpRelay({ deliverTo: createDovecotDelivery(dovecot, options.recipientPassword ?? 'demo') });
    started.push(smtp);

    let stopping: Promise<void> | undefined;
    return {
      dir: local.dir,
      dovecotDir,
      redis,
      dovecot,
      smtp,
      async stop(stopOptions) {
        stopping ??= (async () => {
          await smtp.stop();
          await dovecot.stop();
          await redis.stop();
        })();
        await stopping;
        if (stopOptions?.removeDir) local.remove();
      },
    };
  } catch (err) {
    await stopStarted();
    if (local.created) local.remove();
    throw err;
  }
}

/**
 * dovecot/ below DIR, unless a folder above DIR is closed to other users (a home folder made 0700,
 * as Debian 12 does): Dovecot's login and mail processes could not reach it. Its mail then goes to a
 * folder of the temp dir named after DIR, so a restart finds the same mailboxes.
 */
function reachableDovecotDir(dir: string): string {
  const own = path.join(dir, 'dovecot');
  if (!findUntraversableAncestor(own)) return own;
  const id = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `esor-intake-dovecot-${id}`);
}
