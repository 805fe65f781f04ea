/**
 * Reads the YAML rule files of a folder, checks them against the strict
 * schemas and returns one frozen RuleSet, or throws RulesInvalidError listing
 * every problem as `file:line: path: what is wrong`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { CANONICAL_FLAG_CODES } from '../core/flag-codes';
import type { MachineMailPatterns } from '../core/mail-kind';
import { replyRulesSchema, type ReplyRules } from '../core/reply/reply-rules-schema';
import {
  commonRulesSchema,
  mailRulesSchema,
  programmeSchema,
  type CommonRules,
  type MailRules,
  type Programme,
  type RuleSet,
} from '../core/rules/schema';

export class RulesInvalidError extends Error {
  readonly code = 'RULES_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid rule files:\n${problems.join('\n')}`);
    this.name = 'RulesInvalidError';
  }
}

interface ParsedFile {
  file: string;
  doc: YAML.Document;
  lines: YAML.LineCounter;
  data: unknown;
  sha256: string;
}

/** The YAML files of a rules folder and of its `programmes/` subfolder, sorted. */
export function listRuleFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(name)) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/*
 * Beside the loader because the CLI (services/triage/triage-file.ts) and the ingest stage (workers/ingest.ts) both
 * need it and workers/ must not import services/; its natural home is core/mail-kind.ts (core/ is pure).
 */
/** The machine-mail words of the mail rule file, in the shape the core expects. */
export function toMachinePatterns(rules: RuleSet): MachineMailPatterns {
  const m = rules.mail.machine_mail;
  return {
    outOfOfficeSubjects: [...m.out_of_office_subjects],
    bounceSubjects: [...m.bounce_subjects],
    machineSenders: [...m.machine_senders],
    noReplySenders: [...m.no_reply_senders],
  };
}

/**
 * Loads and validates every rule file under `dir`.
 * @throws RulesInvalidError with all problems found, each `file:line: path: message`.
 */
export function loadRules(dir: string): RuleSet {
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = listRuleFiles(dir);
  } catch (err) {
    throw new RulesInvalidError([`${dir}: cannot read the rules folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    const rel = displayPath(file);
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${rel}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`);
      continue;
    }
    parsed.push({ file: rel, doc, lines, data: doc.toJS(), sha256: createHash('sha256').update(text).digest('hex') });
  }

  let common: CommonRules | undefined;
  let mail: MailRules | undefined;
  let replies: ReplyRules | undefined;
  let repliesSeen = false;
  const programmes: Programme[] = [];
  const sources: Record<string, string> = {};
  for (const f of parsed) {
    sources[f.file] = f.sha256;
    const kind = kindOf(f.data);
    if (kind === 'common') {
      const r = check(f, commonRulesSchema, problems);
      if (r && common) problems.push(`${f.file}:1: a second common rule file; only one is allowed`);
      else if (r) common = r;
    } else if (kind === 'mail') {
      const r = check(f, mailRulesSchema, problems);
      if (r) mail = r;
    } else if (kind === 'replies') {
      repliesSeen = true;
      const r = check(f, replyRulesSchema, problems);
      if (r && replies) problems.push(`${f.file}:1: a second replies rule file; only one is allowed`);
      else if (r) replies = r;
    } else if (kind === 'programme') {
      const r = check(f, programmeSchema, problems);
      if (r) {
        if (programmes.some((p) => p.id === r.id)) problems.push(`${f.file}:1: id: programme id "${r.id}" is used twice`);
        else programmes.push(r);
      }
    } else {
      problems.push(`${f.file}:1: kind: expected "common", "programme", "mail" or "replies"`);
    }
  }
  if (!common && !problems.some((p) => p.includes('common'))) problems.push(`${dir}: no common rule file (kind: common)`);
  if (!mail && !problems.some((p) => p.includes('mail'))) problems.push(`${dir}: no mail rule file (kind: mail)`);
  // Unlike the checks above, not `problems` mentioning "replies": a programme's own `replies:` key would match.
  if (!repliesSeen) problems.push(`${dir}: no replies rule file (kind: replies)`);
  if (programmes.length === 0 && problems.length === 0) problems.push(`${dir}: no programme file (kind: programme)`);
  if (common) {
    const commonFile = parsed.find((f) => kindOf(f.data) === 'common')!.file;
    for (const code of CANONICAL_FLAG_CODES) {
      if (!common.flags[code]) problems.push(`${commonFile}:1: flags.${code}: every canonical flag code needs a severity and a message`);
    }
  }
  if (problems.length > 0) throw new RulesInvalidError(problems);
  return deepFreeze({ common: common!, mail: mail!, programmes, replies: replies!, sources });
}

/** Paths inside the working folder are shown relative to it, others in full. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function kindOf(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const obj = data as Record<string, unknown>;
  if (typeof obj.kind === 'string') return obj.kind;
  if ('machine_mail' in obj) return 'mail';
  return undefined;
}

function check<T extends z.ZodType>(f: ParsedFile, schema: T, problems: string[]): z.infer<T> | undefined {
  const result = schema.safeParse(f.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // An unknown key is reported where it stands, not at its parent.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const p of paths) {
      const where = p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
      const message =
        issue.code === 'unrecognized_keys'
          ? 'unknown key (a typo? rule files accept only the documented keys)'
          : issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
            ? 'required key is missing'
            : issue.message;
      problems.push(`${f.file}:${lineOf(f, p)}: ${where || '(top)'}: ${message}`);
    }
  }
  return undefined;
}

/** The line of the deepest node of `p` that exists in the file (a missing key points at its parent). */
function lineOf(f: ParsedFile, p: PropertyKey[]): number {
  for (let n = p.length; n >= 0; n--) {
    const node = f.doc.getIn(p.slice(0, n) as unknown[], true) as YAML.Node | undefined;
    if (node && YAML.isNode(node) && node.range) return f.lines.linePos(node.range[0]).line;
    if (n > 0 && typeof p[n - 1] === 'string') {
      // A scalar's key: point at the pair's key when the value is absent.
      const parent = f.doc.getIn(p.slice(0, n - 1) as unknown[], true);
      if (YAML.isMap(parent)) {
        const pair = parent.items.find((it) => YAML.isScalar(it.key) && it.key.value === p[n - 1]);
        if (pair && YAML.isScalar(pair.key) && pair.key.range) return f.lines.linePos(pair.key.range[0]).line;
      }
    }
  }
  return 1;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
