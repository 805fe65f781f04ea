/**
 * The date a board certification / specialist title was obtained, read from
 * the certificate (any of the call's languages and scripts). A certificate
 * also prints the holder's birth date, training periods, the dates of the
 * laws it cites, a first registration as a doctor, validity and print dates,
 * and the date it was issued; each date is classified by the words around it
 * (the nearest cue word before it, or just after it on its line), so "born
 * on 12.03.1985", "Order No 1234 of 12 March 2010" and "passed … on
 * 14.06.2019" are told apart. A date is taken for the certification only
 * when words say so; the `basis` of the result says which words, and only
 * `certification` and `issue` are firm enough to decide a rule on their own
 * (see isDecisiveBasis).
 *
 * Choice, in order:
 *   1. dates tied to certification words ("passed the board examination on",
 *      "titre de spécialiste … le", "Facharztanerkennung am", "conseguito in
 *      data", "uzmanlık belgesi … tarihinde"): those whose words name the
 *      specialist/board title first (a register lists "registered 2012,
 *      specialist register 2019"), then the one closest to its cue, earliest
 *      on a tie;
 *   2. dates without any cue: the earliest (issue dates come after the event);
 *   3. issue dates ("issued on", "ausgestellt am", "Дата на издаване"), then a
 *      signature line ("Paris, le 2 juillet 2019"): the earliest - for many
 *      national titles the issue date is the date of the title;
 *   4. a first registration as a doctor ("registered as a medical
 *      practitioner", "Approbation", "iscrizione all'albo") only when nothing
 *      else is dated.
 * Never: birth dates, print/download/validity/expiry dates, the date of a
 * law, decree, order or regulation the certificate cites, or the dates of a
 * period ("from 01.10.2014 to 30.09.2019", the training).
 *
 * A certificate may give only a month and year ("passed in March 2016",
 * "Facharzt seit 03/2016") or a year ("specialist title obtained 2016").
 * No day is invented: such a date is returned as the period it stands for
 * (`period`, with `precision`), and `iso` is left out. Full dates keep the
 * order above; among the rest, in order after 1.: a month and year tied to
 * certification words, then 2. and 3., then a month and year tied to issue
 * words, then 4., then a year tied closely to certification words on its own
 * line (not a law's or a regulation's year).
 *
 * Linear on hostile input: the text read is capped, cue words are looked up
 * by binary search in a window of bounded size around each date, and every
 * pattern has bounded repetition.
 */
import { findDates, findPartialDates, type DateMatch } from './dates';
import { clipSnippet, compileWordAlternation, compileWordStems, foldText, foldWithMap } from './text-fold';

export interface BoardCertificationDate {
  /** The date as YYYY-MM-DD; only when the day is printed. */
  iso?: string;
  /** The days the certification may fall on: from = to = iso for a full date, a month or a year otherwise. */
  period: { from: string; to: string };
  precision: 'day' | 'month' | 'year';
  snippet: string;
  /** Index of the date in the original text. */
  index: number;
  /**
   * Why this date: tied to certification words, the earliest unlabelled date, an issue date
   * (issue words), a signature line's date ("Wien, am …"), or a first registration as a doctor.
   */
  basis: 'certification' | 'unlabelled' | 'issue' | 'signature' | 'registration';
  /**
   * When the date is the specialist examination's and the certificate also dates the title's issue or
   * award later: that date. Which of the two is "the board certification" the call does not say.
   */
  issuedLater?: { iso: string; snippet: string };
  /** The full dates the certificate's own words call a birth date ("geboren am 22.04.1988"): its holder's. */
  holderBirthDates?: string[];
}

/**
 * True when the words around the date say it is the certification (or the title's issue):
 * such a date may decide the board-certification rule by itself. An unlabelled date, a
 * signature line or a doctor's first registration may be anything (a page put in the wrong
 * place, a letter's date), so a person confirms it before it rules anybody out.
 */
export function isDecisiveBasis(basis: unknown): boolean {
  return basis === undefined || basis === 'certification' || basis === 'issue';
}

// birth, print (also validity/expiry), law (a cited law, decree, order, regulation),
// basic (a first registration or licence as a doctor), issue, cert.
type Kind = 'birth' | 'print' | 'law' | 'basic' | 'issue' | 'cert';

// The words that name the specialist / board title itself, in the call's languages and scripts.
const SPECIALIST_WORDS = [
  'specialist', 'specialists', 'specialist title', 'specialist register', 'specialist registration',
  'specialist division', 'specialty', 'speciality', 'board', 'board certification', 'board certified',
  'board examination', 'board exam', 'certificate of completion of training', 'cct', 'consultant',
  'facharzt', 'fachärztin', 'facharztes', 'facharztanerkennung', 'facharztprüfung', 'facharzttitel',
  'facharztdiplom', 'fachärztliche', 'gebietsbezeichnung', 'sonderfach', 'weiterbildungstitel',
  'spécialiste', 'spécialité', 'spécialisées', 'titre de spécialiste', 'médecin spécialiste',
  'specialista', 'specializzazione', 'diploma di specializzazione', 'especialista', 'especialidad',
  'especialização', 'especialidade', 'medisch specialist', 'geneesheer-specialist', 'specialistenregister',
  'specialisten', 'specjalista', 'specjalisty', 'specjalizacji', 'specjalizacja', 'specjalizacyjny',
  'specjalizacyjnego', 'ειδικότητα', 'ειδικότητας', 'ειδικευμένος', 'ειδικευμένη', 'ειδικός', 'medic specialist',
  'specialitate', 'specialitatea', 'szakorvos', 'szakorvosi', 'szakvizsga', 'szakvizsgát', 'szakképesítés',
  'specializace', 'specializovaná způsobilost', 'specializovanou způsobilost', 'atestace', 'atestační',
  'specijalist', 'specijalista', 'specijalistički', 'specialistläkare', 'speciallæge', 'erikoislääkäri',
  'uzman', 'uzmanlık', 'uzmanlığı', 'uzmanı', 'uzmanlık belgesi', 'специалист', 'специалност', 'специалността',
  'специјалист', 'специјалиста', 'специјализација', 'специјалистички', 'спеціаліст', 'спеціальність',
  'спеціалізація', 'лікар-спеціаліст', 'специальность', 'специализация',
  'spesialist', 'spesialistgodkjenning', 'specialistkompetens', 'speciallægeanerkendelse', 'especialización',
  'segunda especialidad', 'residencia médica', 'residência médica',
];

