/**
 * Language levels (CEFR) read from language certificates and CV language
 * lines. A level is only reported with the language it belongs to: explicit
 * levels ("B2", "niveau B2") are attached to the nearest language mention of
 * the same line segment, line, or short paragraph; exams that imply both a
 * language and a level (IELTS band, TOEFL iBT score, Cambridge CAE) and
 * "mother tongue" phrases are read too. Exam scores are mapped with the
 * exam bodies' published equivalences, and only on a page that names the exam.
 */
import type { CefrLevel } from '../types';
import { CEFR_LEVELS } from '../types';
import {
  clipSnippet,
  compileWordAlternation,
  findLineIndex,
  foldWithMap,
  mapRange,
  splitLineOffsets,
  type FoldedText,
} from './text-fold';

export interface LanguageLevel {
  /** ISO 639-1 code. */
  lang: string;
  level: CefrLevel;
  /** Index (original text) of the level wording. */
  index: number;
  /** The line(s) the level was read from, ≤ 160 chars. */
  snippet: string;
  /** How the level was written: a CEFR code, an exam result, or a mother-tongue phrase. */
  via: 'cefr' | 'exam' | 'native';
}

// Language names in the languages of the call's documents. A trailing '*'
// marks a stem that takes any ending (Polish cases, Greek/Romanian forms,
// German compounds such as "Englischkenntnisse").
const LANGUAGE_NAMES: Record<string, string[]> = {
  en: ['english', 'englisch*', 'anglais*', 'inglese', 'ingles', 'inglesa', 'engels', 'angielsk*', 'αγγλικ*', 'englez*',
    'angol', 'angolul', 'angoltudas',
    'anglick*', 'engelsk*', 'englanti*', 'ingilizce', 'английск*', 'англійськ*', 'anglų', 'angļu', 'engelse', 'engl'],
  fr: ['french', 'franzosisch*', 'franzoesisch*', 'francais*', 'francese', 'frances', 'francesa', 'frans', 'franse',
    'francusk*', 'γαλλικ*', 'francez*', 'francouz*', 'fransk*', 'ranska*', 'fransizca', 'franciaul', 'французск*',
    'французьк*', 'prancūzų',
    'franču'],
  de: ['german', 'deutsch', 'deutsche', 'deutschen', 'deutscher', 'deutschkenntnisse', 'allemand*', 'tedesco', 'tedesca',
    'aleman*', 'alemao', 'alema', 'duits*', 'niemieck*', 'γερμανικ*', 'germana', 'nemet*', 'nemcin*', 'nemeck*',
    'tysk*', 'saksa*', 'almanca', 'немецк*', 'німецьк*', 'vokiečių', 'vācu'],
  // Not the stem "italien*": German "Italien" is the country.
  it: ['italian', 'italien', 'italienne', 'italienisch*', 'italiano', 'italiana', 'italiaans*', 'wlosk*', 'ιταλικ*',
    'olasz*', 'italsk*', 'italiensk*', 'italyanca', 'итальянск*', 'італійськ*'],
  es: ['spanish', 'espagnol*', 'spanisch*', 'spagnolo', 'spagnola', 'espanol*', 'espanhol*', 'spaans*', 'hiszpansk*', 'ισπανικ*',
    'spaniol*', 'spanyol*', 'spanelstin*', 'spanelsk*', 'spansk*', 'espanja*', 'ispanyolca', 'castellano', 'castilian',
    'испанск*', 'іспанськ*'],
  pt: ['portuguese', 'portugais*', 'portugiesisch*', 'portoghese', 'portugues*', 'portugees', 'portugese',
    'portugalsk*', 'πορτογαλικ*', 'portughez*', 'portugalstin*', 'portugisisk*', 'portekizce', 'португальск*'],
  nl: ['dutch', 'neerlandais*', 'hollandais*', 'niederlandisch*', 'hollandisch*', 'olandese', 'neerlandes*',
    'holandes*', 'nederlands*', 'vlaams', 'flemish', 'flamand*', 'niderlandzk*', 'holendersk*', 'ολλανδικ*',
    'olandez*', 'neerlandez*', 'nizozemstin*', 'hollandsk*', 'nederlandsk*', 'hollanti*', 'felemenkce'],
  pl: ['polish', 'polonais*', 'polnisch*', 'polacco', 'polacca', 'polaco', 'polaca', 'polones*', 'pools', 'poolse',
    'polski', 'polskiego', 'polskim', 'polsku', 'πολωνικ*', 'polonez*', 'lengyel*', 'polstin*', 'polsk', 'lehce', 'польск*', 'польськ*'],
  el: ['greek', 'grec', 'grecque', 'griechisch*', 'greco', 'greca', 'griego', 'griega', 'grego', 'grega', 'grieks*',
    'greck*', 'ελληνικ*', 'greaca', 'gorog*', 'rectin*', 'grekisk*', 'graesk*', 'kreikka*', 'yunanca', 'греческ*'],
  ro: ['romanian', 'roumain*', 'rumanisch*', 'rumaenisch*', 'rumeno', 'rumena', 'rumano', 'rumana', 'romeno', 'romena',
    'roemeens*', 'rumunsk*', 'ρουμανικ*', 'romana', 'romaneste', 'rumunstin*', 'rumänisch*', 'rumensk*', 'romence',
    'румынск*'],
  sv: ['swedish', 'svenska', 'schwedisch*', 'suedois*', 'svedese', 'sueco', 'sueca', 'zweeds*', 'szwedzk*',
    'σουηδικ*', 'suedez*', 'svedstin*', 'svensk*', 'ruotsi*', 'isvecce'],
  da: ['danish', 'dansk*', 'danois*', 'danisch*', 'danese', 'danes', 'dinamarques*', 'deens*', 'dunsk*', 'δανικ*',
    'daneza', 'danstin*'],
  no: ['norwegian', 'norsk*', 'norvegien*', 'norwegisch*', 'norvegese', 'noruego', 'noruega', 'noors*',
    'norwesk*', 'νορβηγικ*', 'norvegian*', 'norstin*'],
  fi: ['finnish', 'suomi', 'suomen', 'finnois*', 'finnisch*', 'finlandese', 'finlandes*', 'fins', 'finse', 'finsk*',
    'φινλανδικ*', 'finlandez*', 'finstin*'],
  cs: ['czech', 'cestin*', 'cesky', 'tcheque', 'tschechisch*', 'ceco', 'ceca', 'checo', 'checa', 'tcheco', 'tsjechisch*',
    'czesk*', 'τσεχικ*', 'ceha'],
  sk: ['slovak', 'slovencin*', 'slovensky', 'slovaque', 'slowakisch*', 'slovacco', 'slovacca', 'eslovaco', 'eslovaca',
    'slowaaks*', 'slowack*', 'slovaca'],
  hu: ['hungarian', 'magyar', 'hongrois*', 'ungarisch*', 'ungherese', 'hungaro', 'hungara', 'hongaars*', 'wegiersk*',
    'ουγγρικ*', 'maghiar*', 'madarstin*', 'ungersk*'],
  hr: ['croatian', 'hrvatski', 'hrvatskog', 'croate', 'kroatisch*', 'croato', 'croata', 'chorwack*', 'κροατικ*',
    'croata', 'chorvatstin*'],
  sr: ['serbian', 'srpski', 'srpskog', 'serbe', 'serbisch*', 'serbo', 'serbio', 'servio', 'servisch*', 'serbsk*',
    'σερβικ*', 'sarba', 'сербск*', 'српски'],
  sl: ['slovenian', 'slovene', 'slovenscin*', 'slovenski', 'slowenisch*', 'sloveno', 'slovena', 'sloveens*',
    'slowensk*'],
  bg: ['bulgarian', 'bulgare', 'bulgarisch*', 'bulgaro', 'bulgara', 'bulgaars*', 'bulgarsk*', 'βουλγαρικ*',
    'bulgara', 'българск*'],
  // Not "russo": a frequent Italian surname.
  ru: ['russian', 'russe', 'russisch*', 'ruso', 'rusa', 'rosyjsk*', 'ρωσικ*', 'rustin*', 'ryska', 'russisk*', 'rusca', 'русск*', 'російськ*'],
  uk: ['ukrainian', 'ukrainien*', 'ukrainisch*', 'ucraino', 'ucraina', 'ucraniano', 'ucraniana', 'oekraiens*',
    'ukrainsk*', 'ουκρανικ*', 'ucrainean*', 'украинск*', 'українськ*'],
  tr: ['turkish', 'turc', 'turque', 'turkisch*', 'turco', 'turca', 'turks', 'turecki*', 'τουρκικ*', 'turkce',
    'turkstin*', 'turkisk*'],
  ar: ['arabic', 'arabe', 'arabisch*', 'arabo', 'araba', 'arabsk*', 'αραβικ*', 'arabcs', 'العربية'],
  he: ['hebrew', 'hebreu', 'hebraisch*', 'ebraico', 'ebraica', 'hebreo', 'hebrea', 'hebraico', 'hebreeuws*',
    'hebrajsk*', 'εβραικ*', 'ebraica', 'ivrit', 'עברית'],
  zh: ['chinese', 'chinois*', 'chinesisch*', 'cinese', 'chino', 'chines', 'chinesa', 'chinees*', 'chinsk*',
    'mandarin*', 'κινεζικ*', 'chineza', 'cinstin*', 'cince', '中文'],
  ja: ['japanese', 'japonais*', 'japanisch*', 'giapponese', 'japones*', 'japans*', 'japonsk*', 'ιαπωνικ*', 'japoneza',
    'japonstin*', 'japonca', '日本語'],
  ko: ['korean', 'coreen*', 'koreanisch*', 'coreano', 'coreana', 'koreaans*', 'koreansk*'],
  lt: ['lithuanian', 'lietuviu', 'lituanien*', 'litauisch*', 'lituano', 'lituana', 'litouws*', 'litewsk*'],
  lv: ['latvian', 'latviesu', 'letton*', 'lettisch*', 'lettone', 'leton', 'letona', 'lotewsk*'],
  et: ['estonian', 'eesti', 'estonien*', 'estnisch*', 'estone', 'estonio', 'estonsk*'],
  ca: ['catalan', 'catala', 'catalano', 'katalanisch*', 'catalaans*', 'katalonsk*'],
  sq: ['albanian', 'shqip', 'albanais*', 'albanisch*', 'albanese', 'albanes', 'albansk*'],
  mk: ['macedonian', 'makedonski', 'macedonien*', 'mazedonisch*', 'macedone', 'macedonio'],
  bs: ['bosnian', 'bosanski', 'bosniaque', 'bosnisch*', 'bosniaco', 'bosnio'],
  ga: ['irish', 'gaeilge', 'irlandais*', 'irisch*'],
  mt: ['maltese', 'malti', 'maltais*', 'maltesisch*', 'maltes'],
  lb: ['luxembourgish', 'letzebuergesch', 'luxembourgeois*', 'luxemburgisch*'],
  is: ['icelandic', 'islenska', 'islandais*', 'islandisch*'],
  fa: ['persian', 'farsi', 'persan', 'persisch*', 'persiano'],
  hi: ['hindi'],
  ur: ['urdu'],
  // Not "armenien"/"georgien": German names of the countries.
  hy: ['armenian', 'armenienne', 'armenisch*'],
  ka: ['georgian', 'georgienne', 'georgisch*'],
};

