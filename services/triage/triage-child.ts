/**
 * Entry of the command line's triage child (forked by ./triage-guard.ts): it
 * triages one file per request and answers over IPC, so that an input that
 * makes a parser or a rule run away costs this child, killed at its budget,
 * and never the batch.
 */
import { createOcrEngine } from '../../adapters/ocr';
import { closePdfSandbox, configurePdfReading } from '../../adapters/pdf-reader';
import { loadRules } from '../../adapters/rules-loader';
import { parseAuthservIdList } from '../../core/mail/authentication-results';
import { compileTriageRules, type TriageRules } from '../../core/triage/triage-application';
import { triageFile, type TriageFileOptions } from './triage-file';

export interface TriageChildRequest {
  id: number;
  file: string;
  rulesDir: string;
  ocr: boolean;
  received?: string;
  programme?: string;
}
export type TriageChildReply =
  | { id: number; details: { result: unknown; outcomes: unknown } }
  | { id: number; error: string; fromDisk: boolean };

/**
 * What one PDF may add to its sandbox child in a command-line run. The run is three processes: the
 * command (≈85 MB), this child (≈125 MB) and the PDF sandbox (≈65 MB at start); 192 MB more keeps the
 * whole run under 500 MB when a decompression bomb takes the sandbox to its limit (≈470 MB measured),
 * and is twice what a 450-page text PDF adds (≈80 MB). The service keeps its own setting (`limits.pdfReadMemoryMb`).
 */
export const CLI_PDF_READ_MEMORY_MB = 192;
configurePdfReading({ memoryMb: CLI_PDF_READ_MEMORY_MB });

process.on('unhandledRejection', () => undefined);
process.on('disconnect', () => process.exit(0));

const rulesByDir = new Map<string, TriageRules>();
let ocr: ReturnType<typeof createOcrEngine> | undefined;

process.on('message', (req: TriageChildRequest | { close: true }) => {
  // Ending our own PDF sandbox children first lets the command's resource usage count them.
  if ('close' in req) void closePdfSandbox().finally(() => process.exit(0));
  else void handle(req).then((reply) => process.send?.(reply));
});

async function handle(req: TriageChildRequest): Promise<TriageChildReply> {
  try {
    let rules = rulesByDir.get(req.rulesDir);
    if (!rules) rulesByDir.set(req.rulesDir, (rules = compileTriageRules(loadRules(req.rulesDir))));
    const options: TriageFileOptions = {};
    if (req.ocr) options.ocr = ocr ??= createOcrEngine();
    if (req.received) options.received = new Date(req.received);
    if (req.programme) options.programme = req.programme;
    // The service's own setting, so that the command and the live service believe the same server.
    options.trustedAuthservIds = parseAuthservIdList(process.env.ESOR_MAIL_TRUSTED_AUTHSERV_IDS);
    const details = await triageFile(req.file, rules, options);
    return { id: req.id, details: { result: details.result, outcomes: details.outcomes } };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { id: req.id, error: (e?.message ?? String(err)).split('\n')[0]!, fromDisk: typeof e?.code === 'string' && e.syscall !== undefined };
  }
}

process.send?.({ ready: true });