/** The names of laws, decrees, orders and regulations, whose dates are never a certificate's. */
const LAW_WORDS: readonly string[] = [
  'law', 'act', 'decree', 'order', 'order no', 'ministerial order', 'regulation', 'regulations', 'directive',
  'ordinance', 'statute', 'statutory instrument', 'gesetz', 'gesetzes', 'verordnung', 'weiterbildungsordnung',
  'wbo', 'approbationsordnung', 'prüfungsordnung', 'berufsordnung', 'ordnung', 'richtlinie', 'erlass',
  // Switzerland's Medical Professions Act by its initials: "(Art. 5 MedBG vom 23. Juni 2006)".
  'medbg', 'medizinalberufegesetz', 'lpmed', 'lpmét',
  'loi', 'décret', 'arrêté', 'ordonnance', 'circulaire', 'decreto', 'decreto legislativo', 'decreto ministeriale',
  // Italy's decrees by their initials: interministerial, directorial, rectoral ("visto il D.I. 4 febbraio 2015, n. 68").
  'decreto-lei', 'd.lgs', 'd.lgs.', 'd.m.', 'd.p.r.', 'd.i.', 'd.d.', 'd.r.', 'decreto interministeriale', 'decreto rettorale', 'dpr', 'legge', 'regolamento', 'ley', 'real decreto', 'orden',
  'reglamento', 'lei', 'portaria', 'regulamento', 'wet', 'besluit', 'koninklijk besluit', 'regeling', 'ustawa',
  'ustawy', 'ustawą', 'rozporządzenie', 'rozporządzenia', 'rozporządzeniem', 'dz.u', 'dz. u.', 'νόμος', 'νόμου',
  'ν.', 'π.δ.', 'φεκ', 'προεδρικό διάταγμα', 'προεδρικού διατάγματος', 'υπουργική απόφαση', 'υπουργικής απόφασης',
  'legea', 'lege', 'ordin', 'ordinul', 'ordinului', 'hotărâre', 'hotărârea', 'hg', 'törvény', 'rendelet',
  'zákon', 'zákona', 'zákonem', 'vyhláška', 'vyhlášky', 'nařízení', 'zakon', 'zakona', 'pravilnik', 'pravilnika',
  'uredba', 'kanun', 'kanunu', 'kanunun', 'yönetmelik', 'yönetmeliği', 'yönetmeliğin', 'tüzük', 'genelge',
  'наредба', 'наредбата', 'закон', 'закона', 'закону', 'законом', 'наказ', 'наказу', 'наказом', 'постанова',
  'постанови', 'постановление', 'постановления', 'приказ', 'приказа', 'указ', 'указа', 'правилник', 'правилника',
  'уредба', 'уредбе',
  // Nordic and Baltic laws and regulations: "jf. spesialistforskriften av 8. desember 2016" (NO) was read as
  // a Norwegian specialist approval's date.
  'lov', 'loven', 'forskrift', 'forskriften', 'förordning', 'förordningen', 'bekendtgørelse', 'bekendtgørelsen',
  // Estonian cases: "sotsiaalministri 19.11.2013 määrusele nr 38" (to the minister's regulation of that date).
  'lag', 'laki', 'asetus', 'asetuksen', 'määrus', 'määruse', 'määrusele', 'määrusega', 'seadus', 'seaduse', 'seadusele',
  'likums', 'noteikumi', 'įstatymas',
  'įsakymas', 'nutarimas', 'reglugerð', 'lög',
  // Albania: "Ligji nr. 10107, datë 30.03.2009" under a specialist diploma of 2019.
  'ligji', 'ligjit', 'ligj', 'vendimi', 'vendimit', 'vkm',
  // Georgian, Armenian, Azerbaijani, Kazakh, Hebrew and Arabic laws and orders: "საქართველოს კანონი (08.06.2001)".
  'კანონი', 'კანონის', 'კანონით', 'ბრძანება', 'ბრძანებით', 'օրենք', 'օրենքի', 'օրենքով', 'հրաման', 'qanun', 'qanunu',
  'qanununa', 'qanunun', 'əmr', 'заң', 'заңы', 'заңына', 'бұйрық', 'חוק', 'תקנות', 'قانون', 'مرسوم', 'قرار',
  // A code of laws: 'Кодекс «О здоровье народа и системе здравоохранения» от 18.09.2009' (Kazakhstan).
  'code', 'кодекс', 'кодекса', 'кодексом', 'кодексу', 'кодексі', 'codice', 'código', 'kodeks', 'kodeksu', 'zakonik',
];