// Exams and certificate names that tell the language by themselves.
// Acronyms are accepted only when printed in capitals ("dele" is Portuguese for "his").
const EXAM_LANGUAGES = new Map<string, string>(Object.entries({
  delf: 'fr', dalf: 'fr', tcf: 'fr', tef: 'fr', ielts: 'en', toefl: 'en', toeic: 'en', cambridge: 'en', cae: 'en',
  cpe: 'en', fce: 'en', pte: 'en', goethe: 'de', testdaf: 'de', osd: 'de', dsh: 'de', dele: 'es', siele: 'es',
  celi: 'it', cils: 'it', plida: 'it', caple: 'pt', celpe: 'pt', cnavt: 'nl', linguaskill: 'en',
}));
const EXAM_NEEDS_CAPITALS = new Set(['delf', 'dalf', 'tcf', 'tef', 'ielts', 'toefl', 'toeic', 'cae', 'cpe', 'fce', 'pte',
  'osd', 'dsh', 'dele', 'siele', 'celi', 'cils', 'plida', 'caple', 'celpe', 'cnavt', 'testdaf']);

// State names that contain a language adjective but say nothing about a language.
const NOT_LANGUAGE = compileWordAlternation([
  'république française', 'republique francaise', 'communauté française', 'repubblica italiana',
  'república portuguesa', 'ελληνική δημοκρατία', 'polynésie française', 'guyane française', 'suisse romande',
  'english channel', 'new english', 'old english', 'middle english',
]);

