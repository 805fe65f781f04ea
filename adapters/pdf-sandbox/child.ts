/**
 * Entry of the PDF sandbox child (forked by ./pool.ts). Reads one PDF's text
 * layer per request and answers over IPC. It holds no state worth keeping:
 * the parent kills it at its time or memory budget and forks a fresh one.
 */
import type { PageText } from '../../core/types';
import { PdfUnreadableError, readTextLayer } from './text-layer';

export type SandboxRequest = { id: number; data: Uint8Array; firstPageNumber: number };
export type SandboxReply = { id: number; pages: PageText[] } | { id: number; unreadable: string };

// pdf.js may reject promises of its own after a failed getText; nobody awaits them, and
// Node's default would end this child (and, before the sandbox, the whole CLI batch) with exit 1.
process.on('unhandledRejection', () => undefined);
// The parent is gone (killed, crashed): nothing will ever read our answers.
process.on('disconnect', () => process.exit(0));

process.on('message', (msg: SandboxRequest) => {
  readTextLayer(msg.data, msg.firstPageNumber).then(
    (pages) => send({ id: msg.id, pages }),
    (err: unknown) =>
      send({ id: msg.id, unreadable: err instanceof PdfUnreadableError ? err.reason : 'the file is damaged or incomplete' }),
  );
});

function send(reply: SandboxReply): void {
  process.send?.(reply);
}

process.send?.({ ready: true });