const CUES: Array<[Kind, RegExp]> = [
  // Declined forms of "born" in the languages that decline it, by their stems: a Czech certificate's
  // "narozený 11.01.1988" was read as the certification date while the list held only "narozen".
  ['birth', compileWordStems([
    'naroz', 'narodeny', 'narodena', 'narodil', 'urodz', 'nascut', 'nascid', 'nacid', 'gebor', 'syntyn', 'szulet',
    'rođen', 'rojen', 'gimes', 'gimus', 'dzimi', 'dogum', 'γεννη', 'роден', 'родил', 'рожд', 'рођен', 'народи', 'народж',
  ])],
  ['birth', compileWordAlternation([
    'born', 'born on', 'born in', 'date of birth', 'birth date', 'birthdate', 'dob', 'd.o.b.', 'place and date of birth',
    'né le', 'née le', 'né(e) le', 'né', 'née', 'né(e)', 'né à', 'née à', 'date de naissance', 'naissance',
    'geboren', 'geboren am', 'geb.', 'geburtsdatum', 'geburtstag', 'nato', 'nata', 'nato/a', 'nato il', 'nata il',
    'data di nascita', 'nascita', 'nacido', 'nacida', 'nacido/a', 'fecha de nacimiento', 'nacimiento', 'nascido',
    'nascida', 'data de nascimento', 'nascimento', 'geboortedatum', 'geboren op', 'urodzony', 'urodzona', 'ur.',
    'data urodzenia', 'urodzenia', 'γεννήθηκε', 'γεννηθείς', 'γεννηθείσα', 'ημερομηνία γέννησης', 'γέννησης',
    'născut', 'născută', 'data nașterii', 'nașterii', 'született', 'születési idő', 'születési dátum', 'narozen',
    'narozena', 'datum narození', 'rođen', 'rođena', 'datum rođenja', 'rojen', 'rojena', 'syntynyt', 'född', 'født',
    'doğum tarihi', 'doğum', 'gimęs', 'gimusi', 'dzimis',
    'fødselsdato', 'fødselsdag', 'födelsedatum', 'födelsedag', 'syntymäaika', 'sünniaeg', 'sünnikuupäev',
    'dzimšanas datums', 'gimimo data', 'fæðingardagur', 'personnummer', 'fødselsnummer',
    'date and place of birth', 'place of birth', 'born at', 'lieu et date de naissance', 'luogo e data di nascita',
    'lugar y fecha de nacimiento', 'fecha y lugar de nacimiento', 'data i miejsce urodzenia', 'data și locul nașterii',
    'ημ. γέννησης', 'ημερομηνία και τόπος γέννησης', 'születési hely', 'születési hely, idő', 'szül.', 'nar.',
    'datum a místo narození', 'doğum yeri ve tarihi', 'doğum yeri', 'doğdu', 'd. tarihi',
    'роден', 'родена', 'роден на', 'родена на', 'дата на раждане', 'раждане', 'рођен', 'рођена', 'датум рођења',
    'рођења', 'народився', 'народилася', 'дата народження', 'народження', 'родился', 'родилась', 'дата рождения',
    'рождения', 'г.р.', 'егн', 'datëlindja', 'data e lindjes', 'lindur',
  ])],
  ['print', compileWordAlternation([
    'printed', 'printed on', 'print date', 'generated', 'generated on', 'downloaded', 'downloaded on', 'created on',
    'gedruckt', 'gedruckt am', 'druckdatum', 'erstellt am', 'abgerufen', 'imprimé le', 'édité le', 'stampato il',
    'data di stampa', 'impreso', 'fecha de impresión', 'impresso em', 'afgedrukt', 'wydrukowano', 'εκτυπώθηκε',
    'tipărit', 'page generated', 'išrašo data', 'utskriftsdato', 'utskriftsdatum', 'udskrevet',
    'valid until', 'valid till', 'valid to', 'valid thru', 'valid through', 'expires', 'expires on', 'expiry',
    'expiry date', 'date of expiry', 'expiration', 'expiration date', 'status as of', 'extract as of',
    'register as of', 'data as of', 'information as of', 'as of today', 'retrieved',
    'retrieved on', 'accessed', 'accessed on', 'date of extract', 'extract date', 'gültig bis', 'gültigkeit',
    'ablaufdatum', 'stand', 'abrufdatum', 'valable jusqu\'au', 'valable jusqu\'à', 'validité', 'date d\'expiration',
    'valido fino al', 'valido sino al', 'scadenza', 'data di scadenza', 'válido hasta', 'caducidad',
    'fecha de caducidad', 'válido até', 'validade', 'geldig tot', 'geldig tot en met', 'vervaldatum', 'ważny do',
    'ważne do', 'termin ważności', 'ισχύει έως', 'ισχύει μέχρι', 'λήξη', 'ημερομηνία λήξης', 'valabil până la',
    'data expirării', 'érvényes', 'érvényesség', 'érvényes:', 'lejárat', 'platnost do', 'platný do', 'platné do',
    'geçerlilik', 'geçerlilik tarihi', 'son geçerlilik tarihi', 'важи до', 'валидно до', 'валиден до', 'срок на валидност',
    'важи до дана', 'дійсний до', 'дійсне до', 'действителен до', 'действительно до', 'срок действия', 'отпечатано',
    'распечатано', 'надруковано', 'baskı tarihi', 'nyomtatva', 'vytištěno',
    // The date a copy was certified true dates the copy, not the title: Vietnam's "Sao y: 05/03/2021".
    'certified copy', 'certified true copy', 'true copy', 'copy certified', 'copie certifiée conforme',
    'copie conforme', 'beglaubigte abschrift', 'beglaubigte kopie', 'beglaubigt am', 'copia conforme',
    'copia autenticada', 'copia compulsada', 'cópia autenticada', 'gewaarmerkt afschrift', 'poświadczona kopia',
    'sao y', 'sao y bản chính',
    // A sworn translation's certificate dates the translation: "Translation certified on 1 March 2021" under
    // an Armenian residency certificate of 2017 was read as the certification date.
    'translation certified', 'translation certified on', 'certified translation', 'translated on', 'date of translation',
    'sworn translation', 'sworn translator', 'traduction certifiée', 'traduction certifiée conforme', 'traduit le',
    'beglaubigte übersetzung', 'übersetzt am', 'traduzione giurata', 'traduzione certificata', 'traducción jurada',
    'traducido el', 'tradução certificada', 'tradução juramentada', 'beëdigde vertaling', 'tłumaczenie przysięgłe',
    'traducere autorizată', 'hiteles fordítás', 'ověřený překlad', 'ovjereni prijevod', 'оверен превод', 'заверенный перевод',
  ])],
  ['law', compileWordAlternation(LAW_WORDS)],
  ['basic', compileWordAlternation([
    'registered as a medical practitioner', 'registered as medical practitioner', 'registration as a medical practitioner',
    'registered as a doctor', 'registration as a doctor', 'registered medical practitioner', 'full registration',
    'first registration', 'date of first registration', 'provisional registration', 'general registration',
    'general register', 'licence to practise', 'license to practice', 'licence to practise medicine', 'medical licence',
    // A licence by its number ("PRC licence no. 0067460 issued 08/11/2012", the Philippines' physician licence).
    'licence no', 'license no', 'licence number', 'license number', 'prc licence', 'prc license',
    'medical license', 'licensed to practise', 'licensed to practice', 'approbation', 'approbiert', 'approbationsurkunde',
    'ärztliche prüfung', 'staatsexamen', 'ius practicandi', "inscription à l'ordre", "inscrit à l'ordre",
    "inscrite à l'ordre", "inscrit au tableau de l'ordre", "inscription au tableau de l'ordre", 'première inscription',
    'date de première inscription', "iscrizione all'albo", "iscritto all'albo", "iscritta all'albo", "iscrizione all'ordine",
    'prima iscrizione', "data di iscrizione all'albo", 'abilitazione', "abilitazione all'esercizio della professione",
    'colegiación', 'colegiado', 'colegiada', 'fecha de colegiación', 'número de colegiado', 'inscrição na ordem',
    'data de inscrição na ordem', 'big-registratie', 'big-register', 'big-registratie sinds', 'artsexamen',
    'prawo wykonywania zawodu', 'pwz', 'άδεια άσκησης επαγγέλματος', 'άδεια ασκήσεως ιατρικού επαγγέλματος',
    'autorizație de liberă practică', 'drept de liberă practică', 'működési nyilvántartás', 'alapnyilvántartás',
    'lékařská praxe', 'osvědčení k výkonu', 'licenca za rad', 'licence za rad', 'регистрация като лекар',
    'регистриран като лекар', 'регистрирана като лекар', 'лиценца за рад', 'право на практика', 'diploma tescil',
    'diploma tescil tarihi', 'tabip odası kayıt', 'hekimlik diploması',
    // Austria's register lists the first entry as a doctor in training ("Erstmalige Eintragung in die
    // Ärzteliste 03.07.2009 (Turnusärztin/Turnusarzt)") above the specialist entry.
    'erstmalige eintragung', 'turnusarzt', 'turnusärztin', 'turnusärztin/turnusarzt',
    // Membership of the medical chamber or association dates the doctor, not the specialist title:
    // "Mitglied der Kammer seit dem 02.01.2009" read as "seit" (since) ruled a German applicant out.
    'mitglied der kammer seit', 'mitglied der ärztekammer seit', 'kammermitglied seit', 'mitglied seit',
    'member since', 'member of the chamber since', 'membre depuis', "membre de l'ordre depuis", 'membro dal',
    'iscritto dal', 'iscritta dal',
    // Forms print both genders: "iscritto/a all'Albo dei Medici Chirurghi dal 14/03/2014".
    "iscritto/a all'albo", "iscritta/o all'albo", 'iscritto/a dal', 'inscrito/a', 'inscrita/o', 'colegiado/a',
    // Portugal's Ordem dos Médicos: "inscrito na Ordem dos Médicos desde 12-01-2013" dates the doctor.
    'inscrito na ordem', 'inscrita na ordem', 'inscrito na ordem dos médicos', 'inscrita na ordem dos médicos',
    // Its professional card: "com a cédula n.º 54321 desde 14/01/2013" (Mexico's "cédula de especialista" is a title).
    'com a cédula', 'cédula n', 'cédula n.º', 'cédula profissional',
    'miembro desde', 'membro desde', 'lid sinds', 'członek od', 'członkiem od',
    // Russian and Ukrainian certificates print the holder's first registration beside the specialist date.
    'дата первичной регистрации', 'первичной регистрации', 'первичная регистрация', 'дата регистрации',
    'дата реєстрації', 'первинної реєстрації', 'первинна реєстрація',
    // Romania's single register of doctors (Registrul unic al medicilor, kept by the Colegiul Medicilor)
    // dates the doctor; the specialist certificate prints that entry beside the exam session.
    'registrul unic al medicilor', 'înscris în registrul unic al medicilor', 'înscrisă în registrul unic al medicilor',
    'cod parafă',
    // The Dutch BIG register lists the profession ("Beroep: Arts, registratie 20.09.2015") above the specialism.
    // Sweden's and the Nordic licences to practise: "Legitimation som läkare utfärdad: 2013-08-20".
    // And as the holder's description with its date: "legitimerad läkare sedan 2014-07-13, har specialistkompetens
    // … från och med" (not "legitimerad läkare, har 2016-11-15 beviljats bevis om specialistkompetens").
    'legitimation som läkare', 'läkarlegitimation', 'autorisasjon som lege', 'autorisation som læge', 'laillistettu lääkäri',
    'legitimerad läkare sedan', 'legitimerad sedan', 'autorisert lege siden', 'autoriseret læge siden',
    // Finland's basic degree, named inside the specialist degree's certificate ("Tutkintoon sisältyy lääketieteen
    // lisensiaatin tutkinto (LL), suoritettu 30.6.2012") above the specialist degree's own date.
    'lääketieteen lisensiaatin tutkinto',
    // Medical (and Dental) Councils register doctors (Ghana, Nigeria, Malta): "Medical and Dental Council
    // registration 10/09/2013" under a college's specialist fellowship of 2020.
    'medical and dental council registration', 'medical and dental council', 'dental council registration', 'medical council registration',
    'beroep: arts', 'beroep arts', 'beroep: arts, registratie', 'arts, registratie', 'registratie als arts', 'ingeschreven als arts',
  ])],
  ['issue', compileWordAlternation([
    'issued', 'issued on', 'issued in', 'date of issue', 'issue date', 'ausgestellt', 'ausgestellt am',
    'ausstellungsdatum', 'délivré', 'délivrée', 'délivré le', 'fait à', 'fait le', 'rilasciato', 'rilasciata',
    'rilasciato il', 'data di rilascio', 'data del rilascio', 'emesso', 'emessa', 'expedido', 'expedida',
    'emitido', 'emitida', 'data de emissão', 'emitido em', 'afgegeven', 'uitgereikt', 'datum van afgifte',
    'wydano', 'data wydania', 'wystawiono', 'data wystawienia', 'εκδόθηκε', 'ημερομηνία έκδοσης', 'eliberat',
    'eliberată', 'data eliberării', 'kiállítva', 'kiállítás dátuma', 'vydáno', 'datum vydání', 'izdano', 'izdana',
    'datum izdavanja', 'utfärdat', 'udstedt', 'myönnetty', 'düzenlenme tarihi',
    'дата на издаване', 'издадено на', 'издаден', 'издадена', 'издадено', 'датум издавања', 'издато', 'издат', 'издата',
    'дата видачі', 'видано', 'видана', 'дата выдачи', 'выдано', 'выдан', 'выдана', 'kelt', 'verilme tarihi',
    'veriliş tarihi', 'düzenleme tarihi', 'düzenlenmiştir', 'date of issue of the certificate',
    'vedtatt', 'utstedt', 'utstedt dato', 'utfärdad', 'udstedelsesdato',
    'dato for udstedelse', 'antopäivä', 'väljaandmise kuupäev', 'izsniegšanas datums',
    'data e lëshimit', 'lëshuar', 'lëshuar më',
  ])],
  ['cert', compileWordAlternation([
    // The date of the authority's decision to grant the title (Socialstyrelsen's "Beslutsdatum", the Norwegian
    // "Vedtaksdato"): the title's own date, not its paper's ("Stockholm 2018-10-06" below it, an unlabelled date,
    // was taken instead when the decision counted as an issue date).
    'beslutsdatum', 'vedtaksdato',
    'board examination', 'board exam', 'board certification', 'board certified', 'board-certified', 'certification',
    'certified', 'date of certification', 'certification date', 'date of board certification', 'passed',
    'successfully passed', 'has passed', 'examination', 'exam', 'final examination', 'obtained', 'awarded',
    'conferred', 'granted', 'recognised', 'recognized', 'recognition', 'specialist', 'specialist title',
    'specialist registration', 'registered', 'registration', 'date of registration', 'entered', 'qualified',
    'qualification', 'completed', 'fellowship', 'admitted as fellow', 'admitted as a fellow', 'admitted as member',
    'admitted to the fellowship', 'titre de spécialiste', 'spécialiste', 'obtenu', 'obtention',
    'diplôme', "diplôme d'études spécialisées", 'réussi', 'reçu', 'qualifié', 'inscrit', 'inscription',
    'facharzt', 'fachärztin', 'facharztanerkennung', 'facharztprüfung', 'anerkennung', 'anerkannt', 'prüfung',
    'bestanden', 'erworben', 'erteilt', 'verliehen', 'berechtigt', 'eingetragen', 'specialista', 'specializzazione',
    'diploma di specializzazione', 'conseguito', 'conseguita', 'conseguimento', 'superato', 'esame', 'in data',
    'titolo', 'iscritto', 'iscrizione', 'título', 'título de especialista', 'especialista', 'especialidad', 'obtuvo',
    'obtenido', 'aprobado', 'aprobó', 'fecha de expedición', 'homologación', 'concedido', 'inscripción',
    'especialização', 'obteve', 'obtido', 'grau de especialista', 'inscrição', 'registo', 'erkend', 'erkenning',
    'registratie', 'geregistreerd', 'ingeschreven', 'datum inschrijving', 'datum van inschrijving', 'inschrijving in het specialistenregister', 'specialisatie', 'specjalista', 'specjalizacji', 'specjalizacja',
    'titulli u fitua', 'u fitua', 'fitoi titullin', 'tytuł specjalisty', 'egzamin', 'egzamin specjalizacyjny', 'zdał', 'zdała', 'uzyskał', 'uzyskała', 'uzyskania',
    'ειδικότητας', 'ειδικότητα', 'τίτλος ειδικότητας', 'απέκτησε', 'εξετάσεις', 'medic specialist', 'specialitate',
    'specialitatea', 'examen', 'examenul', 'a promovat', 'obținut', 'obținut la', 'data obținerii', 'confirmat',
    'szakorvos', 'szakvizsga', 'szakvizsgát', 'atestace', 'atestační zkouška', 'specijalist', 'specijalistički ispit',
    'specialist i', 'specialistläkare', 'speciallæge', 'erikoislääkäri', 'uzmanlık', 'uzman',
    ...SPECIALIST_WORDS,
    'certified on', 'obtained on', 'passed on', 'date of the examination', 'date of examination', 'examination date', 'since',
    // "is a Diplomate as of 12 April 2019" (a register's "status as of" is a print date, above).
    'as of',
    'specialist since', 'with effect from', 'effective', 'effective from', 'entered on the specialist register',
    'seit', 'zum facharzt', 'zur fachärztin', 'erteilt am', 'anerkannt seit', 'datum der anerkennung', 'mit wirkung vom',
    'mit wirkung ab', 'abgelegt', 'prüfungsausschuss', 'vor dem prüfungsausschuss', 'eintragung als fachärztin',
    'eintragung als facharzt', 'eintragung als fachärztin/facharzt', 'für radiologie',
    // The specialty the Greek title names, on the line above its date: "τίτλο ειδικότητας / ΑΚΤΙΝΟΔΙΑΓΝΩΣΤΙΚΗΣ / από 08/04/2019".
    'ακτινοδιαγνωστικής', 'ακτινοδιαγνωστική', 'ακτινολογίας', 'obtenu le', 'depuis le', 'à partir du', "date d'octroi", 'octroi', 'décerne',
    'décerné', 'décernée', 'agréé', 'agréée', 'agrément', 'conseguito il', 'dal', 'con fecha', 'con fecha de efectos',
    'con efectos', 'expide', 'se expide', 'com efeitos a partir de', 'com efeitos', 'met ingang van', 'erkend als',
    'uzyskał tytuł', 'uzyskała tytuł', 'złożył', 'złożyła', 'χορηγείται', 'απονεμήθηκε', 'ημερομηνία απόκτησης',
    'επιτυχή εξέταση', 'începând cu data de', 'szakvizsgát tett', 'oklevél', 'složil', 'složila', 'vykonal', 'vykonala', 'získal',
    'získala', 'ke dni', 'položio', 'položila', 'stekao', 'stekla', 'tarihinde', 'almıştır', 'kazanmıştır',
    'başarıyla', 'sınav', 'sınavı', 'tescil tarihi', 'придобита', 'придобил', 'придобила', 'призната', 'призната е',
    'дата на придобиване', 'положил', 'положила', 'изпит', 'държавен изпит', 'положио', 'специјалистички испит',
    'стекао', 'стекла', 'звање', 'присвоєно', 'присвоєна', 'атестація', 'присвоена', 'присвоено', 'экзамен',
    'іспит', 'склав', 'склала',
    // The attestation commission's decision conferred the title: "Рішенням атестаційної комісії від 26 червня 2019 р."
    'рішенням атестаційної комісії', 'атестаційної комісії', 'решением аттестационной комиссии', 'аттестационной комиссии',
    // The examination session that conferred the title: "sesiunea 24.11.2016" (RO), "sessione", "sesión".
    'session', 'examination session', 'exam session', 'sesiunea', 'sesiune', 'sessione', 'sesión', 'sesja',
    // The specialism's entry in a register: "Specialisme: Radiologie – ingangsdatum 01.09.2020".
    'specialisme', 'ingangsdatum',
    // Albanian: "i regjistruar ... si mjek specialist, me datë certifikimi 20.07.2020".
    'datë certifikimi', 'data e certifikimit', 'mjek specialist', 'specializimin', 'diplomë specializimi',
    // Nordic and Baltic registers: "Spesialistgodkjenning … Godkjent fra 15.01.2020" (NO), "Bevis om
    // specialistkompetens … Giltig från" (SE), "Tilladelse til at betegne sig som speciallæge" (DK).
    // Spanish-speaking universities confer the specialist title at a graduation: "el título de Especialista en
    // Radiología, en ceremonia del 24 de enero de 2020"; registers list its "Fecha de grado".
    'ceremonia', 'en ceremonia', 'ceremonia de grado', 'acta de grado', 'fecha de grado', 'confiere', 'otorga',
    'otorgado', 'otorgada', 'conferido', 'conferida',
    'godkjent', 'godkjent fra', 'godkjent som spesialist', 'spesialist', 'spesialistgodkjenning', 'spesialitet',
    'godkänd', 'specialistkompetens', 'specialistbevis', 'speciallægeanerkendelse', 'tilladelse',
    'erikoislääkärin tutkinto', 'erikoislääkärin tutkinnon', 'erikoisala', 'eriarst', 'eriala', 'specialitāte', 'specialybė', 'sérfræðileyfi',
    // Lithuania's accreditation service licenses the specialist ("Profesinė kvalifikacija: gydytojas radiologas …
    // Licencijos išdavimo data"): the licence's date is the specialist's.
    'licencijos išdavimo data', 'profesinė kvalifikacija',
  ])],
];
// Kinds that exclude a date win a tie with kinds that name it.
const KIND_RANK: Record<Kind, number> = { birth: 0, print: 1, law: 2, basic: 3, issue: 4, cert: 5 };
const SPECIALIST = compileWordAlternation(SPECIALIST_WORDS);
// A law's name ends in one of these inside a German compound ("Weiterbildungsordnung", "Heilberufsgesetz").
// Norwegian, Swedish and Danish build them the same way ("spesialistforskriften", "helsepersonelloven").
const LAW_COMPOUND = /(?<![\p{L}])\p{L}{1,40}?(?:ordnung|gesetz|gesetzes|verordnung|programm|programms|forskrift|forskriften|förordning|förordningen|bekendtgørelse|bekendtgørelsen|loven)(?![\p{L}])/gu;
// What stands between a law's name and its date: "Order No 1234 of", "vom", "№ 1 от", "127/1984, de", "z dnia".
const LAW_DATE_JOINS = new Set([
  'of', 'dated', 'from', 'vom', 'von', 'de', 'del', 'du', 'des', 'din', 'dal', 'van', 'dnia', 'z', 'dne', 'ze',
  'от', 'од', 'від', 'του', 'της', 'στις', 'tarihli', 'av', 'af', 'fra', 'från', 'den',
]);
const MAX_TEXT = 40_000;
const MAX_DATES = 400;