const EXACT_LANGUAGE = new Map<string, string>();
// Stems grouped by their first two letters, so a word is compared with a handful of stems only.
const STEMS_BY_PREFIX = new Map<string, Array<[string, string]>>();
for (const [code, names] of Object.entries(LANGUAGE_NAMES)) {
  for (const name of names) {
    if (name.endsWith('*')) {
      const stem = foldWithMap(name.slice(0, -1)).folded;
      const key = stem.slice(0, 2);
      STEMS_BY_PREFIX.set(key, [...(STEMS_BY_PREFIX.get(key) ?? []), [stem, code]]);
    } else {
      EXACT_LANGUAGE.set(foldWithMap(name).folded, code);
    }
  }
}
for (const stems of STEMS_BY_PREFIX.values()) stems.sort((a, b) => b[0].length - a[0].length);

// Words that merely begin like a language stem.
const NOT_LANGUAGE_WORDS = new Set(['englewood', 'francaisement', 'danskin', 'tyskie', 'nemetschek']);

function lookUpLanguageWord(word: string): string | undefined {
  const exact = EXACT_LANGUAGE.get(word);
  if (exact) return exact;
  if (NOT_LANGUAGE_WORDS.has(word)) return undefined;
  for (const [stem, code] of STEMS_BY_PREFIX.get(word.slice(0, 2)) ?? []) {
    if (word.startsWith(stem)) return code;
  }
  return undefined;
}

const LEVEL_KEYWORDS = compileWordAlternation([
  'niveau', 'level', 'livello', 'nivel', 'nível', 'nivell', 'stufe', 'niveaustufe', 'poziom', 'poziomie', 'επίπεδο',
  'nivelul', 'nivelu', 'úroveň', 'szint', 'cefr', 'cecr', 'cecrl', 'qcer', 'qecr', 'mcer', 'mecr', 'ger', 'gers',
  'erk', 'esokj', 'sejrr', 'ckej', 'kep', 'κεπ', 'cef', 'cadre européen', 'common european framework',
  'europäischen referenzrahmen', 'referenzrahmen', 'quadro comune europeo', 'marco común europeo',
  'quadro europeu comum', 'europees referentiekader', 'europejski system opisu', 'cadrul european',
  'κοινό ευρωπαϊκό πλαίσιο', 'grade', 'note', 'ergebnis', 'result', 'résultat', 'risultato', 'resultado',
]);
// Europass legend: "A1 and A2: Basic user - B1 and B2: Independent user - C1 and C2: Proficient user".
const LEGEND_WORDS = compileWordAlternation([
  'basic user', 'independent user', 'proficient user', 'utilisateur élémentaire', 'utilisateur indépendant',
  'utilisateur expérimenté', 'elementare Sprachverwendung', 'selbständige Sprachverwendung',
  'kompetente Sprachverwendung', 'utente base', 'utente autonomo', 'utente avanzato', 'usuario básico',
  'usuario independiente', 'usuario competente', 'utilizador elementar', 'utilizador independente',
  'utilizador proficiente',
]);
const NATIVE_WORDS = compileWordAlternation([
  'native speaker', 'native language', 'native', 'mother tongue', 'mother-tongue', 'mothertongue', 'first language',
  'langue maternelle', 'langue natale', 'muttersprache', 'muttersprachler', 'muttersprachlerin', 'muttersprachlich',
  'erstsprache', 'madrelingua', 'madre lingua', 'lingua madre', 'lingua materna', 'lengua materna', 'idioma materno',
  'lengua nativa', 'hablante nativo', 'hablante nativa', 'lingua nativa', 'língua materna', 'língua nativa',
  'falante nativo', 'moedertaal', 'język ojczysty', 'ojczysty', 'μητρική γλώσσα', 'μητρική', 'limba maternă',
  'vorbitor nativ', 'nativ', 'nativă', 'anyanyelv', 'anyanyelvi', 'mateřština', 'mateřský jazyk', 'rodný jazyk',
  'modersmål', 'morsmål', 'modersmaal', 'äidinkieli', 'ana dil', 'ana dili', 'materinski jezik', 'maternji jezik',
  'materinščina', 'gimtoji kalba', 'dzimtā valoda', 'emakeel', 'родной язык', 'рідна мова',
]);
// The word-start check follows the letter so the engine can skip to a, b, c quickly.
// "B 2" and "B-2" (group 5: the gap) are read only right after a level keyword ("niveau B 2").
const LEVEL_TOKEN = /([abc])(?<![\p{L}\p{N}][abc])( ?- ?| )?([12])(?:[.,]\d)?\+?(?:\s*[/-]\s*([abc])([12])(?:[.,]\d)?\+?)?(?![\p{L}\p{N}])/gu;
const IELTS_OVERALL = /overall\s*(?:band)?\s*(?:score)?\s*[:=-]?\s*(\d(?:[.,]\d)?)(?!\d)/gu;
const IELTS_RESULTS_ROW = /^\s*(?:\d(?:[.,][05])?\s+){4}(\d(?:[.,][05])?)\s*$/gmu;
const IELTS_INLINE =
  /(?<![\p{L}])ielts(?:\s*(?:academic|general training|general|indicator|online|ukvi|test|overall|band|score|result|of|[:()=-]))*\s*(\d(?:[.,]\d)?)(?!\d)/gu;
