/**
 * Who sent a mail, as the office's own mail server says (RFC 8601
 * `Authentication-Results`), not as `From` says: anyone can write any `From`.
 *
 * Only a header whose authserv-id the office configured is read, and of
 * those only the topmost: the office's server prepends its own header on
 * arrival, so anything below it (including a header a sender forged with
 * the same authserv-id, when the server does not strip those) came with the
 * mail from outside.
 *
 * With nothing configured (the `triage` command on a saved mail, a service
 * not yet told its server's name) the topmost header is taken as the
 * office's, since it was written last, but only a failure counts: a forged
 * failure only sends the forger's own mail to a person, while a forged pass
 * would let a stranger's mail change a real applicant's application.
 *
 * Pure: no I/O, no clock.
 */

export type SenderAuthentication = 'pass' | 'fail' | 'none';

export interface SenderAuthVerdict {
  /**
   * `pass`: the trusted server says DMARC passed, or SPF or DKIM passed and nothing failed
   * DMARC; `fail`: DMARC failed, or SPF and DKIM both failed (or one failed and the other is absent);
   * `none`: no trusted header, or it says nothing decisive.
   */
  sender: SenderAuthentication;
  /** Which trusted result decided, e.g. "dmarc=fail"; fixed wording, never an address. */
  reason?: string;
}

/** Values of one method in one header, lowercased: `{ spf: ['softfail'], dkim: ['fail', 'pass'] }`. */
export interface AuthenticationResults {
  authservId: string;
  methods: Record<string, string[]>;
}

/** Header lines are bounded: a forged header must not make the parser work for long. */
const MAX_HEADER_CHARS = 16_384;
/** A listed value keeps one character more than is read, so that the parser knows it was cut. */
const KEPT_CHARS = MAX_HEADER_CHARS + 1;
const MAX_HEADERS = 50;

/**
 * The values of every `Authentication-Results` header in a raw header block,
 * unfolded, top first. `headers` is the text up to the first empty line (more is ignored).
 * Never throws.
 */
export function listAuthenticationResultsHeaders(headerBlock: string): string[] {
  const end = headerBlock.search(/\r?\n\r?\n/);
  const block = end >= 0 ? headerBlock.slice(0, end) : headerBlock;
  const out: string[] = [];
  let current: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (current !== undefined && current.length <= MAX_HEADER_CHARS) current += ` ${line.trim()}`;
      continue;
    }
    if (current !== undefined) out.push(current.slice(0, KEPT_CHARS));
    current = undefined;
    if (out.length >= MAX_HEADERS) break;
    const m = /^authentication-results\s*:(.*)$/i.exec(line);
    if (m) current = m[1]!.trim();
  }
  if (current !== undefined && out.length < MAX_HEADERS) out.push(current.slice(0, KEPT_CHARS));
  return out;
}

/** Comments (RFC 5322 CFWS), nested, removed; quoted strings kept as they are. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      if (depth === 0) out += c + value[i + 1];
      i++;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
      out += c;
    } else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out;
}

/**
 * One header's value parsed: the authserv-id (before the first `;`, without
 * the optional version) and each `method=result`. Undefined when no authserv-id.
 * Never throws.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  const clean = stripComments(value.slice(0, MAX_HEADER_CHARS));
  const [idPart, ...parts] = clean.split(';');
  // A value cut at the bound ends in a result cut in two ("dkim=f"): read as a result of its own it turned
  // "dkim=fail" × 1,500 into no verdict.
  const rest = value.length > MAX_HEADER_CHARS ? parts.slice(0, -1) : parts;
  const authservId = (idPart ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!authservId || authservId.includes('=')) return undefined;
  const methods: Record<string, string[]> = {};
  for (const resinfo of rest) {
    // "dkim=pass header.d=example.org": the method and its result come first; the properties after do not matter here.
    const m = /^\s*([a-z0-9_-]+)(?:\/[0-9]+)?\s*=\s*([a-z]+)/i.exec(resinfo);
    if (!m) continue;
    const method = m[1]!.toLowerCase();
    (methods[method] ??= []).push(m[2]!.toLowerCase());
  }
  return { authservId, methods };
}

const SPF_FAILS = new Set(['fail', 'softfail']);

/**
 * What the office's own server says of the sender. `trustedAuthservIds`
 * empty: the topmost header is read, and only its failure is believed (see above).
 * Never throws.
 */
export function judgeSenderAuthentication(headerValues: readonly string[], trustedAuthservIds: readonly string[]): SenderAuthVerdict {
  const trusted = new Set(trustedAuthservIds.map((id) => id.trim().toLowerCase()).filter(Boolean));
  if (trusted.size === 0) {
    const topmost = headerValues.length > 0 ? parseAuthenticationResults(headerValues[0]!) : undefined;
    const verdict = topmost ? judgeResults(topmost) : { sender: 'none' as const };
    return verdict.sender === 'fail' ? verdict : { sender: 'none' };
  }
  let results: AuthenticationResults | undefined;
  for (const value of headerValues) {
    const parsed = parseAuthenticationResults(value);
    if (parsed && trusted.has(parsed.authservId)) {
      results = parsed;
      break;
    }
  }
  return results ? judgeResults(results) : { sender: 'none' };
}

function judgeResults(results: AuthenticationResults): SenderAuthVerdict {
  const dmarc = results.methods.dmarc ?? [];
  const spf = results.methods.spf ?? [];
  const dkim = results.methods.dkim ?? [];
  if (dmarc.includes('fail')) return { sender: 'fail', reason: 'dmarc=fail' };
  // Several DKIM signatures: one that verifies is enough (a mailing list may break another).
  const spfPass = spf.includes('pass');
  const dkimPass = dkim.includes('pass');
  const spfFailed = spf.length === 0 || spf.every((r) => SPF_FAILS.has(r));
  const dkimFailed = dkim.length === 0 || dkim.every((r) => r === 'fail');
  // Both absent says nothing (a server that checks neither); at least one must have failed outright.
  if (!spfPass && !dkimPass && spfFailed && dkimFailed && (spf.length > 0 || dkim.length > 0)) {
    return { sender: 'fail', reason: 'spf and dkim failed' };
  }
  if (dmarc.includes('pass')) return { sender: 'pass', reason: 'dmarc=pass' };
  if (dkimPass || spfPass) return { sender: 'pass', reason: dkimPass ? 'dkim=pass' : 'spf=pass' };
  return { sender: 'none' };
}

/** Comma-separated authserv-ids (the setting), trimmed and lowercased, empties dropped. */
export function parseAuthservIdList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
}