// A signature line: "Vienna, 1 July 2019", "Paris, le 2 juillet 2019", "Roma, lì 3/7/2019".
const PLACE_DATE_PREFIX = /^\s*[\p{L}][\p{L} .'-]{1,40},\s*(?:(?:den|le|il|li|lì|el|dnia|am|on|the|a|em|op)\s+)?$/u;
// What joins the two dates of a period.
const RANGE_JOIN = /^\s*(?:-|to|until|till|through|bis|au|jusqu'au|al|fino al|a|hasta|ate|até|tot|tot en met|do|εως|έως|pana la|până la|\/)\s*$/iu;

const MAX_BEFORE = 120;
const MAX_PREFIX = 300;
/**
 * Cue words that say when and nothing of what: "from this date on", and the verbs of granting, whose
 * clause names what was granted ("Approbation erteilt am 25.07.2014" dates the licence to practise, and
 * read as a certification it ruled out a German radiologist of 2019).
 */
const SINCE = new Set(['dal', 'since', 'seit', 'depuis le', 'desde', 'with effect from', 'effective from', 'a partir du',
  'erteilt', 'erteilt am', 'granted', 'granted on', 'verliehen', 'conferred', 'awarded', 'as of']);
const MAX_AFTER = 40;
const AFTER_PENALTY = 20;

/** A full date or a month-and-year / year-alone date, as one candidate. */
interface Dated extends DateMatch {
  from: string;
  to: string;
  precision: BoardCertificationDate['precision'];
}

interface Classified {
  date: Dated;
  kind?: Kind;
  distance: number;
  /** The cue stands after the date. */
  after: boolean;
  period: boolean;
  contextStart: number;
  /** Words naming the specialist / board title stand in the date's context. */
  specialist: boolean;
  /** The date is a signature line's ("Wien, am 3. Mai 2021"), not one named by issue words. */
  signature: boolean;
}

interface CueHit {
  kind: Kind;
  start: number; // original
  end: number;
  /** A word of SINCE ("since", a verb of granting): it says when, not what began or was granted. */
  since?: true;
}

/** Cue words and specialist words found in the text, each sorted by start (original positions). */
interface Cues {
  hits: CueHit[];
  specialist: Array<{ start: number; end: number }>;
}

function collectCues(text: string): Cues {
  const f = foldWithMap(text);
  const hits: CueHit[] = [];
  const at = (i: number): number => f.map[Math.min(i, f.map.length - 1)] ?? text.length;
  for (const [kind, re] of CUES) {
    re.lastIndex = 0;
    for (let m = re.exec(f.folded); m; m = re.exec(f.folded)) {
      hits.push({ kind, start: at(m.index), end: at(m.index + m[0].length), ...(SINCE.has(m[0]) ? { since: true as const } : {}) });
    }
  }
  LAW_COMPOUND.lastIndex = 0;
  for (let m = LAW_COMPOUND.exec(f.folded); m; m = LAW_COMPOUND.exec(f.folded)) {
    hits.push({ kind: 'law', start: at(m.index), end: at(m.index + m[0].length) });
  }
  // OCR misreads a letter of a long law's name as often as any other ("jf. bekendtggrelse nr. 96 af 13. februar
  // 2015" on a scanned Danish specialist permission of 2019, whose decree date was then read as the title's).
  LONG_WORD.lastIndex = 0;
  for (let m = LONG_WORD.exec(f.folded); m; m = LONG_WORD.exec(f.folded)) {
    if (isSlipOfLawName(m[0])) hits.push({ kind: 'law', start: at(m.index), end: at(m.index + m[0].length) });
  }
  const specialist: Array<{ start: number; end: number }> = [];
  SPECIALIST.lastIndex = 0;
  for (let m = SPECIALIST.exec(f.folded); m; m = SPECIALIST.exec(f.folded)) specialist.push({ start: at(m.index), end: at(m.index + m[0].length) });
  hits.sort((x, y) => x.start - y.start);
  return { hits, specialist };
}

/** Long enough that one letter more or less alike cannot make another word of a certificate (not "ordnung"). */
const MIN_SLIP_LENGTH = 10;
const LONG_WORD = new RegExp(`\\p{L}{${MIN_SLIP_LENGTH},}`, 'gu');
/** The long one-word law names, folded, by length. */
const LONG_LAW_NAMES: ReadonlyMap<number, readonly string[]> = (() => {
  const byLength = new Map<number, string[]>();
  for (const w of LAW_WORDS.map(foldText)) {
    if (w.length < MIN_SLIP_LENGTH || !/^\p{L}+$/u.test(w)) continue;
    byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
  }
  return byLength;
})();

/** A word one letter away from a long law's name (a misread letter, not a missing one): no exact name, which the cues have already. */
function isSlipOfLawName(word: string): boolean {
  return (LONG_LAW_NAMES.get(word.length) ?? []).some((name) => {
    let differ = 0;
    for (let i = 0; i < name.length && differ <= 1; i++) if (name[i] !== word[i]) differ++;
    return differ === 1;
  });
}

/** Index of the first item whose start is ≥ pos (binary search). */
function firstAtOrAfter(items: ReadonlyArray<{ start: number }>, pos: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The cues starting in [from, to), in text order; the window is short, so this is bounded. */
function cuesIn<T extends { start: number }>(items: readonly T[], from: number, to: number): T[] {
  const out: T[] = [];
  for (let k = firstAtOrAfter(items, from); k < items.length && items[k].start < to; k++) out.push(items[k]);
  return out;
}

const MAX_LAW_GAP = 80;
/** How long the words between a law's name and its date may be when a line wraps among them. */
const MAX_WRAPPED_LAW_NAME = 40;
// Between a law's name and its number: spaces, "No", "Nr.", "№", nothing else.
const LAW_NUMBER_GAP = /^[ \t]{0,3}(?:(?:no|nr|n|num|br|c|αρ|αριθ)\.?[ \t]{0,3}|[№#][ \t]{0,3})?$/iu;

/**
 * A law's, decree's or regulation's own date: "Order No 1234 of 12 March 2010", "Наредба № 1 от
 * 22.01.2015", "Weiterbildungsordnung … vom 01.07.2006", "Real Decreto 127/1984, de 11 de enero de
 * 1984", "12.03.2010 tarihli … Yönetmelik". Only a joining word ("of", "vom", "от", "de", "z dnia")
 * may stand right before the date, and no other cue between the law's name and the date: "passed
 * under Law 12/2005 on 14.06.2019" is the passing's date.
 */
function isLawDate(text: string, hits: readonly CueHit[], start: number, end: number, floor: number): boolean {
  const window = cuesIn(hits, Math.max(floor, start - MAX_LAW_GAP), start).filter((c) => c.end <= start);
  const law = window.map((c, k) => ({ c, k })).filter(({ c }) => c.kind === 'law').pop();
  if (law) {
    const others = window.slice(law.k + 1).some((c) => c.kind !== 'law' && c.start >= law.c.end);
    // A line may wrap right before the date ("… Weiterbildungsordnung vom" / "16.11.2013."), not elsewhere.
    // A date in brackets right after the law's name is the law's: 'Law of Georgia "On Medical Practice"
    // (08.06.2001)' under a Georgian specialist certificate of 2018.
    const raw = text.slice(law.c.end, start);
    const bracketed = /\(\s*$/u.test(raw);
    const between = raw.replace(/\(\s*$/u, '').replace(/[ \t]*\n[ \t]*$/u, ' ').replace(/^[ \t]*\n/u, ' ');
    // Or once inside the few words that name the law's author before its joining word: "nach der
    // Weiterbildungsordnung der Ärztekammer" / "Nordrhein vom 01.10.2014 bestanden" (a German certificate of 2018).
    const flat = !between.includes('\n');
    const wrapsInName = between.split('\n').length === 2 && between.length <= MAX_WRAPPED_LAW_NAME;
    if (!others && (flat || wrapsInName) && !SENTENCE_BREAK.test(between)) {
      if (flat && bracketed) return true;
      const last = /(\p{L}{1,12})[\s\p{P}]{0,6}$/u.exec(between.slice(-24));
      if (last && LAW_DATE_JOINS.has(foldWithMap(last[1]).folded)) return true;
      // The law's own number read as a date: "Decreto 1/1984", "Law 3/2010", "Наредба № 1/2015".
      if (flat && LAW_NUMBER_GAP.test(foldWithMap(between).folded)) return true;
    }
  }
  // A gazette's citation ends in its issue's date: "Π.Δ. 415/1994 (ΦΕΚ 236/Α/30-12-1994)" (Greece's
  // Government Gazette: issue 236, series A) under a specialist title of 2019. A date glued to such a
  // number-and-series reference is never a title's.
  if (/\d\s*\/\s*\p{L}{1,3}['΄]?\s*\/$/u.test(text.slice(Math.max(0, start - 12), start)) && window.some((c) => c.kind === 'law')) return true;
  // Estonian puts it right before the law's name, in the case the sentence needs: "sotsiaalministri
  // 19.11.2013 määrusele nr 38" (under a specialist's residency certificate of 2020).
  if (cuesIn(hits, end, end + 8).some((c) => c.kind === 'law' && /^[ \t]{1,3}$/u.test(text.slice(end, c.start)))) return true;
  // Turkish puts the date first: "12.03.2010 tarihli ve 1234 sayılı Yönetmelik".
  const after = foldWithMap(text.slice(end, end + 60)).folded;
  if (/^\s{0,3}tarihli(?![\p{L}])/u.test(after)) {
    return cuesIn(hits, end, end + 60).some((c) => c.kind === 'law');
  }
  return false;
}

/**
 * A date followed by a number, in the sentence of a law's name, is that law's, whatever title words stand
 * between (and across line breaks): "forskrift om spesialistutdanning og / spesialistgodkjenning for leger
 * og tannleger av 8. desember 2016 nr. 1482" under a Norwegian specialist approval of 2019, whose title
 * words ("spesialistgodkjenning") made the regulation's date the certification's.
 */
function isNumberedLawDate(text: string, hits: readonly CueHit[], start: number, end: number, floor: number): boolean {
  if (!LAW_NUMBER_AFTER.test(text.slice(end, end + 16))) return false;
  const law = cuesIn(hits, Math.max(floor, start - MAX_NUMBERED_LAW_GAP), start).filter((c) => c.kind === 'law' && c.end <= start).pop();
  return law !== undefined && !SENTENCE_BREAK.test(text.slice(law.end, start));
}

/**
 * The date of a law's amended version, after the law's own date: "nach der Weiterbildungsordnung vom
 * 09.04.2005 in der Fassung vom 01.07.2011" under a German specialist certificate of 2019, whose
 * "Fassung" was read as the certification's date (it went to review as too old).
 */
function isAmendmentDate(text: string, hits: readonly CueHit[], start: number): boolean {
  if (!AMENDED_BEFORE.test(foldText(text.slice(Math.max(0, start - 48), start)))) return false;
  const law = cuesIn(hits, Math.max(0, start - MAX_NUMBERED_LAW_GAP), start).filter((c) => c.kind === 'law' && c.end <= start).pop();
  return law !== undefined && !SENTENCE_BREAK.test(text.slice(law.end, start));
}

const AMENDED_BEFORE =
  /(?:in der fassung (?:der bekanntmachung )?vom|zuletzt geandert (?:am|durch)|geandert (?:am|durch)|as amended (?:on|by)|amended on|modifiee? le|modificat[oa] il|na redacc?ao de|na redacc?ao dada por|modificado el|modificada el|en su redaccion de)\s*$/u;

/** Where a sentence ends, and with it a law's name: a semicolon, or a full stop before a capitalised word. */
const SENTENCE_BREAK = /;|\.\s+\p{Lu}\p{Ll}/u;

// "№ 166" as well: 'затвердженого наказом МОЗ / України від 22.07.1993 № 166' (UA) was a specialist's date.
const LAW_NUMBER_AFTER = /^[ \t]{0,2},?[ \t]{0,2}(?:(?:nr|no|n|br|num|αρ)\.?|№)[ \t]{0,3}\d/iu;
/** A law's title may run over a line or two before its date: characters. */
const MAX_NUMBERED_LAW_GAP = 160;

/** The [start, end) cells of a line split on tabs, bars or runs of spaces (original positions). */
function splitCells(text: string, start: number, end: number): Array<[number, number]> {
  const line = text.slice(start, end);
  const cells: Array<[number, number]> = [];
  const gap = /\t+|[ \u00a0]{2,}|[ \u00a0]*\|[ \u00a0]*/g;
  let at = 0;
  for (let m = gap.exec(line); m; m = gap.exec(line)) {
    if (m.index > at) cells.push([start + at, start + m.index]);
    at = m.index + m[0].length;
  }
  if (at < line.length && line.slice(at).trim()) cells.push([start + at, end]);
  return cells;
}

/** The dates of one line, when it holds nothing but dates (a table's value row); else undefined. */
function valueRow(text: string, dates: readonly Dated[], i: number, lineStart: number, lineEnd: number): number[] | undefined {
  const row: number[] = [i];
  for (let j = i - 1; j >= 0 && dates[j].index >= lineStart; j--) row.unshift(j);
  for (let j = i + 1; j < dates.length && dates[j].index < lineEnd; j++) row.push(j);
  if (row.length < 2 || row.length > 8) return undefined;
  let rest = text.slice(lineStart, lineEnd);
  for (let k = row.length - 1; k >= 0; k--) {
    const d = dates[row[k]];
    rest = rest.slice(0, d.index - lineStart) + ' ' + rest.slice(d.index - lineStart + d.raw.length);
  }
  return /\p{L}/u.test(rest) ? undefined : row;
}

type Label = { kind?: Kind; specialist: boolean; from: number };

function labelIn(cues: Cues, s: number, e: number): Label {
  const hits = cuesIn(cues.hits, s, e).filter((c) => c.end <= e && c.kind !== 'law');
  const last = hits.reduce<CueHit | undefined>((b, c) => (!b || c.end > b.end || (c.end === b.end && KIND_RANK[c.kind] < KIND_RANK[b.kind]) ? c : b), undefined);
  return { kind: last?.kind, specialist: cuesIn(cues.specialist, s, e).length > 0, from: s };
}

/**
 * A table: labels on one line, their values on the next ("Name   Date of birth   Date of
 * specialist title" / "Anna Example   12.03.1985   14.06.2019"). A date takes the label of its
 * column: by cells split on wide gaps when both lines have as many, else, in a row of dates
 * alone, by the order of the cue words, else by relative position across the line.
 */
function labelFromTable(text: string, cues: Cues, dates: readonly Dated[], i: number, lineStart: number, lineEnd: number): Label | undefined {
  if (lineStart < 2 || lineEnd - lineStart > 400) return undefined;
  const labelStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  const labelEnd = lineStart - 1;
  if (labelEnd - labelStart > 400) return undefined;
  const start = dates[i].index;
  const cells = splitCells(text, lineStart, lineEnd);
  const labelCells = splitCells(text, labelStart, labelEnd);
  if (cells.length >= 2 && cells.length === labelCells.length) {
    const k = cells.findIndex(([s, e]) => start >= s && start < e);
    if (k >= 0) return labelIn(cues, labelCells[k][0], labelCells[k][1]);
  }
  const row = valueRow(text, dates, i, lineStart, lineEnd);
  if (!row) return undefined;
  const k = row.indexOf(i);
  // Cue words that touch belong to one label ("date of" + "specialist title").
  const groups: Array<[number, number]> = [];
  for (const c of cuesIn(cues.hits, labelStart, labelEnd)) {
    const g = groups[groups.length - 1];
    if (g && c.start <= g[1] + 1) g[1] = Math.max(g[1], c.end);
    else groups.push([c.start, c.end]);
  }
  if (groups.length === row.length) return labelIn(cues, groups[k][0], groups[k][1]);
  if (!groups.length) return undefined;
  const where = (start - lineStart + dates[i].raw.length / 2) / Math.max(1, lineEnd - lineStart);
  const off = (g: [number, number]): number => Math.abs((g[0] + g[1]) / 2 - labelStart - where * Math.max(1, labelEnd - labelStart));
  const best = groups.reduce((b, g) => (off(g) < off(b) ? g : b));
  return labelIn(cues, best[0], best[1]);
}

function classify(text: string, dates: Dated[], cues: Cues, i: number): Classified {
  const date = dates[i];
  const start = date.index;
  const end = start + date.raw.length;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  let from = lineStart;
  const prevDateEnd = i > 0 ? dates[i - 1].index + dates[i - 1].raw.length : -1;
  const nextDateStart = i + 1 < dates.length ? dates[i + 1].index : Infinity;
  const base = { date, after: false, period: false, signature: false };
  // A date that opens its line (or a bracket there) may finish the line above ("… Weiterbildungsordnung vom" / "16.11.2013").
  // So may a line whose law word ends the line above ("Кодекс" / "«О здоровье народа …» от 18.09.2009").
  const lineAbove = text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
  // ("ՀՀ օրենք," / "04.03.1996": the law's name may end in a comma.)
  const lawEndsLineAbove = lineStart > 0 && cuesIn(cues.hits, lineAbove, lineStart).some((c) => c.kind === 'law' && /^[\s,;:]*$/u.test(text.slice(c.end, lineStart)));
  // And a law whose author's name wraps before its joining word ("Weiterbildungsordnung der Ärztekammer" /
  // "Nordrhein vom 01.10.2014"): isLawDate allows that wrap only within a few words.
  const lawNameWraps = lineStart > 0 && start - lineStart <= MAX_WRAPPED_LAW_NAME;
  const lawFloor = /^[\s([]*$/u.test(text.slice(lineStart, start)) || lawEndsLineAbove || lawNameWraps ? lineAbove : lineStart;
  if (isLawDate(text, cues.hits, start, end, Math.max(lawFloor, prevDateEnd)) || isNumberedLawDate(text, cues.hits, start, end, prevDateEnd) || isAmendmentDate(text, cues.hits, start)) {
    return { ...base, kind: 'law', distance: 0, contextStart: lineStart, specialist: false };
  }
  // A row of a table (no cue words on its own line) takes its column's label from the line above.
  const firstOnLine = firstAtOrAfter(cues.hits, lineStart);
  if (firstOnLine >= cues.hits.length || cues.hits[firstOnLine].start >= lineEnd) {
    const label = labelFromTable(text, cues, dates, i, lineStart, lineEnd);
    if (label) return { ...base, kind: label.kind, distance: label.kind ? start - label.from : Infinity, contextStart: label.from, specialist: label.specialist };
  }
  // A value alone on its line takes its label from the line above.
  // (Only the line's last few hundred characters are looked at: a long line is not a label's value.)
  const prefix = text.slice(Math.max(lineStart, start - MAX_PREFIX), start);
  // ("… is a Diplomate as" / "of 12 April 2019": a wrapped "as of" is such a value's joining word too.)
  // (Greek "από 08/04/2019" / "στις …", from / on: \b knows no Greek letters, so they are matched apart.)
  // ("obteve o título de especialista em RADIOLOGIA" / "com data de 03/07/2020": so are "with the date of" phrases.)
  if (!/\p{L}/u.test(prefix.replace(/\b(?:com data de|con fecha de|en date du|on|am|le|il|el|op|em|dnia|of)\b/giu, '').replace(/(?<!\p{L})(?:από|απο|στις)(?!\p{L})/giu, ''))) {
    from = text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
  }
  from = Math.max(from, start - MAX_BEFORE);

  let best: { kind: Kind; distance: number; after?: boolean } | undefined;
  // A cue with another date between it and this one speaks of that date.
  // A cue wrapped onto this line from the one above ("… on 30 April 2020. Medical and" / "Dental Council
  // registration 10/09/2013") is this line's: its tail alone ("registration") would say something else.
  const floor = Math.max(from, prevDateEnd);
  const wrapped = cuesIn(cues.hits, prevDateEnd, floor).filter((c) => c.end > floor && text.slice(c.start, floor).includes('\n'));
  const before = [...wrapped, ...cuesIn(cues.hits, floor, start)].filter((c) => c.end <= start && c.kind !== 'law');
  for (const c of before) {
    // A law's name only excludes its own date (isLawDate); elsewhere it says nothing of a date.
    const d = start - c.end;
    if (!best || d < best.distance || (d === best.distance && KIND_RANK[c.kind] < KIND_RANK[best.kind])) best = { kind: c.kind, distance: d };
  }
  // "Since" says nothing of what began: "iscritto/a all'Albo dei Medici Chirurghi dal 14/03/2014" dates the
  // registration its clause names, not a specialist title (it ruled an Italian radiologist of 2019 out).
  const nearest = before[before.length - 1];
  if (best && nearest && best.kind === 'cert' && nearest.since) {
    // The cue ending closest before it: "iscritto/a all'albo" (a registration) over the "iscritto" inside it.
    const clauseCue = before
      .slice(0, -1)
      .filter((c) => !c.since)
      .reduce<CueHit | undefined>((a, c) => (!a || c.end > a.end ? c : a), undefined);
    if (clauseCue?.kind === 'basic' && inOneClause(text, clauseCue.end, nearest.start)) best = { kind: 'basic', distance: best.distance };
  }
  // The issue of a doctor's licence dates the doctor: "Legitimation som läkare utfärdad: 2013-08-20" (SE)
  // under a specialist decision of 2018 was taken for the certificate's issue.
  if (best?.kind === 'issue' && nearest?.kind === 'issue') {
    const licence = before.find((c) => c.kind === 'basic' && c.end <= nearest.start && !text.slice(c.end, nearest.start).includes('\n') && inOneClause(text, c.end, nearest.start));
    if (licence) best = { kind: 'basic', distance: best.distance };
  }
  if (!best) {
    // A sentence that goes on below ("certifying that on 03.07.2020 he" / "successfully passed the
    // examination") keeps its cue after the date; a new line that starts a label is another field's.
    const goesOn = !/[.;:!?]/u.test(text.slice(end, lineEnd)) && /^[ \t]*\p{Ll}/u.test(text.slice(lineEnd + 1, lineEnd + 8));
    const reach = goesOn ? text.indexOf('\n', lineEnd + 1) : lineEnd;
    // Nor past the sentence's end: in "Training commenced 29 April 2013. Registered in the Specialist
    // Division …" the register's words are the next sentence's (IE), not the training start's.
    const sentenceEnd = SENTENCE_BREAK.exec(text.slice(end, end + MAX_AFTER + 1));
    const until = Math.min(reach < 0 ? text.length : reach, sentenceEnd ? end + sentenceEnd.index : Infinity);
    for (const c of cuesIn(cues.hits, end, end + MAX_AFTER + 1)) {
      if (c.kind === 'law' || c.end > until || c.end > nextDateStart) continue;
      const d = c.start - end + AFTER_PENALTY;
      if (!best || d < best.distance) best = { kind: c.kind, distance: d, after: true };
    }
  }
  let signature = false;
  if (!best && start - lineStart <= MAX_PREFIX && PLACE_DATE_PREFIX.test(prefix)) {
    best = { kind: 'issue', distance: 0 };
    signature = true;
  }
  const ctxFrom = Math.max(from, prevDateEnd);
  const specialist = cuesIn(cues.specialist, ctxFrom, start).length > 0
    || (best?.after === true && cuesIn(cues.specialist, end, Math.min(lineEnd, end + MAX_AFTER)).length > 0);
  return { ...base, kind: best?.kind, distance: best?.distance ?? Infinity, after: best?.after ?? false, contextStart: from, specialist, signature };
}

function markPeriods(text: string, items: Classified[]): void {
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i].date;
    const b = items[i + 1].date;
    const between = text.slice(a.index + a.raw.length, b.index);
    if (!between.includes('\n') && RANGE_JOIN.test(between.replace(/[–—]/g, '-'))) {
      items[i].period = true;
      items[i + 1].period = true;
    }
  }
}

function makeResult(text: string, c: Classified, basis: BoardCertificationDate['basis']): BoardCertificationDate {
  let lineEnd = text.indexOf('\n', c.date.index + c.date.raw.length);
  if (lineEnd < 0) lineEnd = text.length;
  let from = c.contextStart;
  if (lineEnd - from > 160) from = Math.max(from, c.date.index - 100);
  const period = { from: c.date.from, to: c.date.to };
  const snippet = clipSnippet(text.slice(from, lineEnd));
  const where = { snippet, index: c.date.index, basis };
  return c.date.precision === 'day'
    ? { iso: c.date.iso, period, precision: 'day', ...where }
    : { period, precision: c.date.precision, ...where };
}

const MAX_ISSUE_AFTER_EXAM_MS = 366 * 86_400_000;
// Words of an examination ("Date of examination", "Sertifikācijas eksāmena datums", "Facharztprüfung am").
const EXAM_WORDS = /(?<!\p{L})(?:exam|examen|examination|prüfung|facharztprüfung|eksām|egzamin|vizsg|zkoušk|skúšk|esam[ei]|sınav|изпит|испит|экзамен|іспит|εξέτασ|εξετάσ)/iu;

/**
 * A certificate that dates the examination and, later, the title's issue or award: the examination's date
 * is kept as the reading, and the later one is named beside it, so that the rule can see when the two lie
 * on either side of its limit (a Latvian "Ārsta sertifikāts": examination 12 March 2018, issue 20 April 2018).
 */
function withLaterIssue(text: string, result: BoardCertificationDate, chosen: Classified, usable: readonly Classified[]): BoardCertificationDate {
  if (chosen.date.precision !== 'day' || !EXAM_WORDS.test(text.slice(chosen.contextStart, chosen.date.index))) return result;
  const later = usable
    .filter((c) => c !== chosen && c.date.precision === 'day' && (c.kind === 'issue' || c.kind === 'cert') && c.date.from > chosen.date.from)
    // Within a year: a title is issued months after its examination; years after, the date is a copy's
    // ("Odpis wydano dnia 11 stycznia 2021" under a Polish title obtained in 2015).
    .filter((c) => Date.parse(c.date.from) - Date.parse(chosen.date.from) <= MAX_ISSUE_AFTER_EXAM_MS)
    .filter((c) => !EXAM_WORDS.test(text.slice(c.contextStart, c.date.index)))
    .sort((a, b) => a.date.from.localeCompare(b.date.from))[0];
  return later ? { ...result, issuedLater: { iso: later.date.from, snippet: makeResult(text, later, 'issue').snippet } } : result;
}

/** No sentence or clause ends between `from` and `to`. */
function inOneClause(text: string, from: number, to: number): boolean {
  // "licence no. 0067460 issued …": the dot of a number's abbreviation ends no clause.
  return !/[;.!?]\s/u.test(text.slice(from, to).replace(/(?<!\p{L})(?:no|nr|nos|num)\.(?=\s*\d)/giu, ''));
}

// The words a form's field names a date with: "Date of …:", "Datum der …:", "Data …:".
const DATE_FIELD_WORDS = /(?<!\p{L})(?:date|datum|data|fecha|dato|ημερομηνία|дата|датум|tarih|tarihi|dátum|päivämäärä|kuupäev|datums)(?!\p{L})/iu;
const MAX_FIELD_LABEL = 80;

/** A date standing as the value of a field whose own label names a date and the specialist title, not an examination. */
function isSpecialistDateField(text: string, cues: Cues, c: Classified): boolean {
  const lineStart = text.lastIndexOf('\n', c.date.index - 1) + 1;
  const label = text.slice(lineStart, c.date.index);
  if (label.length > MAX_FIELD_LABEL || !/:\s*$/u.test(label) || !DATE_FIELD_WORDS.test(label) || EXAM_WORDS.test(label)) return false;
  return cuesIn(cues.specialist, lineStart, c.date.index).length > 0;
}

// A year right after these words is a law's or a regulation's, not the certification's.
const LEGAL_WORDS = compileWordAlternation([
  'law', 'act', 'decree', 'directive', 'regulation', 'regulations', 'ordinance', 'statute', 'gesetz', 'verordnung',
  'ordnung', 'weiterbildungsordnung', 'wbo', 'loi', 'décret', 'arrêté', 'directive', 'ordonnance', 'legge', 'decreto',
  'd.lgs', 'd.m', 'd.i', 'd.r', 'dpr', 'regolamento', 'ley', 'real decreto', 'orden', 'reglamento', 'lei', 'portaria',
  'regulamento', 'wet', 'besluit', 'regeling', 'ustawa', 'ustawy', 'rozporządzenie', 'rozporządzenia', 'dz.u', 'dz. u',
  'of', 'de', 'du', 'des', 'del', 'della', 'dello', 'vom', 'van', 'z dnia',
]);
const MAX_YEAR_CUE_DISTANCE = 30;

/** A year alone counts only close after its certification words, on their line, not as a law's year. */
function isTightYear(text: string, c: Classified): boolean {
  if (c.kind !== 'cert' || c.after || c.distance > MAX_YEAR_CUE_DISTANCE) return false;
  const between = text.slice(c.date.index - c.distance, c.date.index);
  if (/[\n;]|\.\s/.test(between)) return false;
  const f = foldWithMap(between);
  LEGAL_WORDS.lastIndex = 0;
  return !LEGAL_WORDS.test(f.folded);
}

/**
 * The holder's birth date, known from the CV or the passport, is a birth date on the certificate too,
 * whatever words stand around it: no list of birth words covers every language and abbreviation
 * (Lithuanian "gim. 1988-10-13" was read as the certification date).
 */
function markKnownBirthDates(items: Classified[], birthDates: ReadonlySet<string> | undefined): Classified[] {
  if (!birthDates?.size) return items;
  for (const c of items) if (c.date.precision === 'day' && birthDates.has(c.date.from)) c.kind = 'birth';
  return items;
}

/**
 * Returns the date the board certification / specialist title was obtained
 * (see the module comment for the choice among several dates), with the
 * text around it and the words it rests on (`basis`). Undefined when the
 * text holds only birth, print, validity, law or period dates, or no date
 * at all; a date in `known.birthDates` is a birth date. Reads at most the first 40,000 characters. Never throws.
 */
export function findBoardCertificationDate(input: string, known: { birthDates?: ReadonlySet<string> } = {}): BoardCertificationDate | undefined {
  if (!input) return undefined;
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  const full: Dated[] = findDates(text).slice(0, MAX_DATES).map((d) => ({ ...d, from: d.iso, to: d.iso, precision: 'day' }));
  const partial: Dated[] = findPartialDates(text).slice(0, MAX_DATES).map((d) => ({ ...d, iso: d.from }));
  if (!full.length && !partial.length) return undefined;
  const cues = collectCues(text);
  // Full dates are read among full dates only, as before partial dates were read at all.
  const classified = full.map((_, i) => classify(text, full, cues, i));
  // The birth dates the certificate's own words name, before the applicant's known ones join them.
  const holderBirthDates = [...new Set(classified.filter((c) => c.kind === 'birth').map((c) => c.date.from))];
  const items = markKnownBirthDates(classified, known.birthDates);
  markPeriods(text, items);
  const usable = items.filter((c) => !c.period);
  // Partial dates are read among all dates: a full date between a cue and a month is the cue's.
  const all = [...full, ...partial].sort((a, b) => a.index - b.index);
  const allItems = markKnownBirthDates(all.map((_, i) => classify(text, all, cues, i)), known.birthDates);
  markPeriods(text, allItems);
  const usablePartial = allItems.filter((c) => !c.period && c.date.precision !== 'day');
  const found = chooseDate(text, cues, usable, usablePartial);
  if (found && holderBirthDates.length > 0) found.holderBirthDates = holderBirthDates;
  return found;
}

/** Of a certificate's dates, read and classified, the one that dates the title (findBoardCertificationDate). */
function chooseDate(text: string, cues: Cues, usable: Classified[], usablePartial: Classified[]): BoardCertificationDate | undefined {
  // The specialist title's date before a plain "registered"/"passed" date, then the closest cue.
  const byCue = (a: Classified, b: Classified): number =>
    Number(b.specialist) - Number(a.specialist) || a.distance - b.distance || a.date.index - b.date.index;
  const byDate = (a: Classified, b: Classified): number => a.date.from.localeCompare(b.date.from);
  const byIssue = (a: Classified, b: Classified): number => Number(a.signature) - Number(b.signature) || byDate(a, b);
  const issueBasis = (c: Classified): BoardCertificationDate['basis'] => (c.signature ? 'signature' : 'issue');
  const certs = usable.filter((c) => c.kind === 'cert').sort(byCue);
  // A field that names the date of the specialist title itself ("Data confirmării ca medic specialist:
  // 09.04.2018", RO) is that date, whatever examination session the sentence above names: the certificate
  // says when its holder became a specialist. (An issue or signature date after an examination does not
  // say so, and stays beside it: withLaterIssue.)
  const field = certs.find((c) => c.date.precision === 'day' && isSpecialistDateField(text, cues, c));
  if (field) return makeResult(text, field, 'certification');
  if (certs.length) return withLaterIssue(text, makeResult(text, certs[0], 'certification'), certs[0], usable);
  const certMonths = usablePartial.filter((c) => c.kind === 'cert' && c.date.precision === 'month').sort(byCue);
  if (certMonths.length) return makeResult(text, certMonths[0], 'certification');
  const neutral = usable.filter((c) => c.kind === undefined).sort(byDate);
  if (neutral.length) return makeResult(text, neutral[0], 'unlabelled');
  const issued = usable.filter((c) => c.kind === 'issue').sort(byIssue);
  if (issued.length) return makeResult(text, issued[0], issueBasis(issued[0]));
  const issuedMonths = usablePartial.filter((c) => c.kind === 'issue' && c.date.precision === 'month').sort(byIssue);
  if (issuedMonths.length) return makeResult(text, issuedMonths[0], issueBasis(issuedMonths[0]));
  const basic = usable.filter((c) => c.kind === 'basic').sort(byDate);
  if (basic.length) return makeResult(text, basic[0], 'registration');
  const certYears = usablePartial.filter((c) => c.date.precision === 'year' && isTightYear(text, c)).sort(byCue);
  if (certYears.length) return makeResult(text, certYears[0], 'certification');
  return undefined;
}