const TOEFL_INLINE =
  /(?<![\p{L}])toefl(?!\s*(?:pbt|itp|cbt|paper|junior|primary))(?:\s*(?:ibt|internet[ -]based|test|total|score|home edition|essentials|of|[:()=/®™-]))*\s*(\d{2,3})(?:\s*\/\s*120|\s*points|\s*pts)?(?!\d)/gu;
const TOEFL_TOTAL = /total\s*(?:score)?\s*[:=-]?\s*(\d{2,3})(?:\s*\/\s*120)?(?!\d)/gu;
// TOEIC Listening & Reading: a total of 10-990 (not the Speaking & Writing test, scored 0-400).
const TOEIC_INLINE =
  /(?<![\p{L}])toeic(?!\s*(?:speaking|writing|s\s*&\s*w|bridge))(?:\s*(?:listening\s*(?:&|and|\+)\s*reading|l\s*&\s*r|l\/r|test|total|score|scores|public|program|of|[:()=/®™-]))*\s*(\d{2,3})(?:\s*\/\s*990|\s*points|\s*pts)?(?!\d)/gu;
const TOEIC_TOTAL = /total\s*(?:score)?\s*[:=-]?\s*(\d{2,3})(?:\s*\/\s*990)?(?!\d)/gu;
// PTE Academic: an overall score of 10-90 on the Global Scale of English.
const PTE_INLINE =
  /(?<![\p{L}])pte(?:\s*(?:academic|ukvi|online|test|overall|score|result|of|[:()=/®™-]))*\s*(\d{2})(?![\d.,])/gu;
const PTE_OVERALL = /overall\s*(?:score)?\s*[:=-]?\s*(\d{2})(?![\d.,])/gu;
// The Cambridge English Scale (80-230), printed on Cambridge English certificates and Linguaskill reports.
const CES_INLINE =
  /cambridge\s+english\s+scale(?:\s*(?:score|overall|result|total|of|[:()=-]))*\s*(\d{2,3})(?!\d)/gu;
const CES_OVERALL = /(?:overall|total)\s*(?:score|result)?\s*[:=-]?\s*(\d{2,3})(?!\d)/gu;
const CELI = /(?<![\p{L}])celi\s*[-:]?\s*([1-5])(?!\d)/gu;
const CILS = /(?<![\p{L}])cils\s*[-:]?\s*(uno|due|tre|quattro)(?![\p{L}])/gu;
const CAMBRIDGE: Array<[RegExp, CefrLevel, boolean]> = [
  // [pattern, level, acronym that must be printed in capitals]
  [/certificate\s+of\s+proficiency\s+in\s+english|cambridge\s+(?:english\s*:?\s*)?(?:c2\s+)?proficiency/gu, 'C2', false],
  [/certificate\s+in\s+advanced\s+english|cambridge\s+(?:english\s*:?\s*)?(?:c1\s+)?advanced/gu, 'C1', false],
  [/first\s+certificate\s+in\s+english|cambridge\s+(?:english\s*:?\s*)?(?:b2\s+)?first(?!\s+(?:name|author))/gu, 'B2', false],
  [/(?<![\p{L}])cpe(?![\p{L}])/gu, 'C2', true],
  [/(?<![\p{L}])cae(?![\p{L}])/gu, 'C1', true],
  [/(?<![\p{L}])fce(?![\p{L}])/gu, 'B2', true],
];
const WORD_RE = /[\p{L}]+/gu;
const SEGMENT_BREAK = /[,;|•·●▪]/;
const MAX_SAME_LINE_GAP = 60;

interface LangMention {
  lang: string;
  start: number;
  end: number;
  line: number;
}
interface LevelMention {
  level: CefrLevel;
  start: number;
  end: number;
  line: number;
  via: LanguageLevel['via'];
  lang?: string; // known from the exam itself
  keyword?: boolean; // a level keyword ("niveau", "CEFR") stands next to it
  overall?: boolean; // on a line that states the overall result ("Niveau global", "Overall")
}

function rankLevel(level: CefrLevel): number {
  return CEFR_LEVELS.indexOf(level);
}

function makeLevel(letter: string, digit: string): CefrLevel {
  return `${letter.toUpperCase()}${digit}` as CefrLevel;
}

/** Maps an IELTS overall band to CEFR (IELTS published equivalences); undefined below 4.0. */
function mapIeltsBand(band: number): CefrLevel | undefined {
  if (!(band >= 0 && band <= 9) || Math.round(band * 2) !== band * 2) return undefined;
  if (band >= 8.5) return 'C2';
  if (band >= 7) return 'C1';
  if (band >= 5.5) return 'B2';
  if (band >= 4) return 'B1';
  return undefined;
}

