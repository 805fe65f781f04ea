/**
 * Which tesseract languages read a page of a given script, and what
 * tesseract's orientation and script detection (OSD, `--psm 0`) said.
 *
 * Why a small set per script: tesseract runs every loaded language's model
 * over each word, so its cost grows with the number of languages (one page:
 * 0.84 s with `eng` alone, 3.2 s with the call's eight Latin languages), and
 * a Latin model reads a Cyrillic or Greek scan as Latin garbage however many
 * Latin languages are loaded. English joins every set: certificates,
 * passports and diplomas from everywhere carry English words, numbers and
 * the passport's machine-readable zone.
 */

/** OSD's script names (as `--psm 0` prints them) → languages to read with, best first. */
export const SCRIPT_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  // The call's two languages (English, French) first: most certificates are in one of them.
  Latin: ['eng', 'fra'],
  // Ukraine, Russia, Bulgaria, Serbia, North Macedonia. Not kaz: each language costs time on every
  // uncertain word, and Kazakh shares most letters with Russian (installed, add it if needed).
  Cyrillic: ['rus', 'ukr', 'bul', 'srp', 'mkd', 'eng'],
  Greek: ['ell', 'eng'],
  Georgian: ['kat', 'eng'],
  Armenian: ['hye', 'eng'],
  Arabic: ['ara', 'fas', 'eng'],
  Hebrew: ['heb', 'eng'],
};

/**
 * Countries whose own documents are written in a script other than Latin (ISO 3166 alpha-2 → OSD script).
 * An upper-case Greek title read with Latin models comes out as confident Latin ("ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ" as
 * "EAAHNIKH AHMOKPATIA", mean confidence 76), so OSD is never asked; a scanned page of an applicant whose
 * documents name such a country is also read with that script's languages, and the better reading wins.
 */
export const COUNTRY_SCRIPTS: Readonly<Record<string, string>> = {
  GR: 'Greek', CY: 'Greek',
  UA: 'Cyrillic', RU: 'Cyrillic', BY: 'Cyrillic', BG: 'Cyrillic', RS: 'Cyrillic', MK: 'Cyrillic', KZ: 'Cyrillic',
  KG: 'Cyrillic', MN: 'Cyrillic',
  GE: 'Georgian', AM: 'Armenian', IL: 'Hebrew',
  EG: 'Arabic', SA: 'Arabic', JO: 'Arabic', LB: 'Arabic', SY: 'Arabic', IQ: 'Arabic', AE: 'Arabic', QA: 'Arabic',
  KW: 'Arabic', BH: 'Arabic', OM: 'Arabic', YE: 'Arabic', LY: 'Arabic', SD: 'Arabic', DZ: 'Arabic', MA: 'Arabic',
  TN: 'Arabic', IR: 'Arabic',
};

/**
 * The second Latin pass, for a page the call's two languages read poorly: the
 * Latin languages of the call's documents (the eight the engine used for
 * every page before). Not every installed Latin language: twenty-five models
 * at once would cost ten times a page's reading.
 */
export const LATIN_FALLBACK = ['eng', 'fra', 'deu', 'ita', 'spa', 'por', 'nld', 'pol'] as const;

/**
 * Scripts tesseract's OSD model (Debian's `osd` traineddata) does not recognise: a Georgian diploma
 * came out as "Malayalam" (confidence 0.7), an Armenian one as "Latin" (10.6). A page that no
 * Latin reading makes sense of is read once more with their languages.
 */
export const SCRIPTS_UNKNOWN_TO_OSD = ['Georgian', 'Armenian'] as const;

/** The installed languages of SCRIPTS_UNKNOWN_TO_OSD, English once, last; empty when none of theirs is installed. */
export function unknownToOsd(installed: ReadonlySet<string>): string[] {
  const own = SCRIPTS_UNKNOWN_TO_OSD.flatMap((s) => languagesForScript(s, installed)).filter((l) => l !== 'eng');
  return own.length > 0 ? [...own, ...(installed.has('eng') ? ['eng'] : [])] : [];
}

export interface OsdResult {
  /** Degrees to rotate the image clockwise so that its text stands upright (0, 90, 180, 270). */
  rotate: number;
  orientationConfidence: number;
  script: string;
  scriptConfidence: number;
}

/** `tesseract IMG - --psm 0` output ("Rotate: 90", "Orientation confidence: 4.2", "Script: Cyrillic" …); undefined when incomplete. */
export function parseOsd(out: string): OsdResult | undefined {
  const num = (name: string) => {
    const m = new RegExp(`^${name}: +(-?\\d{1,4}(?:\\.\\d{1,6})?)\\s*$`, 'm').exec(out);
    return m ? Number(m[1]) : undefined;
  };
  const script = /^Script: +([A-Za-z_]{1,40})\s*$/m.exec(out)?.[1];
  const rotate = num('Rotate');
  const orientationConfidence = num('Orientation confidence');
  const scriptConfidence = num('Script confidence');
  if (script === undefined || rotate === undefined || orientationConfidence === undefined || scriptConfidence === undefined) return undefined;
  if (![0, 90, 180, 270].includes(rotate)) return undefined;
  return { rotate, orientationConfidence, script, scriptConfidence };
}

/** The installed languages for `script`, in the table's order; empty when the script is not in the table or none is installed. */
export function languagesForScript(script: string, installed: ReadonlySet<string>): string[] {
  return (SCRIPT_LANGUAGES[script] ?? []).filter((l) => installed.has(l));
}
