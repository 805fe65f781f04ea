/**
 * Language levels (CEFR) read from language certificates and CV language
 * lines. A level is only reported with the language it belongs to: explicit
 * levels ("B2", "niveau B2") are attached to the nearest language mention of
 * the same line segment, line, or short paragraph; exams that imply both a
 * language and a level (IELTS band, TOEFL iBT score, Cambridge CAE) and
 * "mother tongue" phrases are read too. Exam scores are mapped with the
 * exam bodies' published equivalences, and only on a page that names the exam.
 * Score reports are read as tables (header row and value row, or cells on
 * consecutive lines): the overall or total result gives the level, a skill's
 * score never does, and a CEFR level the report prints itself wins.
 */
import type { CefrLevel } from '../types';
import { CEFR_LEVELS } from '../types';
import {
  clipSnippet,
  compileWordAlternation,
  escapeRegExp,
  findLineIndex,
  foldText,
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
  /** Its digit is OCR's "l", "I" or "|" read as "1" (mendOcrLevels): what the scan most likely shows, no more. */
  mended?: true;
  /** A level per skill and none overall: the level is the lowest skill's, this the highest's. */
  highestSkill?: CefrLevel;
}

// Language names in the languages of the call's documents. A trailing '*'
// marks a stem that takes any ending (Polish cases, Greek/Romanian forms,
// German compounds such as "Englischkenntnisse").
const LANGUAGE_NAMES: Record<string, string[]> = {
  en: ['english', 'englisch*', 'anglais*', 'inglese', 'ingles', 'inglesa', 'engels', 'angielsk*', 'αγγλικ*', 'englez*',
    'angol', 'angolul', 'angoltudas',
    // South Slavic and Baltic: Slovenian "angleški", Croatian "engleski", Serbian "енглески", Estonian "inglise".
    'anglesk*', 'englesk*', 'енглеск*', 'англиски', 'inglise',
    'anglick*', 'engelsk*', 'englanti*', 'ingilizce', 'английск*', 'англійськ*', 'anglų', 'angļu', 'engelse', 'engl'],
  fr: ['french', 'franzosisch*', 'franzoesisch*', 'francais*', 'francese', 'frances', 'francesa', 'frans', 'franse',
    'francusk*', 'γαλλικ*', 'francez*', 'francouz*', 'fransk*', 'ranska*', 'fransizca', 'franciaul', 'французск*',
    'французьк*', 'prancūzų',
    'franču',
    // Slovenian "francoskega jezika", Slovak "francúzsky", Bulgarian "френски", Serbian "француски", Estonian "prantsuse".
    'francosk*', 'francuzsk*', 'френск*', 'француск*', 'prantsuse',
    // Hungarian "francia" ("Nyelv: francia" on a state language exam); in Italian and Spanish it is the
    // country, which a level line seldom names.
    'francia'],
  de: ['german', 'deutsch', 'deutsche', 'deutschen', 'deutscher', 'deutschkenntnisse', 'allemand*', 'tedesco', 'tedesca',
    'aleman*', 'alemao', 'alema', 'duits*', 'niemieck*', 'γερμανικ*', 'germana', 'nemet*', 'nemcin*', 'nemeck*',
    'tysk*', 'saksa*', 'almanca', 'немецк*', 'німецьк*', 'vokiečių', 'vācu',
    // Slovenian "nemški", Croatian "njemački", Serbian "немачки", Bulgarian "немски".
    'nemsk*', 'njemack*', 'немачк*', 'немск*'],
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

// The Council of Europe's framework by its names and acronyms in the applicants' languages.
const FRAMEWORK_NAMES = [
  'cefr', 'cecr', 'cecrl', 'qcer', 'qecr', 'mcer', 'mecr', 'gers', 'cadre européen', 'common european framework',
  'europäischen referenzrahmen', 'referenzrahmen', 'quadro comune europeo', 'marco común europeo',
  'quadro europeu comum', 'europees referentiekader', 'europejski system opisu', 'cadrul european', 'cadrului european',
  'κοινό ευρωπαϊκό πλαίσιο',
];
const LEVEL_KEYWORDS = compileWordAlternation([
  'niveau', 'level', 'livello', 'nivel', 'nível', 'nivell', 'stufe', 'niveaustufe', 'poziom', 'poziomie', 'επίπεδο',
  'nivelul', 'nivelu', 'úroveň', 'szint', ...FRAMEWORK_NAMES, 'ger', 'erk', 'esokj', 'sejrr', 'ckej', 'kep', 'κεπ',
  'cef', 'grade', 'note', 'ergebnis', 'result', 'résultat', 'risultato', 'resultado',
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
// A level that names a course the holder is enrolled in or attends ("est inscrite au cours de français,
// niveau B2.1"; "enrolled in the B2 course") is the course's, not a certified result: an Alliance
// Française enrolment or attendance note was read as French B2 and the application told complete. The
// sentence must name both a course and the enrolment or attendance; an exam or a result in the same
// sentence ("attended the B2 course and passed the final examination") keeps the level.
const COURSE_WORDS = compileWordAlternation([
  'cours', 'course', 'courses', 'class', 'classes', 'kurs', 'kurse', 'kurses', 'sprachkurs', 'corso', 'corsi', 'curso',
  'cursos', 'kursu', 'kursie', 'cursus', 'module', 'session',
]);
const ENROLMENT_WORDS = compileWordAlternation([
  'inscrit', 'inscrite', 'inscription', 'enrolled', 'enroled', 'enrolment', 'enrollment', 'registered for',
  'registered in', 'is attending', 'attends', 'attended', 'is following', 'suit', 'a suivi', 'suivi',
  'angemeldet', 'anmeldung', 'teilnahme', 'nimmt teil', 'besucht', 'iscritto', 'iscritta', 'iscrizione',
  'frequenta', 'frequenza', 'matriculado', 'matriculada', 'matrícula', 'inscrito', 'inscrita', 'cursa', 'asiste',
  'zapisany', 'zapisana', 'uczestniczy', 'ingeschreven', 'volgt',
]);
const RESULT_WORDS = compileWordAlternation([
  'passed', 'obtained', 'achieved', 'awarded', 'exam', 'examination', 'result', 'réussi', 'obtenu', 'validé',
  'examen', 'résultat', 'bestanden', 'prüfung', 'ergebnis', 'superato', 'esame', 'risultato', 'aprobado', 'aprobada',
  'resultado', 'zdał', 'zdała', 'egzamin', 'geslaagd', 'atteint', 'a atteint', 'attained', 'reached',
  'évaluation finale', 'final assessment', 'final evaluation', 'erreicht', 'raggiunto', 'alcanzado', 'alcançou',
]);
// A page that says of itself that it certifies no level ("la présente attestation ne vaut pas certification").
const NOT_A_CERTIFICATE = compileWordAlternation([
  'ne vaut pas certification', 'ne vaut pas certificat', 'ne vaut pas attestation de niveau',
  'ne constitue pas une certification', 'ne constitue pas un certificat',
  'does not certify', 'is not a certificate', 'not a certificate of', 'not a language certificate',
  'does not constitute a certificate', 'does not constitute a certification', 'is not a certification',
  'ersetzt kein zertifikat', 'ist kein zertifikat', 'kein sprachzertifikat', 'non costituisce certificazione',
  'non costituisce certificato', 'non ha valore di certificazione', 'no constituye certificación',
  'no constituye un certificado', 'no es un certificado', 'nie jest certyfikatem',
  'ne constitue pas une attestation',
  // A registration for an examination yet to be sat names the level applied for, not one obtained ("Nous
  // confirmons votre inscription à l'examen DALF C1, session du 15 mai 2021").
  "confirmation d'inscription", 'confirmons votre inscription', "convocation à l'examen", 'convocation aux épreuves',
  'les résultats seront communiqués',
  'registration confirmation', 'confirmation of registration', 'booking confirmation', 'test booking',
  'results will be released', 'results will be available', 'anmeldebestätigung', 'bestätigung der anmeldung',
  "conferma d'iscrizione", 'conferma di iscrizione', 'confirmación de inscripción', 'confirmação de inscrição',
  'potwierdzenie rejestracji', 'potwierdzenie zapisu',
  // A convocation to a session yet to come ("Convocation — DELF B2 tout public … Les résultats seront publiés six
  // semaines après la session") was read as French B2 obtained.
  'convocation', 'résultats seront publiés', 'results will be published', 'einladung zur prüfung', 'prüfungseinladung',
  "convocazione all'esame", 'convocatoria de examen', 'admission ticket',
]);
// An exam body's statement of an examination's result: its "does not constitute a certificate" means the
// certificate comes later, not that no level was certified (Cambridge's Statement of Results says so
// above its "Council of Europe Level: C1"); a course's attestation never carries these.
const RESULT_STATEMENT = compileWordAlternation([
  'statement of results', 'statement of result', 'test report form', 'score report', 'council of europe level',
  'results verification service',
]);

// A school-leaving certificate or a transcript grades subjects, and some scales use the CEFR's own
// tokens: the Irish Leaving Certificate's "English Higher A1" (a top grade) was read as English A1 and
// gave a hard `language_below_required`. Such a record, named in its title lines, gives no level unless
// it names the Council of Europe's framework itself (some school certificates do state a CEFR level).
const SCHOOL_RECORD = compileWordAlternation([
  'leaving certificate', 'state examinations commission', 'junior certificate', 'general certificate of education',
  'gcse', 'gce', 'a level', 'a-level', 'advanced level', 'international baccalaureate', 'abitur', 'abiturzeugnis',
  'zeugnis der allgemeinen hochschulreife', 'allgemeine hochschulreife', 'reifeprüfung', 'reifezeugnis',
  'maturazeugnis', 'matura', 'maturita', 'maturità', 'diploma di maturità', 'esame di stato conclusivo',
  'maturitní vysvědčení', 'maturitné vysvedčenie', 'świadectwo dojrzałości', 'baccalauréat', 'relevé de notes',
  'bachillerato', 'título de bachiller', 'ensino secundário', 'diploma de bacalaureat', 'bacalaureat',
  'érettségi bizonyítvány', 'απολυτήριο', 'studentexamen', 'ylioppilastutkinto', 'eindexamen', 'vwo', 'havo',
  'transcript of records', 'academic transcript', 'school certificate', 'high school diploma', 'secondary school',
]);
const FRAMEWORK_WORDS = compileWordAlternation([...FRAMEWORK_NAMES, 'referenzrahmens', 'council of europe']);

/** Whether the page is a school-leaving certificate or a transcript by its title lines, naming no CEFR (see SCHOOL_RECORD). */
function isSchoolRecord(ctx: Ctx): boolean {
  // Its title lines, not a CV's dated entries ("2007 Leaving Certificate, Dublin" names the holder's school).
  const head = ctx.lines
    .slice(0, 6)
    .map(([a, b]) => ctx.f.folded.slice(a, b))
    .filter((l) => !/^\s*(?:\d{1,2}[./]\s?)?(?:19|20)\d\d\b/u.test(l))
    .join('\n');
  SCHOOL_RECORD.lastIndex = 0;
  FRAMEWORK_WORDS.lastIndex = 0;
  return SCHOOL_RECORD.test(head) && !FRAMEWORK_WORDS.test(ctx.f.folded);
}

/** Whether the level at `index` of `folded` names a course its holder is enrolled in or attends (see COURSE_WORDS). */
function isCourseLevel(folded: string, index: number): boolean {
  const before = folded.slice(Math.max(0, index - 160), index);
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n\n'), before.lastIndexOf(';')) + 1;
  const afterEnd = folded.slice(index, index + 120).search(/\.(?:\s|$)|\n\n|;/u);
  const sentence = before.slice(start) + folded.slice(index, afterEnd < 0 ? index + 120 : index + afterEnd);
  const has = (re: RegExp) => {
    re.lastIndex = 0;
    return re.test(sentence);
  };
  return has(COURSE_WORDS) && has(ENROLMENT_WORDS) && !has(RESULT_WORDS);
}

// The word-start check follows the letter so the engine can skip to a, b, c quickly.
// "B 2" and "B-2" (group 5: the gap) are read only right after a level keyword ("niveau B 2").
const LEVEL_TOKEN = /([abc])(?<![\p{L}\p{N}][abc])( ?- ?| )?([12])(?:[.,]\d)?\+?(?:\s*[/-]\s*([abc])([12])(?:[.,]\d)?\+?)?(?![\p{L}\p{N}])/gu;
// After "Overall Band Score" a band, or a band whose point OCR lost ("75" for 7.5: see below).
const IELTS_OVERALL = /overall\s*(?:band)?\s*(?:score)?\s*[:=-]?\s*(\d(?:[.,]\d)?|[1-9][05])(?!\d)/gu;
// OCR leaves a table's cell borders and specks at a row's ends and between its cells ("_8.0 7.5 7.0 7.5 7.5 |",
// "9.0 . 8.5 8.0 8.5 8.5"), and may end it
// with the CEFR cell in lower case or its 1 read as a letter ("8.5 c2", "7.5 cl"), which is no level by itself
// (see LEVEL_TOKEN's use); the row's overall band says the level; a
// band's point may be lost ("65" for 6.5: bands run 0-9 in halves, so two digits are a band without its point).
/** How far above a results row (in characters: its header and a line or two) a printed level belongs to it. */
const ROW_LEVEL_REACH = 200;
const IELTS_RESULTS_ROW = /^[\s_|'‘’"“”.,:;~-]*(?:(?:\d(?:[.,][05])?|[1-9][05])[\s|]+(?:[._'‘’:;~,-][\s|]+)?){4}(\d(?:[.,][05])?|[1-9][05])(?:[\s|]+[abc][12li|])?[\s_|'‘’"“”.,:;~-]*$/gmu;
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
  // An acronym run into digits is a code ("N° CAE-902177446", a DELF centre's number), not the exam.
  [/(?<![\p{L}\d][-/_.]?)cpe(?![\p{L}\d]|[-/_.]\d)/gu, 'C2', true],
  [/(?<![\p{L}\d][-/_.]?)cae(?![\p{L}\d]|[-/_.]\d)/gu, 'C1', true],
  [/(?<![\p{L}\d][-/_.]?)fce(?![\p{L}\d]|[-/_.]\d)/gu, 'B2', true],
];
const WORD_RE = /[\p{L}]+/gu;
const SEGMENT_BREAK = /[,;|•·●▪]/;
const MAX_SAME_LINE_GAP = 60;
const MAX_TEXT_CHARS = 60_000;
// The longest language or exam name, and how far a level's list segment is looked for.
const MAX_NAME_LENGTH = 40;
const SEGMENT_REACH = MAX_SAME_LINE_GAP + MAX_NAME_LENGTH;

interface LangMention {
  lang: string;
  start: number;
  end: number;
  line: number;
  /** Named by an exam ("IELTS": English), not by a language word. */
  exam?: boolean;
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
  labelled?: boolean; // printed as the report's CEFR level ("CEFR Level: C1", a "CEFR Level" column)
  part?: boolean; // the result of one skill (a "Listening" column or line), not the whole test
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

// The Duolingo English Test: one overall score of 10-160, in steps of 5 ("140 Overall score").
const DET_OVERALL = /(?<![\d.,])(\d{2,3})\s*overall\s+score|overall\s+score\s*[:=-]?\s*(\d{2,3})(?![\d.,])/gu;

/**
 * Maps a Duolingo English Test overall score (10-160) to CEFR where the published concordance tables agree:
 * they have moved between editions (C1 from 130 in some, 135 in others; C2 at 155 or 160), and a level read
 * too high would reach an applicant by itself, so the higher cut of each is used: B2 100, C1 135, C2 160.
 * Below 100 no level is sure.
 */
function mapDuolingoScore(score: number): CefrLevel | undefined {
  if (!(score >= 10 && score <= 160) || score % 5 !== 0) return undefined;
  if (score >= 160) return 'C2';
  if (score >= 135) return 'C1';
  if (score >= 100) return 'B2';
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

/** Maps a TOEFL iBT total (0-120) to CEFR (ETS mapping of the iBT total: B1 42, B2 72, C1 95, C2 114); undefined below 42. */
function mapToeflScore(score: number): CefrLevel | undefined {
  if (!(score >= 0 && score <= 120)) return undefined;
  if (score >= 114) return 'C2';
  if (score >= 95) return 'C1';
  if (score >= 72) return 'B2';
  if (score >= 42) return 'B1';
  return undefined;
}

/**
 * Maps a TCF score (100-699) to CEFR (France Éducation international: A1
 * 100-199, A2 200-299, B1 300-399, B2 400-499, C1 500-599, C2 600-699);
 * undefined below 100.
 */
function mapTcfScore(score: number): CefrLevel | undefined {
  if (!(score >= 100 && score <= 699) || !Number.isInteger(score)) return undefined;
  return CEFR_LEVELS[Math.floor(score / 100) - 1];
}

/**
 * Maps a TEF total on the CCI Paris Île-de-France 900-point scale to CEFR
 * (CCI correspondence of TEF levels 1-6: A1 69-203, A2 204-360, B1 361-540,
 * B2 541-698, C1 699-833, C2 834-900). Only a score printed "/900" is read:
 * today's TEF prints each test on 0-699 with its CEFR level beside it, and
 * that printed level is what is read there.
 */
function mapTef900Score(score: number): CefrLevel | undefined {
  if (!(score >= 0 && score <= 900) || !Number.isInteger(score)) return undefined;
  if (score >= 834) return 'C2';
  if (score >= 699) return 'C1';
  if (score >= 541) return 'B2';
  if (score >= 361) return 'B1';
  if (score >= 204) return 'A2';
  if (score >= 69) return 'A1';
  return undefined;
}

// A line stating the overall result of a certificate that also lists a level per skill.
const OVERALL_WORDS = compileWordAlternation([
  'overall', 'overall level', 'overall result', 'global', 'globale', 'niveau global', 'resultat global', 'gesamt',
  'gesamtniveau', 'gesamtergebnis', 'gesamtbewertung', 'complessivo', 'complessiva', 'livello complessivo',
  'nivel global', 'nivel general', 'nivel final', 'nível global', 'nivel alcanzado', 'nível final', 'algemeen niveau',
  'eindniveau', 'totaalniveau', 'poziom ogólny', 'ogólny', 'ogolny', 'końcowy', 'final level', 'niveau final',
  'livello finale', 'niveau atteint', 'level achieved', 'level attained',
  // Score reports: the total or overall score is the result; the skill scores are parts of it.
  'total', 'total score', 'overall band score', 'note totale', 'note globale', 'score global', 'score total',
  'gesamtpunktzahl', 'punteggio totale', 'punteggio complessivo',
]);
// TCF and TEF results are also printed as "niveau 1"…"niveau 6" (their own scales, CEFR A1…C2).
const TCF_NUMBERED_LEVEL = /niveau\s*(?:global\s*)?(?:\(?(?:cecrl?|tcf|tef)\)?\s*)?[:=-]?\s*([1-6])(?![\d.,\p{L}])/gu;
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

// Overall results of French tests printed as a score: TCF "Score global : 452" or "Score global aux épreuves
// obligatoires : 452 / 699" (0-699), TEF "745/900".
const TCF_TOTAL =
  /(?:(?:score|resultat|note|niveau)\s+(?:global|globale|total|totale|final|finale)(?:[ \t]+[\p{L}'’]+){0,4}?|total)\s*[:=-]?\s*([1-6]\d{2})(?![\d.,])(?:\s*\/\s*699(?!\d))?/gu;
// The TCF's compulsory tests, each scored 100-699: "Compréhension orale : 421 / 699".
const TCF_COMPULSORY = /(?<![\p{L}])(comprehension\s+orale|comprehension\s+ecrite|maitrise\s+des\s+structures(?:\s+de\s+la\s+langue)?)\s*[:=-]?\s*([1-6]\d{2})(?![\d.,])(?:\s*\/\s*699(?!\d))?/gu;

/**
 * An attestation that prints only the compulsory tests' scores and no overall one. The overall result
 * is computed from those scores, so it lies between the lowest and the highest of their levels: read
 * (two or more tests on the 100-699 scale) only where that settles the call's B2 question, sure or
 * silent. All at B2 or above: the lowest (421, 455, 433 is B2 at least). All below B2: the highest.
 * Across B2 (388, 455, 533): nothing, a person reads it.
 */
function readTcfCompulsory(ctx: Ctx, out: LevelMention[]): void {
  const found = new Map<string, { level: CefrLevel; start: number; end: number }>();
  TCF_COMPULSORY.lastIndex = 0;
  for (let m = TCF_COMPULSORY.exec(ctx.f.folded); m; m = TCF_COMPULSORY.exec(ctx.f.folded)) {
    const level = mapTcfScore(Number(m[2]));
    const test = m[1]!.split(/\s+/)[1]!;
    if (level && !found.has(test)) found.set(test, { level, start: m.index, end: m.index + m[0].length });
  }
  if (found.size < 2) return;
  const sorted = [...found.values()].sort((a, b) => rankLevel(a.level) - rankLevel(b.level));
  const b2 = rankLevel('B2');
  const lowest = sorted[0]!;
  const highest = sorted[sorted.length - 1]!;
  const pick = rankLevel(lowest.level) >= b2 ? lowest : rankLevel(highest.level) < b2 ? highest : undefined;
  if (pick) out.push({ ...pick, line: findLineIndex(ctx.lines, pick.start), via: 'exam', lang: 'fr', overall: true });
}
const TEF_900 = /(?<![\d.,])(\d{2,3})\s*(?:\/|sur)\s*900(?!\d)/gu;
// CILS and CELI certificates also print "Livello DUE" / "Livello 3" under the exam's name.
const CILS_LIVELLO = /livello\s*[:-]?\s*(uno|due|tre|quattro)(?![\p{L}])/gu;
const CELI_LIVELLO = /livello\s*[:-]?\s*([1-5])(?![\d.,\p{L}])/gu;
// "CEFR Level: C1", "Niveau CECRL B2", "GER-Niveau C1": the level the report states on the CEFR.
// Anchored at the end of a ≤ 30-character window before the level, so the work per level is bounded.
// Cambridge English prints the level it certifies as "Council of Europe Level C1" (whatever its scale score maps to).
const CEFR_LABEL_BEFORE =
  /(?:(?<![\p{L}])(?:cefr|cecrl?|qcer|mcer|gers?)(?:[ \t-]*(?:level|niveau|livello|nivel))?|(?<![\p{L}])(?:level|niveau|livello|nivel)[ \t]*\(?(?:cefr|cecrl?|qcer|mcer|gers?)\)?|(?<![\p{L}])council[ \t]+of[ \t]+europe[ \t]+level)[ \t]*[:=-]?[ \t]*$/u;

/*
 * Score reports print their results as tables, which pdf.js gives back as
 * lines: a header row of column labels then a row of values ("Listening
 * Reading Writing Speaking Overall Band Score CEFR Level" / "7.5 7.0 6.5 7.0
 * 7.0 C1"), or each label with its value on the next line ("Overall Band
 * Score" / "7.0"), or all labels then all values, one a line. A run of label
 * lines followed by a run of value lines with as many values as columns (or
 * two per column: a score and its level) is read cell by cell, so the overall
 * or total column gives the level and a skill column never does.
 */
type ColumnKind = 'part' | 'overall' | 'cefr';
const COLUMN_LABELS: Record<ColumnKind, string[]> = {
  part: [
    'listening', 'reading', 'writing', 'speaking', 'use of english', 'listening comprehension', 'reading comprehension',
    "comprehension de l'oral", 'comprehension des ecrits', 'comprehension orale', 'comprehension ecrite',
    'expression orale', 'expression ecrite', 'production orale', 'production ecrite', 'interaction orale',
    'lexique et structure', 'maitrise des structures de la langue', 'structures de la langue',
    'horen', 'hoeren', 'lesen', 'schreiben', 'sprechen', 'horverstehen', 'leseverstehen',
    'ascolto', 'lettura', 'produzione scritta', 'produzione orale', "comprensione dell'ascolto",
    'comprensione della lettura', 'analisi delle strutture di comunicazione',
    // The Romanian baccalaureate's certificate of language competences.
    'intelegerea textului citit', 'intelegerea dupa auz', 'producere de mesaje scrise', 'producere de mesaje orale',
  ],
  overall: [
    'overall band score', 'overall band', 'overall score', 'overall result', 'overall level', 'overall', 'total score',
    'total', 'note totale', 'note globale', 'note finale', 'score total', 'score global', 'resultat global',
    'niveau global', 'gesamtpunktzahl', 'gesamtergebnis', 'gesamtpunkte', 'gesamt', 'punteggio totale',
    'punteggio complessivo', 'cambridge english scale score',
  ],
  cefr: [
    'cefr level', 'cefr', 'level cefr', 'cefr equivalent', 'niveau cecrl', 'niveau cecr', 'cecrl', 'cecr',
    'ger-niveau', 'ger niveau', 'niveau ger', 'livello qcer', 'qcer',
  ],
};
// A line naming a skill ("Listening 8.5 C2") gives that skill's result, not the test's.
const SKILL_WORDS = compileWordAlternation(COLUMN_LABELS.part);
const COLUMN_KIND = new Map<string, ColumnKind>();
for (const [kind, labels] of Object.entries(COLUMN_LABELS) as Array<[ColumnKind, string[]]>) {
  for (const label of labels) COLUMN_KIND.set(label, kind);
}
// One label, an optional printed range ("Reading (0-30)"), then separators; tried only where the previous one ended.
const COLUMN_LABEL_RE = new RegExp(
  `(${[...COLUMN_KIND.keys()]
    .sort((a, b) => b.length - a.length)
    .map((l) => escapeRegExp(l).replace(/ /g, '[ \\t]+'))
    .join('|')})(?![\\p{L}\\p{N}])(?:[ \\t]*\\((?:[ \\t]*\\d{1,3}[ \\t]*[-/][ \\t]*)?\\d{1,3}[ \\t]*\\))?[ \\t|:;,/]*`,
  'uy',
);
const TABLE_CAPTION_RE =
  /(?:test\s+results|results|scores|your\s+scores|section\s+scores|resultats|ergebnisse|risultati)(?![\p{L}\p{N}])[ \t|:;]*/uy;
// One cell value: a CEFR code ("C1", "<A1"), a score ("7.5", "28/30", "745 / 900", "85 Punkte") or a dash.
const CELL_VALUE_RE =
  /(?:(<)[ \t]*)?([abc][12])\+?(?![\p{L}\p{N}])|(\d{1,3}(?:[.,]\d{1,2})?)(?:[ \t]*\/[ \t]*(\d{1,3}))?(?:[ \t]*(?:points|pts|punkte|punti))?(?![\p{L}\p{N}.,/])|[-–](?![\p{N}])/uy;
const CELL_GAP_RE = /[ \t|;()]*/uy;
const MAX_TABLE_LINE = 200;
const MAX_TABLE_COLUMNS = 12;

interface CellValue {
  start: number;
  end: number;
  num?: number;
  denom?: number;
  level?: CefrLevel;
}
interface TableCell extends CellValue {
  kind: ColumnKind;
  line: number;
}
interface ResultTables {
  cells: TableCell[];
  /** Lines of column labels: a label's value is in the table, never the next number down. */
  headerLines: Set<number>;
}

function parseLabelLine(line: string): ColumnKind[] | undefined {
  let pos = 0;
  while (pos < line.length && /[ \t|]/.test(line[pos])) pos++;
  // A table's caption may open its header row ("Test Results Listening Reading …").
  TABLE_CAPTION_RE.lastIndex = pos;
  if (TABLE_CAPTION_RE.exec(line)) pos = TABLE_CAPTION_RE.lastIndex;
  const kinds: ColumnKind[] = [];
  while (pos < line.length) {
    COLUMN_LABEL_RE.lastIndex = pos;
    const m = COLUMN_LABEL_RE.exec(line);
    if (!m || COLUMN_LABEL_RE.lastIndex === pos || kinds.length >= MAX_TABLE_COLUMNS) return undefined;
    kinds.push(COLUMN_KIND.get(m[1].replace(/[ \t]+/g, ' '))!);
    pos = COLUMN_LABEL_RE.lastIndex;
  }
  return kinds.length ? kinds : undefined;
}

function parseValueLine(line: string, offset: number): CellValue[] | undefined {
  CELL_GAP_RE.lastIndex = 0;
  CELL_GAP_RE.exec(line);
  let pos = CELL_GAP_RE.lastIndex;
  const values: CellValue[] = [];
  while (pos < line.length) {
    CELL_VALUE_RE.lastIndex = pos;
    const m = CELL_VALUE_RE.exec(line);
    if (!m || CELL_VALUE_RE.lastIndex === pos || values.length >= 2 * MAX_TABLE_COLUMNS) return undefined;
    const v: CellValue = { start: offset + m.index, end: offset + CELL_VALUE_RE.lastIndex };
    if (m[2] && !m[1]) v.level = makeLevel(m[2][0], m[2][1]);
    if (m[3]) v.num = Number(m[3].replace(',', '.'));
    if (m[4]) v.denom = Number(m[4]);
    values.push(v);
    CELL_GAP_RE.lastIndex = CELL_VALUE_RE.lastIndex;
    CELL_GAP_RE.exec(line);
    pos = CELL_GAP_RE.lastIndex;
  }
  return values.length ? values : undefined;
}

/**
 * The end of a column label that wrapped onto its own line: an IELTS Test Report Form's header reads
 * "Listening Reading Writing Speaking Overall Band" / "Score" / "CEFR Level" once a narrow cell wraps.
 */
const LABEL_TAIL = /^[ \t|]*(?:band[ \t]+)?(?:score|scores|level|result|results|points)[ \t|:]*$/u;

/** Reads the result tables of a page: each value with the kind of column it stands in. */
function readResultTables(ctx: Ctx): ResultTables {
  const { folded } = ctx.f;
  const n = ctx.lines.length;
  const labels: Array<ColumnKind[] | undefined> = [];
  const values: Array<CellValue[] | undefined> = [];
  const tails: boolean[] = [];
  for (const [s, e] of ctx.lines) {
    const line = e - s <= MAX_TABLE_LINE ? folded.slice(s, e) : '';
    const first = line.trimStart()[0] ?? '';
    labels.push(/\p{L}/u.test(first) ? parseLabelLine(line) : undefined);
    tails.push(LABEL_TAIL.test(line));
    values.push(/[\d<(|abc-]/u.test(first) ? parseValueLine(line, s) : undefined);
  }
  const cells: TableCell[] = [];
  const headerLines = new Set<number>();
  for (let i = 0; i < n; ) {
    if (!labels[i]) {
      i++;
      continue;
    }
    const columns: ColumnKind[] = [];
    let j = i;
    for (; j < n && columns.length + (labels[j]?.length ?? 0) <= MAX_TABLE_COLUMNS; j++) {
      if (labels[j]) columns.push(...labels[j]!);
      else if (!(j > i && tails[j])) break;
    }
    if (j === i) j = i + 1; // a line of more labels than a table has: not a header
    if (columns.length >= 2) for (let k = i; k < j; k++) headerLines.add(k);
    const run: Array<CellValue & { line: number }> = [];
    const firstLine: Array<CellValue & { line: number }> = [];
    for (let k = j; k < n && values[k] && run.length < 2 * columns.length; k++) {
      for (const v of values[k]!) {
        run.push({ ...v, line: k });
        if (k === j) firstLine.push({ ...v, line: k });
      }
    }
    let cellValues: Array<CellValue & { line: number }> | undefined;
    if (columns.length && (run.length === columns.length || run.length === 2 * columns.length)) cellValues = run;
    else if (columns.length && (firstLine.length === columns.length || firstLine.length === 2 * columns.length)) cellValues = firstLine;
    if (cellValues) {
      const per = cellValues.length / columns.length;
      cellValues.forEach((v, k) => cells.push({ ...v, kind: columns[Math.floor(k / per)] }));
      for (let k = i; k < j; k++) headerLines.add(k);
    }
    i = j;
  }
  return { cells, headerLines };
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
    const byExam = lang !== undefined;
    lang ??= lookUpLanguageWord(word);
    if (!lang || excluded.some(([s, e]) => start >= s && end <= e)) continue;
    out.push({ lang, start, end, line: findLineIndex(ctx.lines, start), ...(byExam ? { exam: true } : {}) });
  }
  // The skills a language exam reports in its own language name that language where its title was lost
  // (a scan whose heading OCR did not read: "Compréhension orale … Niveau global C1" is a French test).
  SKILL_NAMES.lastIndex = 0;
  let skills = 0;
  for (let m = SKILL_NAMES.exec(folded); m && skills < 4; m = SKILL_NAMES.exec(folded), skills++) {
    const lang = SKILL_LANGUAGE.get(m[0].replace(/\s+/g, ' '))!;
    if (excluded.some(([s, e]) => m!.index >= s && m!.index < e)) continue;
    out.push({ lang, start: m.index, end: m.index + m[0].length, line: findLineIndex(ctx.lines, m.index), exam: true });
  }
  return skills > 0 ? out.sort((a, b) => a.start - b.start) : out;
}

/** Skill names of language exams, in the language they test (DELF/DALF/TCF, Goethe/telc, CILS/CELI, DELE, IELTS). */
const SKILL_LANGUAGE = new Map<string, string>(
  (
    [
      ['fr', ['compréhension orale', 'compréhension écrite', "compréhension de l'oral", 'compréhension des écrits', 'production orale', 'production écrite', 'expression orale', 'expression écrite', 'niveau global']],
      ['de', ['hörverstehen', 'leseverstehen', 'schriftlicher ausdruck', 'mündlicher ausdruck', 'mündliche prüfung', 'schriftliche prüfung']],
      ['it', ['comprensione orale', 'comprensione scritta', "comprensione dell'ascolto", 'produzione orale', 'produzione scritta']],
      ['es', ['comprensión de lectura', 'comprensión auditiva', 'expresión e interacción escritas', 'expresión e interacción orales', 'expresión escrita', 'expresión oral']],
      // IELTS alone reports an "Overall Band Score" (a scanned Test Report Form whose "IELTS" OCR did not read).
      ['en', ['overall band score']],
    ] as const
  ).flatMap(([lang, names]) => names.map((n) => [foldText(n), lang] as [string, string])),
);
const SKILL_NAMES = new RegExp(`(?<![\\p{L}])(?:${[...SKILL_LANGUAGE.keys()].sort((a, b) => b.length - a.length).map((k) => escapeRegExp(k).replace(/ /g, '\\s+')).join('|')})(?![\\p{L}])`, 'gu');

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
  for (const t of tokens) {
    const list = byLine.get(t.line);
    if (list) list.push(t);
    else byLine.set(t.line, [t]);
  }
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
  // A scale wraps onto the next line and goes on there in order ("… 300–399 B1 · 400–499 B2 ·" / "500–599 C1 ·
  // 600–699 C2" under a TCF result of 385: its C2 was read as the candidate's French, eu08).
  const lines = [...byLine.keys()].sort((a, b) => a - b);
  for (const line of lines) {
    const prev = byLine.get(line - 1);
    const here = byLine.get(line)!;
    const last = prev?.[prev.length - 1];
    if (!last || !legend.has(last) || here.some((t) => legend.has(t))) continue;
    const inOrder = here.every((t, i) => rankLevel(t.level) > rankLevel(i === 0 ? last.level : here[i - 1]!.level));
    if (inOrder) here.forEach((t) => legend.add(t));
  }
  return legend;
}

// Words that join the two ends of a span of levels: "de A1 à C2", "from A1 to C2", "A1 bis C2", "A1–C2".
const SPAN_JOIN = /^\s{0,3}(?:a|à|to|till|until|through|bis|al|hasta|ate|até|do|tot|fino a|έως|до|-|–|—|\.\.\.?|…)\s{0,3}$/u;
/** A span this wide (A1 to B2, A2 to C2) describes the scale of an exam, never a candidate's result. */
const SCALE_SPAN_MIN_STEPS = 3;

/**
 * Level pairs that span the scale: "Les niveaux du TCF vont de 1 à 6 et correspondent aux niveaux A1 à C2"
 * gave a French C2 to a TCF B2 candidate. A narrow pair ("B2/C1", "B2-C1") stays a result (its lower bound).
 */
function findScaleSpans(tokens: LevelMention[], folded: string): LevelMention[] {
  const out: LevelMention[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const a = tokens[i - 1]!;
    const b = tokens[i]!;
    if (a.line !== b.line || b.start - a.end > 12) continue;
    if (Math.abs(rankLevel(b.level) - rankLevel(a.level)) < SCALE_SPAN_MIN_STEPS) continue;
    if (SPAN_JOIN.test(folded.slice(a.end, b.start))) out.push(a, b);
  }
  return out;
}

function findLevelMentions(ctx: Ctx): LevelMention[] {
  const { folded } = ctx.f;
  const out: LevelMention[] = [];
  const lineOf = (pos: number): number => findLineIndex(ctx.lines, pos);

  // The exams the page names: their scales are read only there, and a table's
  // level belongs to the one language they test.
  // IELTS and ETS print their names as logos, so a report's text may lack them;
  // its layout names it as plainly: an "Overall Band Score" (IELTS Test Report
  // Form) and a "Test Taker Score Report" with the four TOEFL sections and a total.
  const toeflNamed = /(?<![\p{L}])toefl(?![\p{L}])/u.test(folded);
  const mentionsIelts = /(?<![\p{L}])ielts(?![\p{L}])/u.test(folded) || (!toeflNamed && /overall\s+band\s+score/u.test(folded));
  const toeflLayout =
    !toeflNamed && /test\s+taker\s+score\s+report/u.test(folded) && /(?<![\p{L}])total(?![\p{L}])/u.test(folded) &&
    ['reading', 'listening', 'speaking', 'writing'].every((w) => folded.includes(w));
  const mentionsToefl = toeflNamed || toeflLayout;
  const mentionsToeic = /(?<![\p{L}])TOEIC(?![\p{L}])/u.test(ctx.text);
  const toeicSpeakingWriting = /toeic\s*(?:speaking|writing|s\s*&\s*w)/u.test(folded) && !/(?<![\p{L}])(?:listening|reading)(?![\p{L}])/u.test(folded);
  const mentionsPte =
    (/(?<![\p{L}])PTE(?![\p{L}])/u.test(ctx.text) && /(?<![\p{L}])pte\s*[®™]?\s*(?:academic|ukvi)(?![\p{L}])/u.test(folded)) ||
    /pearson\s+test\s+of\s+english\s*[:-]?\s*academic/u.test(folded);
  const linguaskill = /(?<![\p{L}])linguaskill(?![\p{L}])/u.test(folded);
  const mentionsDuolingo = /duolingo\s+english\s+test/u.test(folded);
  const mentionsScale = /cambridge\s+english\s+scale/u.test(folded) || linguaskill;
  const mentionsTcf = /(?<![\p{L}])TCF(?![\p{L}])/u.test(ctx.text) || /test\s+de\s+connaissance\s+du\s+francais/u.test(folded);
  const mentionsTef = /(?<![\p{L}])TEF(?![\p{L}])/u.test(ctx.text) || /test\s+d'evaluation\s+de\s+francais/u.test(folded);
  const mentionsCils = /(?<![\p{L}])CILS(?![\p{L}])/u.test(ctx.text);
  const mentionsCeli = /(?<![\p{L}])CELI(?![\p{L}])/u.test(ctx.text);
  const examLangs = new Set<string>();
  if (mentionsIelts || mentionsToefl || mentionsToeic || mentionsPte || mentionsScale || mentionsDuolingo || /cambridge\s+english/u.test(folded)) examLangs.add('en');
  if (mentionsTcf || mentionsTef || /(?<![\p{L}])(?:DELF|DALF)(?![\p{L}])/u.test(ctx.text)) examLangs.add('fr');
  if (/goethe|testdaf/u.test(folded)) examLangs.add('de');
  if (mentionsCils || mentionsCeli) examLangs.add('it');
  const examLang = examLangs.size === 1 ? [...examLangs][0] : undefined;

  const tables = readResultTables(ctx);
  const cellAt = new Map<number, TableCell>();
  for (const c of tables.cells) cellAt.set(c.start, c);
  const overallLines = new Map<number, boolean>();
  const isOverallLine = (line: number): boolean => {
    let v = overallLines.get(line);
    if (v === undefined) {
      OVERALL_WORDS.lastIndex = 0;
      v = OVERALL_WORDS.test(folded.slice(ctx.lines[line][0], ctx.lines[line][1]));
      overallLines.set(line, v);
    }
    return v;
  };
  const skillLines = new Map<number, boolean>();
  const hasSkillWords = (line: number): boolean => {
    let v = skillLines.get(line);
    if (v === undefined) {
      SKILL_WORDS.lastIndex = 0;
      v = SKILL_WORDS.test(folded.slice(ctx.lines[line][0], ctx.lines[line][1]));
      skillLines.set(line, v);
    }
    return v;
  };
  const partLines = new Map<number, boolean>();
  const isPartLine = (line: number): boolean => {
    let v = partLines.get(line);
    if (v === undefined) {
      v = hasSkillWords(line) && !isOverallLine(line);
      partLines.set(line, v);
    }
    return v;
  };

  NOT_A_CERTIFICATE.lastIndex = 0;
  RESULT_STATEMENT.lastIndex = 0;
  const notACertificate = (NOT_A_CERTIFICATE.test(folded) && !RESULT_STATEMENT.test(folded)) || isSchoolRecord(ctx);
  LEVEL_TOKEN.lastIndex = 0;
  const tokens: LevelMention[] = [];
  for (let m = LEVEL_TOKEN.exec(folded); m; m = LEVEL_TOKEN.exec(folded)) {
    const line = lineOf(m.index);
    const lineStart = ctx.lines[line][0];
    // "<A1" is a result below A1: no level.
    if (/<\s*$/u.test(folded.slice(Math.max(lineStart, m.index - 3), m.index))) continue;
    const keyword = hasKeywordBefore(folded, m.index, lineStart);
    if (notACertificate || isCourseLevel(folded, m.index)) continue;
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
    const t: LevelMention = { level, start: m.index, end: m.index + m[0].length, line, via: 'cefr', keyword };
    const cell = cellAt.get(m.index);
    if (cell) {
      // A table cell: its column says whether it is the result or a part of it.
      if (cell.kind === 'part') t.part = true;
      else {
        t.overall = true;
        t.labelled = cell.kind === 'cefr';
        if (examLang) t.lang = examLang;
      }
    } else {
      t.labelled = CEFR_LABEL_BEFORE.test(folded.slice(Math.max(lineStart, m.index - 30), m.index));
      t.part = isPartLine(line);
      if (t.labelled && !t.part) t.overall = true;
    }
    tokens.push(t);
  }
  const legend = findLegendTokens(tokens);
  for (const t of findScaleSpans(tokens, folded)) legend.add(t);
  const levelsOnLine = new Map<number, Set<CefrLevel>>();
  for (const t of tokens) {
    const set = levelsOnLine.get(t.line);
    if (set) set.add(t.level);
    else levelsOnLine.set(t.line, new Set([t.level]));
  }
  const legendLines = new Map<number, boolean>();
  for (const t of tokens) {
    if (legend.has(t)) continue;
    // A legend names several levels with their descriptors; one level with its own
    // descriptor ("niveau B2 (utilisateur indépendant)") is a result.
    if (levelsOnLine.get(t.line)!.size > 1) {
      let isLegend = legendLines.get(t.line);
      if (isLegend === undefined) {
        LEGEND_WORDS.lastIndex = 0;
        isLegend = LEGEND_WORDS.test(folded.slice(ctx.lines[t.line][0], ctx.lines[t.line][1]));
        legendLines.set(t.line, isLegend);
      }
      if (isLegend) continue;
    }
    out.push(t);
  }

  const exam = (
    re: RegExp,
    read: (m: RegExpExecArray) => CefrLevel | undefined,
    lang: string,
    needsCapitals = false,
    overall = false,
  ): void => {
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      const line = lineOf(m.index);
      // A column label's value is read from its table, never as the next number down;
      // nor is the first number under a row of skill labels ("Test Results Listening …
      // Overall Band Score" over "8.5 8.0 …") the overall result.
      if (tables.headerLines.has(line)) continue;
      if (overall && m[0].includes('\n') && hasSkillWords(line)) continue;
      if (needsCapitals) {
        const raw = sliceOriginal(ctx, m.index, m.index + m[0].length);
        if (raw !== raw.toUpperCase()) continue;
      }
      const level = read(m);
      if (level) out.push({ level, start: m.index, end: m.index + m[0].length, line, via: 'exam', lang, overall: overall || undefined });
    }
  };
  const num = (s: string): number => Number(s.replace(',', '.'));

  // Score tables: the overall/total cell, mapped on the scale of the one exam the page names.
  const scales: Array<[string, string, (v: CellValue) => CefrLevel | undefined]> = [];
  const whole = (v: CellValue): number => (Number.isInteger(v.num) ? v.num! : NaN);
  if (mentionsIelts) scales.push(['ielts', 'en', (v) => ((v.denom ?? 9) === 9 ? mapIeltsBand(v.num!) : undefined)]);
  if (mentionsToefl) scales.push(['toefl', 'en', (v) => ((v.denom ?? 120) === 120 ? mapToeflScore(whole(v)) : undefined)]);
  if (mentionsToeic && !toeicSpeakingWriting) scales.push(['toeic', 'en', (v) => ((v.denom ?? 990) === 990 ? mapToeicScore(whole(v)) : undefined)]);
  if (mentionsPte) scales.push(['pte', 'en', (v) => ((v.denom ?? 90) === 90 ? mapPteScore(whole(v)) : undefined)]);
  if (mentionsScale) scales.push(['scale', 'en', (v) => (v.denom === undefined ? mapCambridgeScale(whole(v), linguaskill ? 'C1' : undefined) : undefined)]);
  if (mentionsTcf) scales.push(['tcf', 'fr', (v) => ((v.denom ?? 699) === 699 ? mapTcfScore(whole(v)) : undefined)]);
  if (mentionsTef) scales.push(['tef', 'fr', (v) => (v.denom === 900 ? mapTef900Score(whole(v)) : undefined)]);
  const tableRead = new Set<string>();
  if (scales.length === 1) {
    const [name, lang, read] = scales[0];
    for (const c of tables.cells) {
      if (c.kind !== 'overall' || c.num === undefined) continue;
      const level = read(c);
      if (!level) continue;
      out.push({ level, start: c.start, end: c.end, line: c.line, via: 'exam', lang, overall: true });
      tableRead.add(name);
    }
  }

  const before = out.length;
  if (mentionsIelts) exam(IELTS_INLINE, (m) => mapIeltsBand(num(m[1])), 'en');
  if (mentionsIelts && out.length === before && !tableRead.has('ielts')) exam(IELTS_OVERALL, (m) => mapIeltsBand(/^\d\d$/.test(m[1]!) ? Number(m[1]) / 10 : num(m[1])), 'en', false, true);
  // A results row of four module bands and the overall band, the overall last, when its label was lost in extraction.
  // Not where the report prints a level of its own beside the row (in capitals: OCR's lower-case "c2" is read
  // by the row; a DELF's "B2" on the next page of the section is no level of this report).
  if (mentionsIelts && out.length === before && !tableRead.has('ielts')) {
    exam(IELTS_RESULTS_ROW, (m) => {
      const around = sliceOriginal(ctx, Math.max(0, m.index - ROW_LEVEL_REACH), m.index + m[0].length);
      if (/(?<![\p{L}\p{N}])[ABC][12](?![\p{L}\p{N}])/u.test(around)) return undefined;
      return mapIeltsBand(/^\d\d$/.test(m[1]!) ? Number(m[1]) / 10 : num(m[1]));
    }, 'en');
  }
  const beforeToefl = out.length;
  if (mentionsToefl) exam(TOEFL_INLINE, (m) => mapToeflScore(Number(m[1])), 'en');
  if (mentionsToefl && out.length === beforeToefl && !tableRead.has('toefl') && (toeflLayout || /(?<![\p{L}])ibt(?![\p{L}])/u.test(folded))) {
    exam(TOEFL_TOTAL, (m) => mapToeflScore(Number(m[1])), 'en', false, true);
  }
  // TOEIC, PTE Academic and the Cambridge English Scale have scales of their own: read only where the exam is named.
  const beforeToeic = out.length;
  if (mentionsToeic && !toeicSpeakingWriting) {
    exam(TOEIC_INLINE, (m) => mapToeicScore(Number(m[1])), 'en');
    if (out.length === beforeToeic && !tableRead.has('toeic')) exam(TOEIC_TOTAL, (m) => mapToeicScore(Number(m[1])), 'en', false, true);
  }
  const beforePte = out.length;
  if (mentionsPte) {
    exam(PTE_INLINE, (m) => mapPteScore(Number(m[1])), 'en');
    if (out.length === beforePte && !tableRead.has('pte')) exam(PTE_OVERALL, (m) => mapPteScore(Number(m[1])), 'en', false, true);
  }
  if (mentionsDuolingo) exam(DET_OVERALL, (m) => mapDuolingoScore(Number(m[1] ?? m[2])), 'en', false, true);
  const beforeScale = out.length;
  if (mentionsScale) {
    const cap: CefrLevel | undefined = linguaskill ? 'C1' : undefined;
    exam(CES_INLINE, (m) => mapCambridgeScale(Number(m[1]), cap), 'en');
    if (out.length === beforeScale && !tableRead.has('scale')) exam(CES_OVERALL, (m) => mapCambridgeScale(Number(m[1]), cap), 'en', false, true);
  }
  const scaleRead = out.length > beforeScale || tableRead.has('scale');
  // TCF and TEF results printed as scores: the overall score, never a test's own.
  if (mentionsTcf && !tableRead.has('tcf')) exam(TCF_TOTAL, (m) => mapTcfScore(Number(m[1])), 'fr', false, true);
  if (mentionsTef && !tableRead.has('tef')) exam(TEF_900, (m) => mapTef900Score(Number(m[1])), 'fr', false, true);
  if (mentionsCils) exam(CILS_LIVELLO, (m) => CILS_LEVELS[m[1]], 'it');
  if (mentionsCeli && !mentionsCils) exam(CELI_LIVELLO, (m) => CELI_LEVELS[m[1]], 'it');
  if (scaleRead) {
    // "B2 First", "C1 Advanced", "C2 Proficiency" name the exam taken; the scale score says the level awarded.
    for (let i = out.length - 1; i >= 0; i--) {
      const l = out[i]!;
      if (l.via === 'cefr' && /^\s*(?:first|advanced|proficiency|preliminary|key)(?![\p{L}])/u.test(folded.slice(l.end, l.end + 20))) {
        out.splice(i, 1);
      }
    }
  }
  if (/(?<![\p{L}])(?:TCF|TEF)(?![\p{L}])/u.test(ctx.text) && !out.some((l) => l.via === 'cefr')) {
    exam(TCF_NUMBERED_LEVEL, (m) => TCF_LEVELS[m[1]], 'fr');
  }
  // Scores alone, only where the attestation prints no level of any kind (a printed level is the result).
  if (mentionsTcf && !tableRead.has('tcf') && !out.some((l) => l.lang === 'fr' || l.via === 'cefr')) readTcfCompulsory(ctx, out);
  exam(CELI, (m) => CELI_LEVELS[m[1]], 'it');
  exam(CILS, (m) => CILS_LEVELS[m[1]], 'it');
  // A Cambridge English Scale score decides the level awarded (a B2 First passed at 150 is B1), not the exam's name.
  if (!scaleRead) for (const [re, level, capitals] of CAMBRIDGE) exam(re, () => level, 'en', capitals);

  NATIVE_WORDS.lastIndex = 0;
  for (let m = NATIVE_WORDS.exec(folded); m; m = NATIVE_WORDS.exec(folded)) {
    out.push({ level: 'C2', start: m.index, end: m.index + m[0].length, line: lineOf(m.index), via: 'native' });
  }
  for (const l of out) {
    if (l.via === 'native' || l.part) continue;
    if (isOverallLine(l.line)) l.overall = true;
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Returns the segment [start, end) of the line around `pos`, cut at list
 * separators. The walk stops after SEGMENT_REACH characters: only languages
 * within MAX_SAME_LINE_GAP of the level are filtered by it, and a long line
 * without separators then costs no more than a short one.
 */
function findSegment(folded: string, lineStart: number, lineEnd: number, pos: number): [number, number] {
  const from = Math.max(lineStart, pos - SEGMENT_REACH);
  const to = Math.min(lineEnd, pos + SEGMENT_REACH);
  let s = pos;
  while (s > from && !SEGMENT_BREAK.test(folded[s - 1])) s--;
  let e = pos;
  while (e < to && !SEGMENT_BREAK.test(folded[e])) e++;
  return [s, e];
}

/** Whether the list item (segment) around `pos` writes a CEFR level ("English C1"). */
function segmentHasLevel(folded: string, lineStart: number, lineEnd: number, pos: number): boolean {
  const [s, e] = findSegment(folded, lineStart, lineEnd, pos);
  return /(?<![\p{L}\d])[abc][12](?![\p{L}\d])/u.test(folded.slice(s, e));
}

type Preference = 'before' | 'after' | 'nearest';

/** Language mentions in text order, searched by position so each level looks only near itself. */
interface LangPool {
  all: LangMention[];
  distinct: Set<string>;
}

function makePool(all: LangMention[]): LangPool {
  return { all, distinct: new Set(all.map((l) => l.lang)) };
}

/** Index of the first mention starting at or after `pos`. */
function lowerBound(all: LangMention[], pos: number): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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

function associateLanguage(ctx: Ctx, level: LevelMention, pool: LangPool, prefer: Preference): LangMention | undefined {
  const { folded } = ctx.f;
  const langs = pool.all;
  const [ls, le] = ctx.lines[level.line];
  // Far apart on a long line, a level and a language name are rarely about each other.
  const onLine: LangMention[] = [];
  for (let i = lowerBound(langs, Math.max(ls, level.start - MAX_SAME_LINE_GAP - MAX_NAME_LENGTH)); i < langs.length; i++) {
    const l = langs[i];
    if (l.start >= le || l.start - level.end > MAX_SAME_LINE_GAP) break;
    if (Math.max(l.start - level.end, level.start - l.end) <= MAX_SAME_LINE_GAP) onLine.push(l);
  }
  if (onLine.length) {
    const [ss, se] = findSegment(folded, ls, le, level.start);
    const inSegment = onLine.filter((l) => l.start >= ss && l.end <= se);
    if (inSegment.length) return pickNearest(inSegment, level, prefer);
    // A mother-tongue phrase alone in its list item ("Languages: native language; English C1") is no
    // other item's: a language whose own item states a level has its level.
    const free = level.via === 'native' ? onLine.filter((l) => !segmentHasLevel(folded, ls, le, l.start)) : onLine;
    return free.length ? pickNearest(free, level, prefer) : undefined;
  }
  const distinct = pool.distinct;
  // The first or last mention on a line, found by position.
  const look = (line: number, fromEnd: boolean): LangMention | undefined => {
    const [s, e] = ctx.lines[line];
    const i = fromEnd ? lowerBound(langs, e) - 1 : lowerBound(langs, s);
    const l = langs[i];
    return l && l.start >= s && l.start < e ? l : undefined;
  };
  // A language far along the same line is not this level's, unless it is the only language on the page.
  if (look(level.line, false)) return distinct.size === 1 && level.keyword ? langs[0] : undefined;
  // Nothing on the line: the language is usually a heading or cell just above
  // ("English\nC1"); "Mother tongue" is usually followed by the language.
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
  const shortLine = le - ls <= 200 && folded.slice(ls, le).trim().length <= 40;
  if (distinct.size === 1 && (level.keyword || shortLine)) return langs[0];
  // Two certificates on one sheet (an IELTS report and a DELF diploma scanned together): a level no
  // language stands near belongs to the certificate whose exam was last named above it.
  const above = langs[lowerBound(langs, level.start) - 1];
  if (above?.exam && level.line - above.line <= MAX_EXAM_BLOCK_LINES) return above;
  return undefined;
}

/** How far below its exam's name a certificate's result stands (a score report's header, then its table). */
const MAX_EXAM_BLOCK_LINES = 15;

function detectLineDirection(ctx: Ctx, line: number, firstLevels: Map<number, LevelMention>, pool: LangPool): 'before' | 'after' {
  // "C1 English, B2 French": when the line starts with a level, levels precede their language.
  const firstLevel = firstLevels.get(line);
  const i = lowerBound(pool.all, ctx.lines[line][0]);
  const firstLang = pool.all[i] && pool.all[i].start < ctx.lines[line][1] ? pool.all[i] : undefined;
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
 * Scale, Cambridge exam names, TCF and TEF scores and "niveau 1-6", CELI,
 * CILS; a score only where its exam is named, from the overall or total cell
 * of a results table, never a skill's) and mother-tongue phrases as C2. A
 * report's own "CEFR Level" wins over the mapping of its score. A level
 * whose language cannot be told is left out. Ranges ("B2/C1") give the lower
 * level; printed scales (A1 A2 B1 B2 C1 C2) are ignored. Never throws.
 */
/**
 * OCR reads the "1" of a level as "l", "I" or "|" in small print ("CEFR Level Cl", "DELF Bl" on a phone
 * photo of a DELF attestation). After a level word, or an exam that names its level after its name, on
 * the same line, an upper-case A, B or C so followed is the level it looks like; nowhere else (the same
 * length keeps offsets; "nivel … al" stays Spanish).
 */
const OCR_LEVEL = /((?:CEFR|Cefr|cefr|CECRL?|cecrl?|GER|QCER|MCER|[Ll]evel|LEVEL|[Nn]iveau|NIVEAU|[Ll]ivello|[Nn]ivel|NIVEL|[Ss]tufe|DELF|DALF|[Zz]ertifikat)[^\n]{0,30}?)(?<![\p{L}\p{N}])([ABC])[lI|](?![\p{L}\p{N}])/gu;
/**
 * The same under a table header: a results row of band scores whose last cell reads "cl" or "Cl" under a
 * header naming the level column ("Listening … Overall Band Score CEFR Level" / "7.5 8.0 7.5 cl"). Only a
 * row of figures may stand between the header and the cell, so running text is never mended.
 */
const OCR_LEVEL_BELOW = /((?:CEFR|Cefr|cefr|[Ll]evel|LEVEL|[Nn]iveau|NIVEAU)[^\n]{0,40}\n[\d\s.,:;|()[\]\u2013\u2014-]{0,60}?)(?<![\p{L}\p{N}])([ABCabc])[lI|](?![\p{L}\p{N}])/gu;
/** Right after the level's label, OCR's lower case too: "CEFR Level cl" on a scanned IELTS Test Report Form. */
const OCR_LEVEL_RIGHT_AFTER = /((?:CEFR|Cefr|cefr|CECRL?|cecrl?|[Ll]evel|LEVEL|[Nn]iveau|NIVEAU)[ \t]*[:|]?[ \t]*)(?<![\p{L}\p{N}])([abc])[lI|](?![\p{L}\p{N}])/gu;
/**
 * Greece's state certificate of language proficiency (Κρατικό Πιστοποιητικό Γλωσσομάθειας, KPG) writes the CEFR
 * levels in Greek letters, Α1 to Γ2 (Α, Β, Γ for A, B, C): on its pages they are read as the CEFR's. One letter
 * for one, so positions stay those of the text.
 */
const KPG = /κρατικ[οό]\s+πιστοποιητικ[οό]\s+γλωσσομ[αά]θειας|(?<![\p{L}])(?:κπγ|kpg)(?![\p{L}])/iu;
const GREEK_LEVEL = /(?<![\p{L}\p{N}])([ΑΒΓ])([12])(?![\p{L}\p{N}])/gu;
function mendGreekLevels(text: string): string {
  if (!KPG.test(text)) return text;
  return text.replace(GREEK_LEVEL, (_, letter: string, digit: string) => `${{ Α: 'A', Β: 'B', Γ: 'C' }[letter]}${digit}`);
}

function mendOcrLevels(text: string): string {
  return text
    .replace(OCR_LEVEL, (_, before: string, letter: string) => `${before}${letter}1`)
    .replace(OCR_LEVEL_RIGHT_AFTER, (_, before: string, letter: string) => `${before}${letter.toUpperCase()}1`)
    .replace(OCR_LEVEL_BELOW, (_, before: string, letter: string) => `${before}${letter.toUpperCase()}1`);
}

/**
 * A page on which the applicants rate themselves (the Europass self-assessment grid, "Language Passport")
 * certifies nothing: its levels are the applicant's word, as on a CV, however official the grid looks.
 */
const SELF_ASSESSMENT = compileWordAlternation([
  'self-assessment', 'self assessment', 'selfassessment', 'self-assessed', 'self-evaluation', 'europass language passport',
  'language passport', 'auto-évaluation', 'autoévaluation', 'auto-evaluation', 'selbsteinschätzung', 'selbstbeurteilung',
  'autovalutazione', 'autoevaluación', 'autoavaliação', 'samoocena', 'zelfbeoordeling', 'autoevaluare', 'önértékelés',
]);

export function isSelfAssessment(text: string): boolean {
  SELF_ASSESSMENT.lastIndex = 0;
  return SELF_ASSESSMENT.test(foldText(text.slice(0, MAX_TEXT_CHARS)));
}

export function findLanguageLevels(text: string, opts: { certificate?: boolean } = {}): LanguageLevel[] {
  if (!text) return [];
  // A page or a CV is far shorter; a longer text is cut so hostile input costs a bounded time.
  if (text.length > MAX_TEXT_CHARS) text = text.slice(0, MAX_TEXT_CHARS);
  const read = text;
  text = mendOcrLevels(mendGreekLevels(text));
  const f = foldWithMap(text);
  const ctx: Ctx = { text, f, lines: splitLineOffsets(f.folded) };
  const langs = findLanguageMentions(ctx);
  // Without a language name only exams that carry their own language can give a level.
  if (!langs.length && !/(?:ielts|toefl|toeic|celi|cils|cambridge|linguaskill|pearson test of english|proficiency in english|advanced english|certificate in english|overall band score|test taker score report)/u.test(f.folded)) {
    return [];
  }
  const levels = findLevelMentions(ctx);
  // A language named by a mother-tongue phrase ("First Language: French" on an
  // IELTS report) describes the candidate; no other level on the page is its level.
  const claimed = new Set<LangMention>();
  // An exam names the language tested, never the candidate's own: "First Language: Greekk" (OCR) on an
  // IELTS report took English for the mother tongue, and the report's "C1" was lost.
  const nativePool = makePool(langs.filter((l) => !l.exam));
  for (const level of levels) {
    if (level.via !== 'native' || level.lang) continue;
    const m = associateLanguage(ctx, level, nativePool, 'nearest');
    if (m) claimed.add(m);
  }
  const freePool = makePool(langs.filter((l) => !claimed.has(l)));
  const firstLevels = new Map<number, LevelMention>();
  for (const l of levels) if (l.via === 'cefr' && !firstLevels.has(l.line)) firstLevels.set(l.line, l);
  const out: Array<LanguageLevel & { overall?: boolean; stated?: boolean; part?: boolean }> = [];
  const seen = new Set<string>();
  const directions = new Map<number, 'before' | 'after'>();
  for (const level of levels) {
    let mention: LangMention | undefined;
    let lang = level.lang;
    const pool = level.via === 'native' ? nativePool : freePool;
    if (!lang) {
      let prefer = directions.get(level.line);
      if (!prefer) {
        prefer = detectLineDirection(ctx, level.line, firstLevels, pool);
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
    const [index, end] = mapRange(f, level.start, level.end);
    out.push({
      lang,
      level: level.level,
      index,
      snippet: buildSnippet(ctx, level, mention),
      via: level.via,
      ...(text.slice(index, end) !== read.slice(index, end) ? { mended: true as const } : {}),
      overall: level.overall,
      stated: level.labelled && !level.part,
      part: level.part === true && level.via === 'cefr',
    });
  }
  // A certificate that states an overall level for a language ("Niveau global : B1+") is read
  // at that level, not at the best of its per-skill levels.
  const withOverall = new Set(out.filter((l) => l.overall).map((l) => l.lang));
  // A report that prints its own CEFR level ("CEFR Level C1" on an IELTS Test Report
  // Form) is read at that level; our mapping of its score is only a stand-in for it.
  const stated = new Set(out.filter((l) => l.stated).map((l) => l.lang));
  // A certificate that gives a level per skill and none overall (a Romanian baccalaureate's "Producere de mesaje
  // orale: nivel B1" beside three B2s) certifies the lowest of them for the language; the highest is kept, so a
  // rule can tell a level that straddles its minimum (a person judges it) from one wholly below it.
  const skillsOnly = new Map<string, Array<(typeof out)[number]>>();
  // (A certificate's: a CV's or a self-assessment grid's rows are the applicant's own word, read as before.) With
  // two skills named, the language's other CEFR levels are skills too, whose names OCR lost ("textului citit: B2").
  if (opts.certificate) for (const l of out) if (l.via === 'cefr' && !withOverall.has(l.lang)) skillsOnly.set(l.lang, [...(skillsOnly.get(l.lang) ?? []), l]);
  const dropped = new Set<(typeof out)[number]>();
  for (const parts of skillsOnly.values()) {
    if (parts.filter((p) => p.part).length < 2 || new Set(parts.map((p) => p.level)).size < 2) continue;
    const lowest = parts.reduce((a, b) => (rankLevel(b.level) < rankLevel(a.level) ? b : a));
    const highest = parts.reduce((a, b) => (rankLevel(b.level) > rankLevel(a.level) ? b : a));
    for (const p of parts) if (p !== lowest) dropped.add(p);
    lowest.highestSkill = highest.level;
  }
  return out
    .filter((l) => !dropped.has(l))
    .filter((l) => !withOverall.has(l.lang) || l.overall || l.via === 'native')
    .filter((l) => !(stated.has(l.lang) && l.via === 'exam'))
    .map(({ overall: _overall, stated: _stated, part: _part, ...l }) => l);
}

/** Returns the higher of two CEFR levels (undefined-safe). */
export function pickHigherLevel(a: CefrLevel | undefined, b: CefrLevel): CefrLevel {
  return a === undefined || rankLevel(b) > rankLevel(a) ? b : a;
}