/**
 * Maps a TOEIC Listening & Reading total (10-990) to CEFR (ETS mapping of
 * the TOEIC L&R test on the CEFR: A1 120, A2 225, B1 550, B2 785, C1 945;
 * the test does not measure C2); undefined below 120.
 */
function mapToeicScore(score: number): CefrLevel | undefined {
  if (!(score >= 10 && score <= 990) || score % 5 !== 0) return undefined;
  if (score >= 945) return 'C1';
  if (score >= 785) return 'B2';
  if (score >= 550) return 'B1';
  if (score >= 225) return 'A2';
  if (score >= 120) return 'A1';
  return undefined;
}

/** Maps a PTE Academic overall score (10-90) to CEFR (Pearson: A2 30, B1 43, B2 59, C1 76, C2 85); undefined below 30. */
function mapPteScore(score: number): CefrLevel | undefined {
  if (!(score >= 10 && score <= 90)) return undefined;
  if (score >= 85) return 'C2';
  if (score >= 76) return 'C1';
  if (score >= 59) return 'B2';
  if (score >= 43) return 'B1';
  if (score >= 30) return 'A2';
  return undefined;
}

/**
 * Maps a Cambridge English Scale score (80-230) to CEFR (Cambridge: A2
 * 120-139, B1 140-159, B2 160-179, C1 180-199, C2 200-230); undefined below
 * 120. Linguaskill reports 180 and above as "C1 or above": capped at C1.
 */
function mapCambridgeScale(score: number, cap?: CefrLevel): CefrLevel | undefined {
  if (!(score >= 80 && score <= 230)) return undefined;
  let level: CefrLevel | undefined;
  if (score >= 200) level = 'C2';
  else if (score >= 180) level = 'C1';
  else if (score >= 160) level = 'B2';
  else if (score >= 140) level = 'B1';
  else if (score >= 120) level = 'A2';
  if (level && cap && rankLevel(level) > rankLevel(cap)) level = cap;
  return level;
}

/** Maps a TOEFL iBT total (0-120) to CEFR (ETS equivalences); undefined below 42. */
function mapToeflScore(score: number): CefrLevel | undefined {
  if (!(score >= 0 && score <= 120)) return undefined;
  if (score >= 95) return 'C1';
  if (score >= 72) return 'B2';
  if (score >= 42) return 'B1';
  return undefined;
}

// A line stating the overall result of a certificate that also lists a level per skill.
const OVERALL_WORDS = compileWordAlternation([
  'overall', 'overall level', 'overall result', 'global', 'globale', 'niveau global', 'resultat global', 'gesamt',
  'gesamtniveau', 'gesamtergebnis', 'gesamtbewertung', 'complessivo', 'complessiva', 'livello complessivo',
  'nivel global', 'nivel general', 'nivel final', 'nível global', 'nivel alcanzado', 'nível final', 'algemeen niveau',
  'eindniveau', 'totaalniveau', 'poziom ogólny', 'ogólny', 'ogolny', 'końcowy', 'final level', 'niveau final',
  'livello finale', 'niveau atteint', 'level achieved', 'level attained',
]);
// TCF results are also printed as "niveau 1"…"niveau 6" (the TCF's own scale, CEFR A1…C2).
const TCF_NUMBERED_LEVEL = /niveau\s*(?:global\s*)?(?:\(?(?:cecrl?|tcf)\)?\s*)?[:=-]?\s*([1-6])(?![\d.,\p{L}])/gu;
const TCF_LEVELS: Record<string, CefrLevel> = { '1': 'A1', '2': 'A2', '3': 'B1', '4': 'B2', '5': 'C1', '6': 'C2' };

const CELI_LEVELS: Record<string, CefrLevel> = { '1': 'A2', '2': 'B1', '3': 'B2', '4': 'C1', '5': 'C2' };
const CILS_LEVELS: Record<string, CefrLevel> = { uno: 'B1', due: 'B2', tre: 'C1', quattro: 'C2' };

interface Ctx {
  text: string;
  f: FoldedText;
  lines: Array<[number, number]>; // folded line offsets
}

function sliceOriginal(ctx: Ctx, start: number, end: number): string {
  const [s, e] = mapRange(ctx.f, start, end);
  return ctx.text.slice(s, e);
}

// Lines that hold a person's name: surnames such as Greco, English or French are no languages there.
const NAME_LINE = /^\s*(?:name|surname|family name|first names?|first name\(s\)|given names?|candidate(?: name)?|holder|nom|nom de famille|prenoms?|cognome|nome|nombre|apellidos?|nachname|vorname|familienname|naam|achternaam|voornamen?|nazwisko|imie|imiona|nume|prenume|επωνυμο|ονομα|ονοματεπωνυμο)\b[^\n]*/gmu;

function findLanguageMentions(ctx: Ctx): LangMention[] {
  const { folded } = ctx.f;
  const excluded: Array<[number, number]> = [];
  NOT_LANGUAGE.lastIndex = 0;
  for (let m = NOT_LANGUAGE.exec(folded); m; m = NOT_LANGUAGE.exec(folded)) excluded.push([m.index, m.index + m[0].length]);
  NAME_LINE.lastIndex = 0;
  for (let m = NAME_LINE.exec(folded); m; m = NAME_LINE.exec(folded)) excluded.push([m.index, m.index + m[0].length]);
  const out: LangMention[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(folded); m; m = WORD_RE.exec(folded)) {
    const word = m[0];
    if (word.length < 3) continue; // no language or exam name is shorter
    const start = m.index;
    const end = start + word.length;
    let lang: string | undefined;
    const exam = EXAM_LANGUAGES.get(word);
    if (exam) {
      const raw = sliceOriginal(ctx, start, end);
      const capitalsOk =
        raw !== raw.toLowerCase() && (!EXAM_NEEDS_CAPITALS.has(word) || word.length > 4 || raw === raw.toUpperCase());
      if (capitalsOk) lang = exam;
    }
    lang ??= lookUpLanguageWord(word);
    if (!lang || excluded.some(([s, e]) => start >= s && end <= e)) continue;
    out.push({ lang, start, end, line: findLineIndex(ctx.lines, start) });
  }
  return out;
}

