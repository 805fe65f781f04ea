/**
 * The ESR member list that admins upload (CSV: membership number, name,
 * e-mail, paid years), parsed and looked up. Pure: the dashboard hands in the
 * uploaded text, services/common/member-list-store.ts keeps the parsed list.
 *
 * The CSV comes from a spreadsheet, so the parser is lenient where
 * spreadsheets differ (comma, semicolon or tab between cells; a header row or
 * none; a byte-order mark; paid years as "2020;2021", "2020, 2021" or
 * "2020-2022") and strict where a mistake would mislead the check: a row
 * without a membership number or with a paid year that is no year is
 * reported, never guessed.
 */

export interface EsrMember {
  /** As printed in the list. */
  number: string;
  name: string;
  email: string;
  /** Sorted, unique. */
  paidYears: number[];
}

export interface EsrMemberList {
  members: EsrMember[];
  /** ISO time of the upload and who uploaded it. */
  uploadedAt: string;
  uploadedBy: string;
}

export interface MemberListProblem {
  /** 1-based line of the CSV. */
  line: number;
  message: string;
}

const MAX_MEMBERS = 200_000;
const HEADER_WORDS: Record<keyof EsrMember, RegExp> = {
  number: /^(esr\s*)?(membership|member)?\s*(number|no\.?|nr\.?|id|#)$/i,
  name: /^(full\s*)?name$/i,
  email: /^e-?mail(\s*address)?$/i,
  paidYears: /^(paid\s*(years?|for)?|years?\s*paid|fees?\s*paid|years?)$/i,
};
const DEFAULT_ORDER: Array<keyof EsrMember> = ['number', 'name', 'email', 'paidYears'];

/** A membership number compared as letters and digits only, upper case, leading zeros dropped ("ESR-00123" = "ESR123"). */
export function normaliseMemberNumber(raw: string): string {
  const alnum = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const m = /^([A-Z]*)0*(\d+)$/.exec(alnum);
  return m ? `${m[1] === 'ESR' ? '' : m[1]}${m[2]}` : alnum;
}

function splitRow(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === sep) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** Splits text into CSV records, keeping line breaks inside quotes; returns each record with its first line number. */
function records(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let current = '';
  let start = 1;
  let line = 1;
  let quotes = 0;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    current = current ? `${current}\n${raw}` : raw;
    quotes += (raw.match(/"/g) ?? []).length;
    if (quotes % 2 === 0) {
      if (current.trim()) out.push({ line: start, text: current });
      current = '';
      quotes = 0;
      start = line + 1;
    }
    line++;
  }
  if (current.trim()) out.push({ line: start, text: current });
  return out;
}

/** "2020;2021", "2019-2021", "2021 2022" -> years; undefined when a part is no year. */
function parseYears(cell: string): number[] | undefined {
  const years = new Set<number>();
  for (const part of cell.split(/[;,/\s|]+/).filter(Boolean)) {
    const range = /^(\d{4})[-–](\d{4})$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to || to - from > 50 || from < 1950 || to > 2100) return undefined;
      for (let y = from; y <= to; y++) years.add(y);
      continue;
    }
    if (!/^\d{4}$/.test(part) || Number(part) < 1950 || Number(part) > 2100) return undefined;
    years.add(Number(part));
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * Parses the uploaded CSV. Rows with problems are left out and listed; a list of no members at
 * all is a problem of its own (line 0), so an empty or wrong file never replaces a good list.
 */
export function parseMemberList(text: string): { members: EsrMember[]; problems: MemberListProblem[] } {
  const rows = records(text.replace(/^\uFEFF/, ''));
  const problems: MemberListProblem[] = [];
  if (rows.length === 0) return { members: [], problems: [{ line: 0, message: 'the file is empty' }] };
  const first = rows[0]!.text;
  const sep = [';', '\t', ','].map((s) => ({ s, n: splitRow(first, s).length })).sort((a, b) => b.n - a.n)[0]!.s;
  let order = DEFAULT_ORDER as Array<keyof EsrMember | undefined>;
  const head = splitRow(first, sep);
  const named = head.map((h) => DEFAULT_ORDER.find((k) => HEADER_WORDS[k].test(h.trim())));
  const isHeader = named.includes('number') || (named.filter(Boolean).length >= 2 && !/\d{3}/.test(head[0] ?? ''));
  if (isHeader) {
    if (!named.includes('number')) return { members: [], problems: [{ line: rows[0]!.line, message: 'the header names no membership number column' }] };
    order = named;
  }
  const byNumber = new Map<string, EsrMember>();
  for (const row of isHeader ? rows.slice(1) : rows) {
    const cells = splitRow(row.text, sep);
    const get = (k: keyof EsrMember) => {
      const i = order.indexOf(k);
      if (i < 0) return '';
      // The last column takes what is left: "2020;2021" unquoted in a semicolon file is one cell of years.
      if (k === 'paidYears' && i === order.length - 1) return cells.slice(i).join(' ').trim();
      return (cells[i] ?? '').trim();
    };
    const number = get('number');
    if (!number || !/[0-9]/.test(number)) {
      problems.push({ line: row.line, message: 'no membership number' });
      continue;
    }
    const years = parseYears(get('paidYears'));
    if (!years) {
      problems.push({ line: row.line, message: `paid years "${get('paidYears').slice(0, 40)}" are not years such as 2021 or 2020;2021` });
      continue;
    }
    const key = normaliseMemberNumber(number);
    const before = byNumber.get(key);
    // A member listed twice (one row per paid year, as some exports do) keeps every year.
    if (before) before.paidYears = [...new Set([...before.paidYears, ...years])].sort((a, b) => a - b);
    else byNumber.set(key, { number, name: get('name'), email: get('email').toLowerCase(), paidYears: years });
    if (byNumber.size > MAX_MEMBERS) return { members: [], problems: [{ line: row.line, message: `more than ${MAX_MEMBERS} members: is this the right file?` }] };
  }
  const members = [...byNumber.values()];
  if (members.length === 0) problems.unshift({ line: 0, message: 'no member could be read from the file' });
  return { members, problems };
}

/** Looks members up by number and by e-mail. */
export class MemberIndex {
  private readonly byNumber = new Map<string, EsrMember>();
  private readonly byEmail = new Map<string, EsrMember>();

  constructor(readonly list: EsrMemberList) {
    for (const m of list.members) {
      this.byNumber.set(normaliseMemberNumber(m.number), m);
      if (m.email) this.byEmail.set(m.email.toLowerCase(), m);
    }
  }

  findNumber(raw: string): EsrMember | undefined {
    return this.byNumber.get(normaliseMemberNumber(raw));
  }

  findEmail(email: string): EsrMember | undefined {
    return this.byEmail.get(email.trim().toLowerCase());
  }
}