function hasKeywordBefore(folded: string, start: number, lineStart: number): boolean {
  const from = Math.max(lineStart, start - 30);
  const window = folded.slice(from, start);
  LEVEL_KEYWORDS.lastIndex = 0;
  return LEVEL_KEYWORDS.test(window);
}

/** Returns the level codes that are part of a printed scale (A1 A2 B1 B2 C1 C2), not a result. */
function findLegendTokens(tokens: LevelMention[]): Set<LevelMention> {
  const legend = new Set<LevelMention>();
  const byLine = new Map<number, LevelMention[]>();
  for (const t of tokens) byLine.set(t.line, [...(byLine.get(t.line) ?? []), t]);
  for (const lineTokens of byLine.values()) {
    // Four or more codes in strict order on one line are a scale; a Europass
    // row ("C1 C1 B2 B2 C1") never is.
    for (const dir of [1, -1]) {
      let run = [lineTokens[0]];
      for (let i = 1; i <= lineTokens.length; i++) {
        const t = lineTokens[i];
        if (t && (rankLevel(t.level) - rankLevel(run[run.length - 1].level)) * dir > 0) {
          run.push(t);
          continue;
        }
        if (run.length >= 4) run.forEach((x) => legend.add(x));
        if (t) run = [t];
      }
    }
  }
  return legend;
}

function findLevelMentions(ctx: Ctx): LevelMention[] {
  const { folded } = ctx.f;
  const out: LevelMention[] = [];
  const lineOf = (pos: number): number => findLineIndex(ctx.lines, pos);

  LEVEL_TOKEN.lastIndex = 0;
  const tokens: LevelMention[] = [];
  for (let m = LEVEL_TOKEN.exec(folded); m; m = LEVEL_TOKEN.exec(folded)) {
    const line = lineOf(m.index);
    const keyword = hasKeywordBefore(folded, m.index, ctx.lines[line][0]);
    const raw = sliceOriginal(ctx, m.index, m.index + 1);
    // Lower-case "b2" is rarely a level (a vitamin, a room); accept it only after a level keyword.
    if (raw !== raw.toUpperCase() && !keyword) continue;
    if (m[2] && !keyword) continue;
    let level = makeLevel(m[1], m[3]);
    if (m[4] && m[5]) {
      // A range ("B2/C1") proves only its lower bound.
      const other = makeLevel(m[4], m[5]);
      if (rankLevel(other) < rankLevel(level)) level = other;
    }
    tokens.push({ level, start: m.index, end: m.index + m[0].length, line, via: 'cefr', keyword });
  }
  const legend = findLegendTokens(tokens);
  for (const t of tokens) {
    if (legend.has(t)) continue;
    const [ls, le] = ctx.lines[t.line];
    // A legend names several levels with their descriptors; one level with its own
    // descriptor ("niveau B2 (utilisateur indépendant)") is a result.
    LEGEND_WORDS.lastIndex = 0;
    if (LEGEND_WORDS.test(folded.slice(ls, le)) && new Set(tokens.filter((x) => x.line === t.line).map((x) => x.level)).size > 1) continue;
    out.push(t);
  }

  const exam = (re: RegExp, read: (m: RegExpExecArray) => CefrLevel | undefined, lang: string, needsCapitals = false): void => {
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      if (needsCapitals) {
        const raw = sliceOriginal(ctx, m.index, m.index + m[0].length);
        if (raw !== raw.toUpperCase()) continue;
      }
      const level = read(m);
      if (level) out.push({ level, start: m.index, end: m.index + m[0].length, line: lineOf(m.index), via: 'exam', lang });
    }
  };
  const num = (s: string): number => Number(s.replace(',', '.'));
  const mentionsIelts = /(?<![\p{L}])ielts(?![\p{L}])/u.test(folded);
  const mentionsToefl = /(?<![\p{L}])toefl(?![\p{L}])/u.test(folded);
  const before = out.length;
  if (mentionsIelts) exam(IELTS_INLINE, (m) => mapIeltsBand(num(m[1])), 'en');
  if (mentionsIelts && out.length === before) exam(IELTS_OVERALL, (m) => mapIeltsBand(num(m[1])), 'en');
  // A results row of four module bands and the overall band, the overall last, when its label was lost in extraction.
  if (mentionsIelts && out.length === before && !/(?<![\p{L}\p{N}])[abc][12](?![\p{L}\p{N}])/u.test(folded)) {
    exam(IELTS_RESULTS_ROW, (m) => mapIeltsBand(num(m[1])), 'en');
  }
  const beforeToefl = out.length;
  if (mentionsToefl) exam(TOEFL_INLINE, (m) => mapToeflScore(Number(m[1])), 'en');
  if (mentionsToefl && out.length === beforeToefl && /(?<![\p{L}])ibt(?![\p{L}])/u.test(folded)) {
    exam(TOEFL_TOTAL, (m) => mapToeflScore(Number(m[1])), 'en');
  }
  // TOEIC, PTE Academic and the Cambridge English Scale have scales of their own: read only where the exam is named.
  const mentionsToeic = /(?<![\p{L}])TOEIC(?![\p{L}])/u.test(ctx.text);
  const toeicSpeakingWriting = /toeic\s*(?:speaking|writing|s\s*&\s*w)/u.test(folded) && !/(?<![\p{L}])(?:listening|reading)(?![\p{L}])/u.test(folded);
  const beforeToeic = out.length;
  if (mentionsToeic && !toeicSpeakingWriting) {
    exam(TOEIC_INLINE, (m) => mapToeicScore(Number(m[1])), 'en');
    if (out.length === beforeToeic) exam(TOEIC_TOTAL, (m) => mapToeicScore(Number(m[1])), 'en');
  }
  const mentionsPte =
    (/(?<![\p{L}])PTE(?![\p{L}])/u.test(ctx.text) && /(?<![\p{L}])pte\s*[®™]?\s*(?:academic|ukvi)(?![\p{L}])/u.test(folded)) ||
    /pearson\s+test\s+of\s+english\s*[:-]?\s*academic/u.test(folded);
  const beforePte = out.length;
  if (mentionsPte) {
    exam(PTE_INLINE, (m) => mapPteScore(Number(m[1])), 'en');
    if (out.length === beforePte) exam(PTE_OVERALL, (m) => mapPteScore(Number(m[1])), 'en');
  }
  const linguaskill = /(?<![\p{L}])linguaskill(?![\p{L}])/u.test(folded);
  const mentionsScale = /cambridge\s+english\s+scale/u.test(folded) || linguaskill;
  const beforeScale = out.length;
  if (mentionsScale) {
    const cap: CefrLevel | undefined = linguaskill ? 'C1' : undefined;
    exam(CES_INLINE, (m) => mapCambridgeScale(Number(m[1]), cap), 'en');
    if (out.length === beforeScale) exam(CES_OVERALL, (m) => mapCambridgeScale(Number(m[1]), cap), 'en');
  }
  const scaleRead = out.length > beforeScale;
  if (scaleRead) {
    // "B2 First", "C1 Advanced", "C2 Proficiency" name the exam taken; the scale score says the level awarded.
    for (let i = out.length - 1; i >= 0; i--) {
      const l = out[i]!;
      if (l.via === 'cefr' && /^\s*(?:first|advanced|proficiency|preliminary|key)(?![\p{L}])/u.test(folded.slice(l.end, l.end + 20))) {
        out.splice(i, 1);
      }
    }
  }
  if (/(?<![\p{L}])TCF(?![\p{L}])/u.test(ctx.text) && !out.some((l) => l.via === 'cefr')) {
    exam(TCF_NUMBERED_LEVEL, (m) => TCF_LEVELS[m[1]], 'fr');
  }
  exam(CELI, (m) => CELI_LEVELS[m[1]], 'it');
  exam(CILS, (m) => CILS_LEVELS[m[1]], 'it');
  // A Cambridge English Scale score decides the level awarded (a B2 First passed at 150 is B1), not the exam's name.
  if (!scaleRead) for (const [re, level, capitals] of CAMBRIDGE) exam(re, () => level, 'en', capitals);

  NATIVE_WORDS.lastIndex = 0;
  for (let m = NATIVE_WORDS.exec(folded); m; m = NATIVE_WORDS.exec(folded)) {
    out.push({ level: 'C2', start: m.index, end: m.index + m[0].length, line: lineOf(m.index), via: 'native' });
  }
  for (const l of out) {
    if (l.via === 'native') continue;
    const [ls, le] = ctx.lines[l.line];
    OVERALL_WORDS.lastIndex = 0;
    if (OVERALL_WORDS.test(folded.slice(ls, le))) l.overall = true;
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Returns the segment [start, end) of the line around `pos`, cut at list separators. */
function findSegment(folded: string, lineStart: number, lineEnd: number, pos: number): [number, number] {
  let s = pos;
  while (s > lineStart && !SEGMENT_BREAK.test(folded[s - 1])) s--;
  let e = pos;
  while (e < lineEnd && !SEGMENT_BREAK.test(folded[e])) e++;
  return [s, e];
}

type Preference = 'before' | 'after' | 'nearest';

function pickNearest(cands: LangMention[], level: LevelMention, prefer: Preference): LangMention | undefined {
  // A mention overlapping the level (an exam name holding its own level) is the one.
  const overlapping = cands.find((c) => c.start < level.end && c.end > level.start);
  if (overlapping) return overlapping;
  const before = cands.filter((c) => c.end <= level.start).sort((a, b) => b.end - a.end)[0];
  const after = cands.filter((c) => c.start >= level.end).sort((a, b) => a.start - b.start)[0];
  if (prefer === 'nearest' && before && after) {
    return after.start - level.end < level.start - before.end ? after : before;
  }
  return prefer === 'after' ? after ?? before : before ?? after;
}

function isBlank(folded: string, line: [number, number]): boolean {
  return folded.slice(line[0], line[1]).trim() === '';
}

function associateLanguage(ctx: Ctx, level: LevelMention, langs: LangMention[], prefer: Preference): LangMention | undefined {
  const { folded } = ctx.f;
  const [ls, le] = ctx.lines[level.line];
  // Far apart on a long line, a level and a language name are rarely about each other.
  const onLine = langs.filter(
    (l) => l.line === level.line && Math.max(l.start - level.end, level.start - l.end) <= MAX_SAME_LINE_GAP,
  );
  if (onLine.length) {
    const [ss, se] = findSegment(folded, ls, le, level.start);
    const inSegment = onLine.filter((l) => l.start >= ss && l.end <= se);
    return pickNearest(inSegment.length ? inSegment : onLine, level, prefer);
  }
  const distinct = new Set(langs.map((l) => l.lang));
  // A language far along the same line is not this level's, unless it is the only language on the page.
  if (langs.some((l) => l.line === level.line)) return distinct.size === 1 && level.keyword ? langs[0] : undefined;
  // Nothing on the line: the language is usually a heading or cell just above
  // ("English\nC1"); "Mother tongue" is usually followed by the language.
  const look = (line: number, fromEnd: boolean): LangMention | undefined => {
    const l = langs.filter((x) => x.line === line);
    return fromEnd ? l[l.length - 1] : l[0];
  };
  const next = (): LangMention | undefined => {
    const n = level.line + 1;
    return n < ctx.lines.length && !isBlank(folded, ctx.lines[n]) ? look(n, false) : undefined;
  };
  if (level.via === 'native') {
    const found = next();
    if (found) return found;
  }
  for (let n = level.line - 1; n >= Math.max(0, level.line - 5); n--) {
    if (isBlank(folded, ctx.lines[n])) break;
    const found = look(n, true);
    if (found) return found;
  }
  if (level.via !== 'native') {
    const found = next();
    if (found) return found;
  }
  // A certificate page usually names a single language; a level with a
  // keyword ("Niveau B2") or on a line of its own then belongs to it.
  const shortLine = folded.slice(ls, le).trim().length <= 40;
  if (distinct.size === 1 && (level.keyword || shortLine)) return langs[0];
  return undefined;
}

function detectLineDirection(line: number, levels: LevelMention[], langs: LangMention[]): 'before' | 'after' {
  // "C1 English, B2 French": when the line starts with a level, levels precede their language.
  const firstLevel = levels.find((l) => l.line === line && l.via === 'cefr');
  const firstLang = langs.find((l) => l.line === line);
  return firstLevel && firstLang && firstLevel.start < firstLang.start ? 'after' : 'before';
}

function buildSnippet(ctx: Ctx, level: LevelMention, lang?: LangMention): string {
  const [ls, le] = ctx.lines[level.line];
  let from = ls;
  let to = le;
  if (lang && lang.line < level.line && level.line - lang.line <= 3) from = ctx.lines[lang.line][0];
  if (lang && lang.line > level.line && lang.line - level.line <= 1) to = ctx.lines[lang.line][1];
  if (to - from > 160) {
    from = Math.max(from, Math.min(level.start, lang?.start ?? level.start) - 40);
    to = Math.min(to, from + 160);
  }
  const [s, e] = mapRange(ctx.f, from, to);
  return clipSnippet(ctx.text.slice(s, e).replace(/\n/g, ' / '));
}

/**
 * Returns every language level stated in `text`, in text order: explicit
 * CEFR codes attached to their language, exam results mapped to CEFR (IELTS,
 * TOEFL iBT, TOEIC Listening & Reading, PTE Academic, the Cambridge English
 * Scale, Cambridge exam names, CELI, CILS; a score only where its exam is
 * named) and mother-tongue phrases as C2. A level
 * whose language cannot be told is left out. Ranges ("B2/C1") give the lower
 * level; printed scales (A1 A2 B1 B2 C1 C2) are ignored. Never throws.
 */
export function findLanguageLevels(text: string): LanguageLevel[] {
  if (!text) return [];
  const f = foldWithMap(text);
  const ctx: Ctx = { text, f, lines: splitLineOffsets(f.folded) };
  const langs = findLanguageMentions(ctx);
  // Without a language name only exams that carry their own language can give a level.
  if (!langs.length && !/(?:ielts|toefl|toeic|celi|cils|cambridge|linguaskill|pearson test of english|proficiency in english|advanced english|certificate in english)/u.test(f.folded)) {
    return [];
  }
  const levels = findLevelMentions(ctx);
  // A language named by a mother-tongue phrase ("First Language: French" on an
  // IELTS report) describes the candidate; no other level on the page is its level.
  const claimed = new Set<LangMention>();
  for (const level of levels) {
    if (level.via !== 'native' || level.lang) continue;
    const m = associateLanguage(ctx, level, langs, 'nearest');
    if (m) claimed.add(m);
  }
  const freeLangs = langs.filter((l) => !claimed.has(l));
  const out: Array<LanguageLevel & { overall?: boolean }> = [];
  const seen = new Set<string>();
  const directions = new Map<number, 'before' | 'after'>();
  for (const level of levels) {
    let mention: LangMention | undefined;
    let lang = level.lang;
    const pool = level.via === 'native' ? langs : freeLangs;
    if (!lang) {
      let prefer = directions.get(level.line);
      if (!prefer) {
        prefer = detectLineDirection(level.line, levels, pool);
        directions.set(level.line, prefer);
      }
      // "Italian (native)" and "Mother tongue: Italian" both occur: a native phrase takes the closer language.
      mention = associateLanguage(ctx, level, pool, level.via === 'native' ? 'nearest' : prefer);
      lang = mention?.lang;
    }
    if (!lang) continue;
    // One finding per language, level and line: a Europass row "C1 C1 B2 B2 C1" gives C1 and B2 once.
    const key = `${lang}|${level.level}|${level.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [index] = mapRange(f, level.start, level.end);
    out.push({ lang, level: level.level, index, snippet: buildSnippet(ctx, level, mention), via: level.via, overall: level.overall });
  }
  // A certificate that states an overall level for a language ("Niveau global : B1+") is read
  // at that level, not at the best of its per-skill levels.
  const withOverall = new Set(out.filter((l) => l.overall).map((l) => l.lang));
  return out
    .filter((l) => !withOverall.has(l.lang) || l.overall || l.via === 'native')
    .map(({ overall: _overall, ...l }) => l);
}

/** Returns the higher of two CEFR levels (undefined-safe). */
export function pickHigherLevel(a: CefrLevel | undefined, b: CefrLevel): CefrLevel {
  return a === undefined || rankLevel(b) > rankLevel(a) ? b : a;
}
