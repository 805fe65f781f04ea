/**
 * Builders for the documents issued by others: board certificate, medical
 * degree and specialisation, language certificates, ESR membership proof and
 * passport. National documents are written in the issuing country's language;
 * each builder decides whether its pages are scans (no text layer) and only
 * reveals facts that its text pages print.
 */
import type { CefrLevel } from '../../core/types';
import { PASSPORT_MONTHS, addDays, formatDate, formatIsoDate, monthName, pad2, pickDateStyle, type DocLang, type Ymd } from './dates';
import { LANGUAGE_NAMES_EN, countryName, receivedDay, type BuildContext, type BuiltDocument } from './documents';
import { buildTd3Mrz } from './mrz';
import type { Block, DocStyle, Part } from './pdf-writer';
import { fullName, type Applicant } from './people';
import type { LanguageCertPlan } from './plan';
import { GrayRaster, paintPortrait } from './raster';
import type { Rng } from './random';

export function pickOfficialStyle(rng: Rng, landscape = false): DocStyle {
  return {
    pageSize: landscape ? 'A4-landscape' : rng.pickWeighted([['A4', 9], ['Letter', 1]]),
    family: rng.pickWeighted([['times', 5], ['helvetica', 4], ['dejavu', 1]]),
    fontSize: rng.pick([10.5, 11, 12]),
    margin: rng.pick([60, 70, 80]),
    titleAlign: 'center',
    lineSpacing: rng.pick([1.3, 1.45]),
    footer: 'none',
    frame: rng.chance(0.4),
  };
}

interface Who {
  name: string; // in the issuing country's script
  she: boolean;
  dob: string;
  birth: string;
}

function describeHolder(a: Applicant, lang: DocLang, rng: Rng): Who {
  return { name: fullName(a.name, lang !== 'el'), she: a.sex === 'F', dob: formatDate(a.dob, lang, pickDateStyle(rng, lang)), birth: lang === 'en' ? a.birthCity.en : a.birthCity.name };
}

const centred = (text: string, size?: number): Block => ({ t: 'para', text, align: 'center', font: 'bold', size });
const title = (text: string): Block => ({ t: 'title', text, align: 'center' });

const GREEK_REGIONS: Record<string, string> = { Athens: 'ΑΤΤΙΚΗΣ', Thessaloniki: 'ΚΕΝΤΡΙΚΗΣ ΜΑΚΕΔΟΝΙΑΣ', Patras: 'ΔΥΤΙΚΗΣ ΕΛΛΑΔΑΣ', Heraklion: 'ΚΡΗΤΗΣ', Ioannina: 'ΗΠΕΙΡΟΥ' };

/** "de Lyon" but "d'Amsterdam", as French writes it. */
function frenchOf(city: string): string {
  return /^[AEIOUYÉÈaeiouyéè]/.test(city) ? `d'${city}` : `de ${city}`;
}

/** The board certificate of a training country, in its language. */
function writeBoardCertificate(rng: Rng, a: Applicant, date: Ymd, issue: Ymd, number: string): { lang: DocLang; blocks: Block[] } {
  const code = a.training.code;
  const lang: DocLang = code === 'BE' || code === 'CH' ? rng.pick(a.training.langs) : a.training.langs[0];
  const w = describeHolder(a, lang, rng);
  const d = formatDate(date, lang, pickDateStyle(rng, lang));
  const i = formatDate(issue, lang, pickDateStyle(rng, lang));
  const city = lang === 'en' ? a.trainingCity.en : a.trainingCity.name;
  const sign: Block[] = [{ t: 'space' }, { t: 'signature', align: 'right' }, { t: 'seal', x: 0.25 }];
  switch (`${code}-${lang}`) {
    case 'IT-it':
      return {
        lang,
        blocks: [
          centred(`ORDINE DEI MEDICI CHIRURGHI E DEGLI ODONTOIATRI DELLA PROVINCIA DI ${a.trainingCity.name.toUpperCase()}`),
          { t: 'space' },
          title('CERTIFICATO DI SPECIALIZZAZIONE'),
          { t: 'para', text: `Il Presidente dell'Ordine certifica che ${w.she ? 'la Dott.ssa' : 'il Dott.'} ${w.name}, nat${w.she ? 'a' : 'o'} a ${w.birth} il ${w.dob}, iscritt${w.she ? 'a' : 'o'} all'Albo dei Medici Chirurghi al n. ${number}, è in possesso del Diploma di Specializzazione in RADIODIAGNOSTICA conseguito in data ${d}.` },
          { t: 'para', text: 'Si rilascia il presente certificato su richiesta dell\'interessato per gli usi consentiti dalla legge.' },
          { t: 'para', text: `${city}, ${i}` },
          { t: 'para', text: 'Il Presidente', align: 'right' },
          ...sign,
        ],
      };
    case 'DE-de': {
      const chamber: Record<string, string> = { München: 'Bayerische Landesärztekammer', Berlin: 'Ärztekammer Berlin', Hamburg: 'Ärztekammer Hamburg', Köln: 'Ärztekammer Nordrhein', Leipzig: 'Sächsische Landesärztekammer' };
      return {
        lang,
        blocks: [
          centred(chamber[a.trainingCity.name] ?? 'Landesärztekammer Baden-Württemberg'),
          { t: 'para', text: 'Körperschaft des öffentlichen Rechts', align: 'center' },
          { t: 'space' },
          title('URKUNDE'),
          { t: 'para', text: `${w.she ? 'Frau' : 'Herr'} Dr. med. ${w.name}`, align: 'center', font: 'bold' },
          { t: 'para', text: `geboren am ${formatDate(a.dob, 'de', 'numeric')} in ${w.birth}`, align: 'center' },
          { t: 'para', text: 'hat die Weiterbildung im Gebiet Radiologie erfolgreich abgeschlossen und ist berechtigt, die Bezeichnung', align: 'center' },
          centred(`${w.she ? 'Fachärztin' : 'Facharzt'} für Radiologie`, 15),
          { t: 'para', text: 'zu führen.', align: 'center' },
          { t: 'para', text: `Datum der Anerkennung: ${formatDate(date, 'de', 'numeric')}` },
          { t: 'para', text: `${city}, den ${formatDate(issue, 'de', 'numeric')}` },
          { t: 'para', text: `Urkunden-Nr. ${number}` },
          ...sign,
        ],
      };
    }
    case 'AT-de':
      return {
        lang,
        blocks: [
          centred('ÖSTERREICHISCHE ÄRZTEKAMMER'),
          title('FACHARZTDIPLOM'),
          { t: 'para', text: `Die Österreichische Ärztekammer bestätigt, dass ${w.she ? 'Frau Dr.in' : 'Herr Dr.'} med. univ. ${w.name}, geboren am ${w.dob}, die Ausbildung ${w.she ? 'zur Fachärztin' : 'zum Facharzt'} für Radiologie absolviert und die Facharztprüfung erfolgreich abgelegt hat.` },
          { t: 'para', text: `Berechtigung zur selbständigen Berufsausübung als ${w.she ? 'Fachärztin' : 'Facharzt'} für Radiologie ab ${d}.` },
          { t: 'para', text: `Wien, am ${i}` },
          { t: 'para', text: `Zahl: ${number}` },
          ...sign,
        ],
      };
    case 'CH-fr':
      return {
        lang,
        blocks: [
          centred('FMH'),
          { t: 'para', text: 'Fédération des médecins suisses · Verbindung der Schweizer Ärztinnen und Ärzte', align: 'center' },
          title('TITRE DE SPÉCIALISTE'),
          { t: 'para', text: `La FMH décerne à ${w.she ? 'Madame' : 'Monsieur'} ${w.name}, né${w.she ? 'e' : ''} le ${w.dob}, le titre fédéral de spécialiste en`, align: 'center' },
          centred('Radiologie', 16),
          { t: 'para', text: `Date d'octroi : ${d}` },
          { t: 'para', text: `Berne, le ${i}` },
          ...sign,
        ],
      };
    case 'CH-de':
      return {
        lang,
        blocks: [
          centred('FMH'),
          { t: 'para', text: 'Verbindung der Schweizer Ärztinnen und Ärzte', align: 'center' },
          title('FACHARZTTITEL'),
          { t: 'para', text: `Die FMH erteilt ${w.she ? 'Frau' : 'Herrn'} ${w.name}, geboren am ${w.dob}, den eidgenössischen Weiterbildungstitel`, align: 'center' },
          centred(`${w.she ? 'Fachärztin' : 'Facharzt'} für Radiologie`, 15),
          { t: 'para', text: `Erteilt am ${d}` },
          { t: 'para', text: `Bern, ${i}` },
          ...sign,
        ],
      };
    case 'ES-es':
      return {
        lang,
        blocks: [
          centred('MINISTERIO DE SANIDAD'),
          { t: 'space' },
          title('TÍTULO DE MÉDICO ESPECIALISTA EN RADIODIAGNÓSTICO'),
          { t: 'para', text: `Por cuanto, de conformidad con lo dispuesto en la normativa vigente, ${w.she ? 'Dña.' : 'D.'} ${w.name}, nacid${w.she ? 'a' : 'o'} en ${w.birth} el día ${w.dob}, ha superado el programa de formación como Médico Interno Residente en la especialidad de Radiodiagnóstico,` },
          { t: 'para', text: `se expide el presente Título de Médico Especialista en Radiodiagnóstico, con fecha de efectos ${d}.` },
          { t: 'para', text: `Madrid, ${i}` },
          { t: 'para', text: `Registro Nacional de Títulos, n.º ${number}` },
          ...sign,
        ],
      };
    case 'PT-pt':
      return {
        lang,
        blocks: [
          centred('ORDEM DOS MÉDICOS'),
          { t: 'para', text: 'Conselho Nacional', align: 'center' },
          title('CERTIFICADO'),
          { t: 'para', text: `Certifica-se que ${w.she ? 'a Dra.' : 'o Dr.'} ${w.name}, portador${w.she ? 'a' : ''} da cédula profissional n.º ${number}, nascid${w.she ? 'a' : 'o'} em ${w.dob}, obteve o título de Especialista em Radiologia, com efeitos a partir de ${d}.` },
          { t: 'para', text: `Lisboa, ${i}` },
          { t: 'para', text: 'O Bastonário', align: 'right' },
          ...sign,
        ],
      };
    case 'NL-nl':
      return {
        lang,
        blocks: [
          centred('Koninklijke Nederlandsche Maatschappij tot bevordering der Geneeskunst'),
          { t: 'para', text: 'Registratiecommissie Geneeskundig Specialisten (RGS)', align: 'center' },
          title('BEWIJS VAN INSCHRIJVING'),
          { t: 'para', text: `Hierbij wordt verklaard dat ${w.name}, geboren op ${w.dob} te ${w.birth}, met ingang van ${d} is ingeschreven in het register van radiologen.` },
          { t: 'para', text: `Registratienummer: ${number}` },
          { t: 'para', text: `Utrecht, ${i}` },
          ...sign,
        ],
      };
    case 'BE-fr':
      return {
        lang,
        blocks: [
          centred('ROYAUME DE BELGIQUE'),
          { t: 'para', text: 'SPF Santé publique, Sécurité de la Chaîne alimentaire et Environnement — Direction générale Soins de santé', align: 'center' },
          title('AGRÉMENT EN TANT QUE MÉDECIN SPÉCIALISTE'),
          { t: 'para', text: `Le Docteur ${w.name}, né${w.she ? 'e' : ''} le ${w.dob}, est agréé${w.she ? 'e' : ''} en qualité de médecin spécialiste en radiodiagnostic à partir du ${d}.` },
          { t: 'para', text: `Numéro INAMI : 1-${number}-${pad2(date.y % 100)}-${rng.digits(3)}` },
          { t: 'para', text: `Bruxelles, le ${i}` },
          ...sign,
        ],
      };
    case 'BE-nl':
      return {
        lang,
        blocks: [
          centred('KONINKRIJK BELGIË'),
          { t: 'para', text: 'FOD Volksgezondheid, Veiligheid van de Voedselketen en Leefmilieu', align: 'center' },
          title('ERKENNING ALS GENEESHEER-SPECIALIST'),
          { t: 'para', text: `Dokter ${w.name}, geboren op ${w.dob}, wordt erkend als geneesheer-specialist in de röntgendiagnose met ingang van ${d}.` },
          { t: 'para', text: `RIZIV-nummer: 1-${number}-${pad2(date.y % 100)}-${rng.digits(3)}` },
          { t: 'para', text: `Brussel, ${i}` },
          ...sign,
        ],
      };
    case 'PL-pl':
      return {
        lang,
        blocks: [
          centred('CENTRUM MEDYCZNE KSZTAŁCENIA PODYPLOMOWEGO'),
          title('DYPLOM'),
          { t: 'para', text: 'uzyskania tytułu specjalisty w dziedzinie', align: 'center' },
          centred('RADIOLOGII I DIAGNOSTYKI OBRAZOWEJ', 14),
          { t: 'para', text: `${w.she ? 'Pani' : 'Pan'} lek. ${w.name}, ${w.she ? 'urodzona' : 'urodzony'} ${w.dob} w ${w.birth}, ${w.she ? 'złożyła' : 'złożył'} Państwowy Egzamin Specjalizacyjny w dniu ${d} i ${w.she ? 'uzyskała' : 'uzyskał'} tytuł specjalisty.` },
          { t: 'para', text: `Nr dyplomu: ${number}` },
          { t: 'para', text: `Warszawa, dnia ${formatDate(issue, 'pl', 'numeric')}` },
          ...sign,
        ],
      };
    case 'GR-el':
      return {
        lang,
        blocks: [
          centred('ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ'),
          { t: 'para', text: `ΠΕΡΙΦΕΡΕΙΑ ${GREEK_REGIONS[a.trainingCity.en] ?? 'ΑΤΤΙΚΗΣ'}`, align: 'center' },
          title('ΤΙΤΛΟΣ ΙΑΤΡΙΚΗΣ ΕΙΔΙΚΟΤΗΤΑΣ'),
          { t: 'para', text: `Χορηγείται ${w.she ? 'στην' : 'στον'} ιατρό ${w.name}, που γεννήθηκε στις ${w.dob}, τίτλος ιατρικής ειδικότητας Ακτινοδιαγνωστικής, μετά από επιτυχή εξέταση στις ${d}.` },
          { t: 'para', text: `Αριθμός πρωτοκόλλου: ${number}` },
          { t: 'para', text: `${a.trainingCity.name}, ${i}` },
          { t: 'para', text: 'Ο Περιφερειάρχης', align: 'right' },
          ...sign,
        ],
      };
    case 'RO-ro':
      return {
        lang,
        blocks: [
          centred('ROMÂNIA'),
          centred('MINISTERUL SĂNĂTĂȚII'),
          title('CERTIFICAT DE MEDIC SPECIALIST'),
          { t: 'para', text: `Se certifică faptul că ${w.she ? 'doamna' : 'domnul'} dr. ${w.name}, ${w.she ? 'născută' : 'născut'} la data de ${w.dob}, a promovat examenul de medic specialist în specialitatea RADIOLOGIE – IMAGISTICĂ MEDICALĂ și are dreptul de a exercita ca medic specialist începând cu data de ${d}.` },
          { t: 'para', text: `Seria ${rng.letters(1)} Nr. ${number}` },
          { t: 'para', text: `București, ${i}` },
          ...sign,
        ],
      };
    case 'GB-en':
      return {
        lang,
        blocks: [
          centred('General Medical Council'),
          title('Certificate of Completion of Training'),
          { t: 'para', text: `This is to certify that Dr ${w.name} has satisfactorily completed the approved training programme in Clinical Radiology and was entered on the Specialist Register on ${d}.` },
          { t: 'para', text: `GMC Reference Number: ${number}` },
          { t: 'para', text: `Date of issue: ${i}` },
          ...sign,
        ],
      };
    case 'IE-en':
      return {
        lang,
        blocks: [
          centred('Medical Council | Comhairle na nDochtúirí Leighis'),
          title('Certificate of Registration – Specialist Division'),
          { t: 'para', text: `Dr ${w.name} is registered in the Specialist Division of the Register of Medical Practitioners in the specialty of Radiology, with effect from ${d}.` },
          { t: 'para', text: `Registration number: ${number}` },
          { t: 'para', text: `Dublin, ${i}` },
          ...sign,
        ],
      };
    default: // FR-fr
      return {
        lang: 'fr',
        blocks: [
          centred("CONSEIL NATIONAL DE L'ORDRE DES MÉDECINS"),
          title('ATTESTATION DE QUALIFICATION'),
          { t: 'para', text: `Le Conseil national de l'Ordre des médecins atteste que le Docteur ${w.name}, né${w.she ? 'e' : ''} le ${w.dob} à ${w.birth}, inscrit${w.she ? 'e' : ''} au Tableau sous le numéro RPPS ${number}, est qualifié${w.she ? 'e' : ''} spécialiste en RADIOLOGIE ET IMAGERIE MÉDICALE depuis le ${d}.` },
          { t: 'para', text: `Fait à Paris, le ${i}` },
          ...sign,
        ],
      };
  }
}

function writeTranslationPage(rng: Rng, fromLang: DocLang, heading: string, body: string[]): Block[] {
  const translator = `${rng.pick(['Maria', 'Anna', 'Paul', 'Elena', 'Marc'])} ${rng.pick(['Keller', 'Rossi', 'Novak', 'Dumont', 'Silva'])}`;
  return [
    { t: 'para', text: rng.pick([`Certified translation from ${LANGUAGE_NAMES_EN[fromLang]} into English`, `Sworn translation – original in ${LANGUAGE_NAMES_EN[fromLang]}`, 'TRANSLATION']), font: 'italic', align: 'center' },
    { t: 'space' },
    title(heading),
    ...body.map((text): Block => ({ t: 'para', text })),
    { t: 'space' },
    { t: 'para', text: `I, the undersigned ${translator}, sworn translator, certify that the above is a true and complete translation of the original document presented to me.`, font: 'italic' },
    { t: 'signature' },
    { t: 'seal', x: 0.7 },
  ];
}

export function buildBoardCertificate(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const style = pickOfficialStyle(rng, rng.chance(0.15));
  if (plan.scans.board) {
    return { spec: { label: 'board_certificate', kind: 'board-scan', style, parts: [{ kind: 'scan', layout: 'certificate', pageSize: 'A4', vector: rng.chance(0.3) }] }, reveals: {} };
  }
  const number = rng.digits(rng.int(5, 7));
  const { lang, blocks } = writeBoardCertificate(rng, a, plan.boardDate, plan.boardIssueDate, number);
  const parts: Part[] = [{ kind: 'text', blocks }];
  if (lang !== 'en' && rng.chance(0.2)) {
    const d = formatDate(plan.boardDate, 'en', 'long');
    parts.push({
      kind: 'text',
      style: { frame: false, pageSize: 'A4' },
      blocks: writeTranslationPage(rng, lang, 'Specialist Certificate', [
        `This is to certify that Dr ${fullName(a.name, true)}, born on ${formatDate(a.dob, 'en', 'long')}, has been recognised as a specialist in Radiology (diagnostic radiology) with effect from ${d}.`,
        `Certificate number: ${number}.`,
      ]),
    });
  }
  return { spec: { label: 'board_certificate', kind: `board-${a.training.code.toLowerCase()}-${lang}`, style, parts }, reveals: { boardCertificationDate: formatIsoDate(plan.boardDate) } };
}

// ---------------------------------------------------------------------------
// Medical degree and specialisation

function writeDegreePages(rng: Rng, a: Applicant, graduation: Ymd, board: Ymd): { lang: DocLang; degree: Block[]; specialisation: Block[]; translation: string[]; heading: string } {
  const code = a.training.code;
  const lang: DocLang = a.training.langs[0] === 'fr' || code === 'BE' || code === 'CH' ? rng.pick(a.training.langs) : a.training.langs[0];
  const w = describeHolder(a, lang, rng);
  const g = formatDate(graduation, lang, pickDateStyle(rng, lang));
  const b = formatDate(board, lang, pickDateStyle(rng, lang));
  const uni = a.university.native;
  const uniUpper = uni.toUpperCase();
  const sig: Block[] = [{ t: 'space' }, { t: 'signature', align: 'right' }, { t: 'seal', x: 0.2 }];
  const en = fullName(a.name, true);
  const translation = [`The Rector of the ${a.university.en} confers on ${en}, born on ${formatDate(a.dob, 'en', 'long')}, the degree of Doctor of Medicine, awarded on ${formatDate(graduation, 'en', 'long')}.`];
  switch (lang) {
    case 'it':
      return {
        lang,
        heading: 'Diploma of Master\'s Degree in Medicine and Surgery',
        translation,
        degree: [centred(uniUpper), title('DIPLOMA DI LAUREA MAGISTRALE'), { t: 'para', text: `Il Rettore, visti gli atti della carriera, conferisce a ${w.name}, nat${w.she ? 'a' : 'o'} a ${w.birth} il ${w.dob}, la`, align: 'center' }, centred('LAUREA MAGISTRALE IN MEDICINA E CHIRURGIA', 14), { t: 'para', text: `(classe LM-41), conseguita il ${g} con voti 110/110 e lode.`, align: 'center' }, ...sig],
        specialisation: [centred(uniUpper), centred('Scuola di Specializzazione in Radiodiagnostica'), title('DIPLOMA DI SPECIALIZZAZIONE'), { t: 'para', text: `${w.she ? 'La Dott.ssa' : 'Il Dott.'} ${w.name} ha conseguito il Diploma di Specializzazione in RADIODIAGNOSTICA in data ${b}, con la votazione di 50/50.`, align: 'center' }, ...sig],
      };
    case 'de':
      return code === 'AT'
        ? {
            lang,
            heading: 'Doctoral Certificate – Doctor of Medicine',
            translation,
            degree: [centred(uniUpper), title('PROMOTIONSURKUNDE'), { t: 'para', text: `${w.name}, geboren am ${w.dob}, wird der akademische Grad`, align: 'center' }, centred(`${w.she ? 'Doktorin' : 'Doktor'} der gesamten Heilkunde (Dr. med. univ.)`, 14), { t: 'para', text: `verliehen. Wien, am ${g}`, align: 'center' }, ...sig],
            specialisation: [centred('ÖSTERREICHISCHE ÄRZTEKAMMER'), title('RASTERZEUGNIS'), { t: 'para', text: `Bestätigung über die absolvierte Ausbildung im Sonderfach Radiologie (Haupt- und Nebenfächer) für ${w.name}. Facharztprüfung bestanden; Anerkennung ab ${b}.` }, ...sig],
          }
        : {
            lang,
            heading: 'Certificate of the Medical State Examination / Licence to practise',
            translation: [`${en}, born on ${formatDate(a.dob, 'en', 'long')}, passed the Medical State Examination on ${formatDate(graduation, 'en', 'long')} and was granted the licence to practise medicine (Approbation).`],
            degree: [centred(code === 'CH' ? 'SCHWEIZERISCHE EIDGENOSSENSCHAFT' : 'LANDESPRÜFUNGSAMT FÜR MEDIZIN'), title(code === 'CH' ? 'EIDGENÖSSISCHES ARZTDIPLOM' : 'ZEUGNIS ÜBER DIE ÄRZTLICHE PRÜFUNG'), { t: 'para', text: `${w.she ? 'Frau' : 'Herr'} ${w.name}, geboren am ${w.dob} in ${w.birth}, hat die Ärztliche Prüfung am ${g} mit der Gesamtnote „gut" (2,0) bestanden.` }, ...sig],
            specialisation: [centred('APPROBATIONSURKUNDE'), { t: 'para', text: `${w.she ? 'Frau' : 'Herrn'} ${w.name}, geboren am ${w.dob}, wird hiermit die Approbation als ${w.she ? 'Ärztin' : 'Arzt'} erteilt.`, align: 'center' }, { t: 'para', text: `Weiterbildung im Gebiet Radiologie abgeschlossen; Anerkennung als ${w.she ? 'Fachärztin' : 'Facharzt'} für Radiologie am ${b}.` }, ...sig],
          };
    case 'es':
      return {
        lang,
        heading: 'Degree of Licentiate in Medicine and Surgery',
        translation,
        degree: [centred(`${uniUpper}`), title('TÍTULO DE LICENCIADO EN MEDICINA Y CIRUGÍA'), { t: 'para', text: `Considerando que, conforme a las disposiciones vigentes, ${w.she ? 'Dña.' : 'D.'} ${w.name}, nacid${w.she ? 'a' : 'o'} el ${w.dob} en ${w.birth}, ha hecho constar su suficiencia en la Universidad de ${a.trainingCity.name}, expide el presente Título con fecha ${g}.` }, ...sig],
        specialisation: [centred('COMISIÓN DE DOCENCIA'), title('CERTIFICADO DE FORMACIÓN SANITARIA ESPECIALIZADA'), { t: 'para', text: `Se certifica que ${w.she ? 'Dña.' : 'D.'} ${w.name} ha completado el programa de formación MIR en la especialidad de Radiodiagnóstico, obteniendo la calificación de Excelente, con fecha ${b}.` }, ...sig],
      };
    case 'pt':
      return {
        lang,
        heading: 'Degree Certificate – Integrated Master in Medicine',
        translation,
        degree: [centred(uniUpper), title('CARTA DE CURSO'), { t: 'para', text: `${w.name}, nascid${w.she ? 'a' : 'o'} em ${w.dob}, concluiu o Mestrado Integrado em Medicina em ${g}, com a classificação final de 17 valores.` }, ...sig],
        specialisation: [centred('ADMINISTRAÇÃO CENTRAL DO SISTEMA DE SAÚDE'), title('DIPLOMA DO INTERNATO MÉDICO'), { t: 'para', text: `${w.she ? 'A Dra.' : 'O Dr.'} ${w.name} concluiu com aproveitamento o Internato Médico de formação especializada em Radiologia, em ${b}.` }, ...sig],
      };
    case 'nl':
      return code === 'BE'
        ? {
            lang,
            heading: 'Master of Medicine – Degree Certificate',
            translation,
            degree: [centred(uniUpper), title('DIPLOMA'), { t: 'para', text: `${w.name}, geboren te ${w.birth} op ${w.dob}, heeft de graad van Master in de geneeskunde behaald op ${g}.`, align: 'center' }, ...sig],
            specialisation: [centred(uniUpper), title('MASTER-NA-MASTER SPECIALISTISCHE GENEESKUNDE'), { t: 'para', text: `${w.name} heeft de opleiding tot geneesheer-specialist in de radiodiagnose voltooid op ${b}.`, align: 'center' }, ...sig],
          }
        : {
            lang,
            heading: 'Certificate – Medical Degree (Artsexamen)',
            translation,
            degree: [centred(uniUpper), title('GETUIGSCHRIFT'), { t: 'para', text: `De examencommissie verklaart dat ${w.name}, geboren op ${w.dob} te ${w.birth}, op ${g} het artsexamen met goed gevolg heeft afgelegd.`, align: 'center' }, ...sig],
            specialisation: [centred(a.institution.native), title('VERKLARING VAN DE OPLEIDER'), { t: 'para', text: `Hierbij verklaar ik dat ${w.name} de opleiding tot radioloog met goed gevolg heeft afgerond op ${b}.` }, ...sig],
          };
    case 'fr':
      return code === 'FR'
        ? {
            lang,
            heading: 'State Diploma of Doctor of Medicine',
            translation,
            degree: [centred('RÉPUBLIQUE FRANÇAISE'), centred(uniUpper), title("DIPLÔME D'ÉTAT DE DOCTEUR EN MÉDECINE"), { t: 'para', text: `Le diplôme d'État de docteur en médecine est délivré à ${w.name}, né${w.she ? 'e' : ''} le ${w.dob} à ${w.birth}, pour en jouir avec les droits et prérogatives qui y sont attachés. Thèse soutenue le ${g}.`, align: 'center' }, ...sig],
            specialisation: [centred(uniUpper), title("DIPLÔME D'ÉTUDES SPÉCIALISÉES"), centred('Radiologie et imagerie médicale'), { t: 'para', text: `délivré à ${w.name}, au titre de l'année universitaire ${board.y - 1}-${board.y}, le ${b}.`, align: 'center' }, ...sig],
          }
        : {
            lang,
            heading: code === 'CH' ? 'Federal Diploma of Physician' : 'Diploma of Doctor of Medicine',
            translation,
            degree: [centred(code === 'CH' ? 'CONFÉDÉRATION SUISSE' : uniUpper), title(code === 'CH' ? 'DIPLÔME FÉDÉRAL DE MÉDECIN' : 'DIPLÔME DE DOCTEUR EN MÉDECINE'), { t: 'para', text: `${w.she ? 'Madame' : 'Monsieur'} ${w.name}, né${w.she ? 'e' : ''} le ${w.dob}, a réussi l'examen fédéral / les épreuves prescrites et obtient le grade de docteur en médecine, le ${g}.`, align: 'center' }, ...sig],
            specialisation: [centred(uniUpper), title('MASTER DE SPÉCIALISATION EN RADIODIAGNOSTIC'), { t: 'para', text: `${w.she ? 'Madame' : 'Monsieur'} ${w.name} a terminé avec fruit la formation de médecin spécialiste en radiodiagnostic le ${b}.`, align: 'center' }, ...sig],
          };
    case 'pl':
      return {
        lang,
        heading: 'Diploma of Completion of Medical Studies',
        translation,
        degree: [centred(uniUpper), title('DYPLOM UKOŃCZENIA STUDIÓW'), { t: 'para', text: `${w.name}, ${w.she ? 'urodzona' : 'urodzony'} ${w.dob} w ${w.birth}, ${w.she ? 'ukończyła' : 'ukończył'} jednolite studia magisterskie na kierunku lekarskim i ${w.she ? 'uzyskała' : 'uzyskał'} w dniu ${g} tytuł zawodowy`, align: 'center' }, centred('LEKARZA', 15), ...sig],
        specialisation: [centred('OKRĘGOWA RADA LEKARSKA'), title('PRAWO WYKONYWANIA ZAWODU LEKARZA'), { t: 'para', text: `Lek. ${w.name}. Specjalizacja: radiologia i diagnostyka obrazowa, tytuł specjalisty uzyskany ${b}.` }, ...sig],
      };
    case 'el':
      return {
        lang,
        heading: 'Degree in Medicine (Ptychio)',
        translation,
        degree: [centred(uniUpper), title('ΠΤΥΧΙΟ ΙΑΤΡΙΚΗΣ'), { t: 'para', text: `${w.she ? 'Η' : 'Ο'} ${w.name}, που γεννήθηκε στις ${w.dob}, αναγορεύεται πτυχιούχος της Ιατρικής Σχολής στις ${g}, με βαθμό «Λίαν Καλώς».`, align: 'center' }, ...sig],
        specialisation: [centred(a.institution.native), title('ΒΕΒΑΙΩΣΗ ΟΛΟΚΛΗΡΩΣΗΣ ΕΙΔΙΚΕΥΣΗΣ'), { t: 'para', text: `Βεβαιώνεται ότι ${w.she ? 'η' : 'ο'} ιατρός ${w.name} ολοκλήρωσε την ειδίκευση στην Ακτινοδιαγνωστική και έλαβε τίτλο ειδικότητας στις ${b}.` }, ...sig],
      };
    case 'ro':
      return {
        lang,
        heading: 'Bachelor Diploma – Doctor of Medicine',
        translation,
        degree: [centred('ROMÂNIA'), centred(uniUpper), title('DIPLOMĂ DE LICENȚĂ'), { t: 'para', text: `${w.name}, ${w.she ? 'născută' : 'născut'} la ${w.dob}, a absolvit programul de studii Medicină și i se acordă titlul de DOCTOR-MEDIC, la data de ${g}.`, align: 'center' }, ...sig],
        specialisation: [centred(a.institution.native), title('ADEVERINȚĂ DE REZIDENȚIAT'), { t: 'para', text: `Se adeverește că dr. ${w.name} a efectuat pregătirea prin rezidențiat în specialitatea Radiologie – imagistică medicală, finalizată cu examen de specialitate promovat la ${b}.` }, ...sig],
      };
    default:
      return {
        lang: 'en',
        heading: '',
        translation: [],
        degree: [centred(uniUpper), { t: 'space' }, { t: 'para', text: 'This is to certify that', align: 'center' }, centred(w.name, 16), { t: 'para', text: `having fulfilled the requirements of the University was admitted to the degree of`, align: 'center' }, centred(code === 'IE' ? 'Bachelor of Medicine, Bachelor of Surgery and Bachelor of the Art of Obstetrics (MB BCh BAO)' : 'Bachelor of Medicine and Bachelor of Surgery (MB ChB)', 13), { t: 'para', text: `on ${g}`, align: 'center' }, ...sig],
        specialisation: [centred(code === 'IE' ? 'Faculty of Radiologists' : 'The Royal College of Radiologists'), title('Diploma of Fellowship'), { t: 'para', text: `${w.name} having passed the examinations of the College in Clinical Radiology was admitted a Fellow on ${b}.`, align: 'center' }, ...sig],
      };
  }
}

export function buildMedicalDegree(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const landscape = rng.chance(0.35);
  const style = pickOfficialStyle(rng, landscape);
  const pages = writeDegreePages(rng, a, plan.graduation, plan.boardDate);
  const parts: Part[] = [];
  if (plan.scans.degree) {
    parts.push({ kind: 'scan', layout: 'diploma', pageSize: landscape ? 'A4-landscape' : 'A4', vector: rng.chance(0.3) });
    if (rng.chance(0.6)) parts.push({ kind: 'scan', layout: 'certificate', pageSize: 'A4', vector: rng.chance(0.3) });
  } else {
    parts.push({ kind: 'text', blocks: pages.degree });
    if (rng.chance(0.85)) parts.push({ kind: 'text', blocks: pages.specialisation, style: { pageSize: 'A4' } });
  }
  if (pages.translation.length && (plan.scans.degree ? rng.chance(0.5) : rng.chance(0.2))) {
    parts.push({ kind: 'text', blocks: writeTranslationPage(rng, pages.lang, pages.heading, pages.translation), style: { pageSize: 'A4', frame: false } });
  }
  return { spec: { label: 'medical_degree', kind: `degree-${a.training.code.toLowerCase()}${plan.scans.degree ? '-scan' : ''}`, style, parts }, reveals: {} };
}

// ---------------------------------------------------------------------------
// Language certificates

const IELTS_BANDS: Record<CefrLevel, number[]> = { A1: [3], A2: [4], B1: [4.5, 5], B2: [6, 6.5], C1: [7, 7.5, 8], C2: [8.5, 9] };
const TOEFL_TOTAL: Record<CefrLevel, [number, number]> = { A1: [10, 20], A2: [20, 41], B1: [42, 71], B2: [72, 94], C1: [95, 113], C2: [114, 120] };
const TCF_SCORE: Record<CefrLevel, [number, number]> = { A1: [100, 199], A2: [200, 299], B1: [300, 399], B2: [400, 499], C1: [500, 599], C2: [600, 699] };
const CAMBRIDGE: Record<CefrLevel, [string, string, number]> = {
  A1: ['A2 Key', 'Key English Test', 115], A2: ['A2 Key', 'Key English Test', 130], B1: ['B1 Preliminary', 'Preliminary English Test', 150],
  B2: ['B2 First', 'First Certificate in English', 168], C1: ['C1 Advanced', 'Certificate in Advanced English', 188], C2: ['C2 Proficiency', 'Certificate of Proficiency in English', 212],
};

function formatBand(n: number): string {
  return n.toFixed(1);
}

function writeEnglishCertificate(rng: Rng, a: Applicant, cert: LanguageCertPlan): Block[] {
  const name = fullName(a.name, true);
  const dob = formatDate(a.dob, 'en', 'numeric');
  const taken = formatDate(cert.date, 'en', rng.pick(['long', 'numeric'] as const));
  switch (cert.kind) {
    case 'ielts': {
      const overall = rng.pick(IELTS_BANDS[cert.level]);
      const sub = () => formatBand(Math.min(9, Math.max(4, overall + rng.pick([-0.5, 0, 0, 0.5]))));
      return [
        title('IELTS'),
        { t: 'para', text: 'International English Language Testing System', align: 'center' },
        { t: 'para', text: `Test Report Form – ${rng.pick(['ACADEMIC', 'GENERAL TRAINING'])}`, align: 'center', font: 'bold' },
        { t: 'table', rows: [['Centre Number', `${rng.letters(2)}${rng.digits(3)}`, 'Date', taken], ['Family Name', a.name.lastLatin.toUpperCase(), 'First Name(s)', a.name.firstLatin.toUpperCase()], ['Date of Birth', dob, 'Sex (M/F)', a.sex], ['Country or Region of Origin', countryName(a.nationality.code), 'First Language', LANGUAGE_NAMES_EN[a.lang]]], widths: [3, 4, 3, 4], grid: true },
        { t: 'heading', text: 'Test Results' },
        { t: 'table', rows: [['Listening', 'Reading', 'Writing', 'Speaking', 'Overall Band Score', ...(cert.printsCefr ? ['CEFR Level'] : [])], [sub(), sub(), sub(), sub(), formatBand(overall), ...(cert.printsCefr ? [cert.level] : [])]], widths: cert.printsCefr ? [2, 2, 2, 2, 3, 2] : [2, 2, 2, 2, 3], header: true, grid: true },
        { t: 'para', text: `Test Report Form Number ${rng.digits(2)}${rng.letters(2)}${rng.digits(6)}${rng.letters(3)}${rng.digits(3)}A` },
        { t: 'signature', align: 'right' },
        { t: 'para', text: 'Administrator', align: 'right' },
      ];
    }
    case 'toefl': {
      const [lo, hi] = TOEFL_TOTAL[cert.level];
      const total = rng.int(lo + 1, hi - 1);
      const parts = [0, 0, 0, 0].map(() => Math.round(total / 4));
      parts[0] += total - parts.reduce((x, y) => x + y, 0);
      return [
        title('TOEFL iBT® Test Taker Score Report'),
        { t: 'field', label: 'Name:', value: `${a.name.lastLatin.toUpperCase()}, ${a.name.firstLatin}`, layout: 'tab', tab: 140 },
        { t: 'field', label: 'Date of Birth:', value: dob, layout: 'tab', tab: 140 },
        { t: 'field', label: 'Test Date:', value: taken, layout: 'tab', tab: 140 },
        { t: 'field', label: 'Registration Number:', value: `0000 ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)}`, layout: 'tab', tab: 140 },
        { t: 'table', rows: [['Reading', 'Listening', 'Speaking', 'Writing', 'Total Score'], [...parts.map(String), String(total)], ['CEFR ' + cert.level, 'CEFR ' + cert.level, 'CEFR ' + cert.level, 'CEFR ' + cert.level, `${cert.level}`]], widths: [2, 2, 2, 2, 2], header: true, grid: true },
        { t: 'para', text: 'Scores are valid for two years after the test date.', font: 'italic' },
      ];
    }
    case 'cambridge': {
      const [exam, old, score] = CAMBRIDGE[cert.level];
      return [
        { t: 'space', lines: 2 },
        title(exam),
        { t: 'para', text: `(${old})`, align: 'center' },
        { t: 'para', text: 'This is to certify that', align: 'center' },
        centred(name, 16),
        { t: 'para', text: `was awarded Grade ${rng.pick(['B', 'C'])} with a Cambridge English Scale score of ${score + rng.int(-2, 2)}`, align: 'center' },
        centred(`Council of Europe Level ${cert.level}`, 13),
        { t: 'para', text: `Date of examination: ${taken}   Certificate number: ${rng.letters(1)}${rng.digits(7)}`, align: 'center' },
        { t: 'signature', align: 'center' },
      ];
    }
    default: {
      const lang = rng.chance(0.5) ? a.lang : 'en';
      if (lang === 'de') {
        return [centred(`Sprachenzentrum der ${a.university.native.split(',')[0]}`), title('ZERTIFIKAT'), { t: 'para', text: `${a.sex === 'F' ? 'Frau' : 'Herr'} ${fullName(a.name, true)}, geboren am ${formatDate(a.dob, 'de', 'numeric')}, hat die Prüfung „Englisch für Mediziner" am ${formatDate(cert.date, 'de', 'numeric')} bestanden und damit die Niveaustufe ${cert.level} des Gemeinsamen Europäischen Referenzrahmens für Sprachen (GER) nachgewiesen.` }, { t: 'signature' }];
      }
      if (lang === 'it') {
        return [centred(`Centro Linguistico di Ateneo – ${a.university.native}`), title('ATTESTATO DI CONOSCENZA DELLA LINGUA INGLESE'), { t: 'para', text: `Si attesta che ${fullName(a.name, true)}, nat${a.sex === 'F' ? 'a' : 'o'} il ${formatDate(a.dob, 'it', 'numeric')}, ha superato in data ${formatDate(cert.date, 'it', 'long')} l'esame di lingua inglese di livello ${cert.level} del Quadro Comune Europeo di Riferimento per le lingue (QCER).` }, { t: 'signature' }];
      }
      if (lang === 'es') {
        return [centred('ESCUELA OFICIAL DE IDIOMAS'), title(`CERTIFICADO DE NIVEL ${cert.level === 'B2' ? 'INTERMEDIO B2' : `AVANZADO ${cert.level}`}`), { t: 'para', text: `${fullName(a.name, true)} ha superado las pruebas de certificación del idioma INGLÉS, nivel ${cert.level} del Marco Común Europeo de Referencia para las Lenguas, en la convocatoria de ${monthName('es', cert.date.m)} de ${cert.date.y}.` }, { t: 'signature' }];
      }
      return [centred(`${a.university.en} – Language Centre`), title('Certificate of English Language Proficiency'), { t: 'para', text: `This is to certify that ${name}, born on ${formatDate(a.dob, 'en', 'long')}, has attended the course "English for Medical Professionals" and passed the final examination on ${taken} at level ${cert.level} of the Common European Framework of Reference for Languages (CEFR).` }, { t: 'signature' }, { t: 'para', text: 'Director of the Language Centre' }];
    }
  }
}

function writeFrenchCertificate(rng: Rng, a: Applicant, cert: LanguageCertPlan): Block[] {
  const name = fullName(a.name, true);
  const she = a.sex === 'F';
  const dob = formatDate(a.dob, 'fr', rng.pick(['long', 'numeric'] as const));
  const session = `${monthName('fr', cert.date.m)} ${cert.date.y}`;
  const city = a.workCity.name;
  switch (cert.kind) {
    case 'delf':
    case 'dalf': {
      const dalf = cert.kind === 'dalf';
      return [
        centred('RÉPUBLIQUE FRANÇAISE'),
        { t: 'para', text: "Ministère de l'Éducation nationale, de la Jeunesse et des Sports", align: 'center' },
        { t: 'space' },
        title(dalf ? 'DIPLÔME APPROFONDI DE LANGUE FRANÇAISE' : "DIPLÔME D'ÉTUDES EN LANGUE FRANÇAISE"),
        centred(`${dalf ? 'DALF' : 'DELF'} ${cert.level}`, 20),
        { t: 'para', text: `Le présent diplôme est délivré à ${name}, né${she ? 'e' : ''} le ${dob}, qui a satisfait aux épreuves de la session de ${session}.`, align: 'center' },
        { t: 'para', text: `Niveau ${cert.level} du Cadre européen commun de référence pour les langues (CECRL) du Conseil de l'Europe.`, align: 'center' },
        { t: 'para', text: `Centre d'examen : ${rng.pick([`Alliance Française ${frenchOf(city)}`, `Institut français – ${city}`])}   N° ${rng.letters(3)}-${rng.digits(9)}`, align: 'center' },
        { t: 'signature', align: 'right' },
        { t: 'seal', x: 0.2 },
      ];
    }
    case 'tcf': {
      const [lo, hi] = TCF_SCORE[cert.level];
      const score = () => rng.int(lo + 5, hi - 5);
      const global = score();
      return [
        title('TCF – Test de connaissance du français'),
        { t: 'para', text: 'ATTESTATION DE RÉSULTATS', align: 'center', font: 'bold' },
        { t: 'field', label: 'Nom :', value: a.name.lastLatin.toUpperCase(), layout: 'tab', tab: 150 },
        { t: 'field', label: 'Prénom :', value: a.name.firstLatin, layout: 'tab', tab: 150 },
        { t: 'field', label: 'Date de naissance :', value: dob, layout: 'tab', tab: 150 },
        { t: 'field', label: 'Date de la session :', value: formatDate(cert.date, 'fr', 'numeric'), layout: 'tab', tab: 150 },
        { t: 'table', rows: [['Épreuve', 'Score', 'Niveau'], ['Compréhension orale', String(score()), cert.level], ['Maîtrise des structures de la langue', String(score()), cert.level], ['Compréhension écrite', String(score()), cert.level]], widths: [5, 2, 2], header: true, grid: true },
        { t: 'para', text: `Niveau global : ${cert.level} (${global}/699)`, font: 'bold' },
        { t: 'para', text: 'Attestation valable deux ans à compter de la date de session.', font: 'italic' },
      ];
    }
    default:
      return [
        centred(`Alliance Française ${frenchOf(city)}`),
        { t: 'space' },
        title(rng.pick(['ATTESTATION DE NIVEAU', 'CERTIFICAT DE NIVEAU'])),
        { t: 'para', text: `Nous certifions que ${she ? 'Madame' : 'Monsieur'} ${name}, né${she ? 'e' : ''} le ${dob}, a suivi ${rng.pick([80, 120, 160, 240])} heures de cours de français général et a validé le niveau ${cert.level} du Cadre européen commun de référence pour les langues (CECRL), session de ${session}.` },
        { t: 'para', text: `Fait à ${city}, le ${formatDate(addDays(cert.date, 7), 'fr', 'long')}` },
        { t: 'signature', align: 'right' },
        { t: 'para', text: 'La Directrice pédagogique', align: 'right' },
      ];
  }
}

export function buildLanguageCertificates(ctx: BuildContext): BuiltDocument | null {
  const { rng, plan } = ctx;
  if (plan.languageCerts.length === 0) return null;
  const a = plan.applicant;
  const levels: Partial<Record<string, CefrLevel>> = {};
  const parts: Part[] = plan.languageCerts.map((cert) => {
    levels[cert.lang] = cert.level;
    const blocks = cert.lang === 'en' ? writeEnglishCertificate(rng, a, cert) : writeFrenchCertificate(rng, a, cert);
    return { kind: 'text' as const, blocks, style: { ...pickOfficialStyle(rng), frame: cert.kind === 'cambridge' || cert.kind === 'delf' || cert.kind === 'dalf' ? rng.chance(0.7) : false } };
  });
  return {
    spec: { label: 'language_certificates', kind: `languages-${plan.languageCerts.map((c) => `${c.kind}-${c.level}`).join('+')}`, style: pickOfficialStyle(rng), parts },
    reveals: { languageLevels: levels },
  };
}

// ---------------------------------------------------------------------------
// ESR membership proof

export function buildEsrMembershipProof(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const year = plan.esrYear;
  const style = { ...pickOfficialStyle(rng), frame: false, titleAlign: rng.pick(['left', 'center'] as const) };
  if (plan.esrScan) {
    return { spec: { label: 'esr_membership', kind: 'esr-scan', style, parts: [{ kind: 'scan', layout: 'membership-card', vector: rng.chance(0.3) }] }, reveals: {} };
  }
  const name = fullName(a.name, true);
  // Printed on or before the e-mail date; a 2021 proof may date from the December renewal.
  const printed = year === 2021 ? addDays(receivedDay(plan), -rng.int(1, 120)) : addDays(receivedDay(plan), -rng.int(1, 30));
  const printedText = formatDate(printed, 'en', rng.pick(['long', 'numeric'] as const));
  const period = rng.pick([`01/01/${year} – 31/12/${year}`, `1 January ${year} to 31 December ${year}`, `valid until 31 December ${year}`]);
  const variant = rng.pick(['certificate', 'email', 'invoice', 'member-area'] as const);
  let blocks: Block[];
  switch (variant) {
    case 'certificate':
      blocks = [
        centred('EUROPEAN SOCIETY OF RADIOLOGY', 15),
        { t: 'para', text: 'Vienna, Austria', align: 'center' },
        { t: 'space', lines: 2 },
        title(rng.pick(['Membership Certificate', 'Confirmation of Membership', 'MEMBERSHIP CONFIRMATION'])),
        { t: 'para', text: `This is to certify that Dr ${name} (${countryName(a.residence.code)}) is a Full Member of the European Society of Radiology (ESR) for the year ${year}.`, align: 'center' },
        { t: 'para', text: `Member ID: ${a.esrNumber}`, align: 'center' },
        { t: 'para', text: `Vienna, ${printedText}` },
        { t: 'signature' },
        { t: 'para', text: 'ESR Membership Department' },
      ];
      break;
    case 'email':
      blocks = [
        { t: 'lines', lines: [`From: ESR Membership <membership@myesr.example.org>`, `To: ${a.email}`, `Sent: ${printedText}`, `Subject: Your ESR membership ${year} – confirmation`], size: 9.5, gap: 1 },
        { t: 'rule' },
        { t: 'para', text: `Dear Dr ${a.name.lastLatin},` },
        { t: 'para', text: `Thank you for renewing your membership of the European Society of Radiology. We confirm that your Full Membership is active for the period ${period}.` },
        { t: 'para', text: `Your member number is ${a.esrNumber}. You can access your benefits in the myESR member area.` },
        { t: 'para', text: 'Kind regards,' },
        { t: 'para', text: 'ESR Membership Department | European Society of Radiology' },
      ];
      break;
    case 'invoice':
      blocks = [
        { t: 'lines', lines: ['European Society of Radiology', 'Vienna, Austria'], font: 'bold' },
        title(rng.pick(['INVOICE / RECEIPT', 'Payment receipt', 'Receipt'])),
        { t: 'field', label: 'Invoice no.:', value: `ESR-${year}-${rng.digits(6)}`, layout: 'tab', tab: 120 },
        { t: 'field', label: 'Date:', value: printedText, layout: 'tab', tab: 120 },
        { t: 'field', label: 'Member:', value: `Dr ${name}, ${a.residenceCity.en}, ${countryName(a.residence.code)}`, layout: 'tab', tab: 120 },
        { t: 'field', label: 'Member ID:', value: a.esrNumber, layout: 'tab', tab: 120 },
        { t: 'table', rows: [['Description', 'Period', 'Amount'], [`ESR Full Membership fee ${year}`, period.replace('valid until', 'until'), `EUR ${rng.pick(['25.00', '40.00', '50.00'])}`]], widths: [5, 4, 2], header: true, grid: true },
        { t: 'para', text: `Paid by credit card on ${printedText}. Thank you for your payment.`, font: 'italic' },
      ];
      break;
    default:
      blocks = [
        { t: 'lines', lines: ['myESR – My membership'], font: 'bold', size: 14 },
        { t: 'rule' },
        { t: 'field', label: 'Member', value: `Dr ${name}`, layout: 'tab', tab: 150 },
        { t: 'field', label: 'Member ID', value: a.esrNumber, layout: 'tab', tab: 150 },
        { t: 'field', label: 'Membership type', value: 'Full Member', layout: 'tab', tab: 150 },
        { t: 'field', label: 'Status', value: year === 2021 ? 'Active' : `Expired`, layout: 'tab', tab: 150 },
        { t: 'field', label: 'Membership year', value: String(year), layout: 'tab', tab: 150 },
        { t: 'field', label: 'Membership period', value: period, layout: 'tab', tab: 150 },
        { t: 'para', text: `Printed on ${printedText}`, font: 'italic', size: 8 },
      ];
  }
  return { spec: { label: 'esr_membership', kind: `esr-${variant}-${year}`, style, parts: [{ kind: 'text', blocks }] }, reveals: { esrMembershipYear: year } };
}

// ---------------------------------------------------------------------------
// Passport

const PASSPORT_HEADERS: Record<string, string[]> = {
  IT: ['REPUBBLICA ITALIANA', 'PASSAPORTO / PASSPORT / PASSEPORT'],
  DE: ['BUNDESREPUBLIK DEUTSCHLAND', 'REISEPASS / PASSPORT / PASSEPORT'],
  AT: ['REPUBLIK ÖSTERREICH', 'REISEPASS / PASSPORT / PASSEPORT'],
  ES: ['REINO DE ESPAÑA', 'PASAPORTE / PASSPORT / PASSEPORT'],
  PT: ['REPÚBLICA PORTUGUESA', 'PASSAPORTE / PASSPORT / PASSEPORT'],
  NL: ['KONINKRIJK DER NEDERLANDEN', 'PASPOORT / PASSPORT / PASSEPORT'],
  BE: ['ROYAUME DE BELGIQUE · KONINKRIJK BELGIË', 'PASSEPORT / PASPOORT / REISEPASS / PASSPORT'],
  CH: ['SCHWEIZERISCHE EIDGENOSSENSCHAFT · CONFÉDÉRATION SUISSE', 'PASS / PASSEPORT / PASSAPORTO / PASSPORT'],
  PL: ['RZECZPOSPOLITA POLSKA', 'PASZPORT / PASSPORT / PASSEPORT'],
  GR: ['ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ · HELLENIC REPUBLIC', 'ΔΙΑΒΑΤΗΡΙΟ / PASSPORT / PASSEPORT'],
  RO: ['ROMÂNIA', 'PAȘAPORT / PASSPORT / PASSEPORT'],
  GB: ['UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND', 'PASSPORT / PASSEPORT'],
  IE: ['ÉIRE · IRELAND', 'PAS / PASSPORT / PASSEPORT'],
  FR: ['RÉPUBLIQUE FRANÇAISE', 'PASSEPORT / PASSPORT'],
};

const PASSPORT_LABELS: Partial<Record<DocLang, string[]>> = {
  it: ['Cognome', 'Nome', 'Cittadinanza', 'Data di nascita', 'Sesso', 'Luogo di nascita', 'Data di rilascio', 'Autorità', 'Data di scadenza', 'N. passaporto'],
  de: ['Name', 'Vornamen', 'Staatsangehörigkeit', 'Geburtstag', 'Geschlecht', 'Geburtsort', 'Ausstellungsdatum', 'Behörde', 'Gültig bis', 'Pass-Nr.'],
  es: ['Apellidos', 'Nombre', 'Nacionalidad', 'Fecha de nacimiento', 'Sexo', 'Lugar de nacimiento', 'Fecha de expedición', 'Autoridad', 'Fecha de caducidad', 'N.º de pasaporte'],
  pt: ['Apelido', 'Nome próprio', 'Nacionalidade', 'Data de nascimento', 'Sexo', 'Local de nascimento', 'Data de emissão', 'Autoridade', 'Data de validade', 'N.º do passaporte'],
  nl: ['Naam', 'Voornamen', 'Nationaliteit', 'Geboortedatum', 'Geslacht', 'Geboorteplaats', 'Datum van afgifte', 'Instantie', 'Geldig tot', 'Paspoortnr.'],
  fr: ['Nom', 'Prénoms', 'Nationalité', 'Date de naissance', 'Sexe', 'Lieu de naissance', 'Date de délivrance', 'Autorité', "Date d'expiration", 'N° du passeport'],
  pl: ['Nazwisko', 'Imiona', 'Obywatelstwo', 'Data urodzenia', 'Płeć', 'Miejsce urodzenia', 'Data wydania', 'Organ wydający', 'Data ważności', 'Nr paszportu'],
  el: ['Επώνυμο', 'Όνομα', 'Ιθαγένεια', 'Ημερ. γέννησης', 'Φύλο', 'Τόπος γέννησης', 'Ημερ. έκδοσης', 'Αρχή', 'Ημερ. λήξης', 'Αρ. διαβατηρίου'],
  ro: ['Nume', 'Prenume', 'Cetățenie', 'Data nașterii', 'Sex', 'Locul nașterii', 'Data eliberării', 'Autoritate', 'Data expirării', 'Nr. pașaport'],
};
const PASSPORT_LABELS_EN = ['Surname', 'Given names', 'Nationality', 'Date of birth', 'Sex', 'Place of birth', 'Date of issue', 'Authority', 'Date of expiry', 'Passport No.'];

function formatPassportDate(date: Ymd, lang: DocLang, code: string): string {
  if (code === 'DE' || code === 'AT') return `${pad2(date.d)}.${pad2(date.m)}.${date.y}`;
  const en = PASSPORT_MONTHS.en[date.m - 1];
  const native = PASSPORT_MONTHS[lang][date.m - 1];
  return native === en ? `${pad2(date.d)} ${en} ${date.y}` : `${pad2(date.d)} ${native}/${en} ${String(date.y).slice(2)}`;
}

function issuingAuthority(rng: Rng, code: string, city: string): string {
  const upper = city.toUpperCase();
  const byCountry: Record<string, string> = {
    IT: `QUESTURA DI ${upper}`, DE: `STADT ${upper}`, AT: `BH ${upper}`, FR: 'PRÉFECTURE', ES: `DGP ${upper}`, PT: 'SEF', NL: `BURG. VAN ${upper}`,
    BE: upper, PL: 'WOJEWODA', GR: 'Α.Ε.Α./Δ.Δ.', RO: `S.P.C.E.P.S. ${upper}`, GB: 'HMPO', IE: 'DFA DUBLIN', CH: 'CH',
  };
  return byCountry[code] ?? rng.pick(['MINISTRY OF INTERIOR', 'PASSPORT OFFICE']);
}

export function buildPassportCopy(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const nat = a.nationality;
  const style: DocStyle = { ...pickOfficialStyle(rng), frame: false, fontSize: 9.5, lineSpacing: 1.25, margin: 60 };
  if (plan.scans.passport) {
    return { spec: { label: 'passport', kind: 'passport-scan', style, parts: [{ kind: 'scan', layout: 'passport', pageSize: 'A4', vector: rng.chance(0.15) }] }, reveals: {} };
  }
  const lang = nat.langs[0];
  const native = PASSPORT_LABELS[lang];
  const labels = PASSPORT_LABELS_EN.map((en, i) => (native ? `${native[i]} / ${en}` : en));
  const { number, issued, expiry } = plan.passport;
  const [mrz1, mrz2] = buildTd3Mrz({ issuingState: nat.mrz, nationality: nat.mrz, surnameLatin: a.name.lastLatin, givenNamesLatin: a.name.firstLatin, documentNumber: number, dob: a.dob, sex: a.sex, expiry });
  const surname = a.name.last === a.name.lastLatin ? a.name.last.toUpperCase() : `${a.name.last.toUpperCase()} / ${a.name.lastLatin.toUpperCase()}`;
  const given = a.name.first === a.name.firstLatin ? a.name.first.toUpperCase() : `${a.name.first.toUpperCase()} / ${a.name.firstLatin.toUpperCase()}`;
  const photo = new GrayRaster(60, 78, 235);
  paintPortrait(photo, rng, 0, 0, 60, 78);
  const values = [
    surname,
    given,
    nat.nationality.toUpperCase(),
    formatPassportDate(a.dob, lang, nat.code),
    a.sex,
    (lang === 'en' ? a.birthCity.en : a.birthCity.name).toUpperCase(),
    formatPassportDate(issued, lang, nat.code),
    issuingAuthority(rng, nat.code, a.birthCity.name),
    formatPassportDate(expiry, lang, nat.code),
    number,
  ];
  const blocks: Block[] = [];
  if (rng.chance(0.3)) blocks.push({ t: 'para', text: rng.pick(['Copy of passport', 'Passport – data page', 'COPY']), font: 'italic' });
  blocks.push(...PASSPORT_HEADERS[nat.code].map((text, i): Block => ({ t: 'para', text, align: 'center', font: i === 0 ? 'bold' : 'regular', gap: 0.2 })));
  blocks.push({ t: 'table', rows: [['Type / Typ', 'P', 'Code', nat.mrz], [labels[9], number, '', '']], widths: [3, 3, 2, 2] });
  blocks.push({ t: 'image', raster: photo, width: 96, height: 125 });
  blocks.push({ t: 'table', rows: labels.slice(0, 9).map((l, i) => [l, values[i]]), widths: [4, 5] });
  blocks.push({ t: 'space' });
  blocks.push({ t: 'mono', lines: [mrz1, mrz2], size: 10.5 });
  return { spec: { label: 'passport', kind: `passport-${nat.code.toLowerCase()}`, style, parts: [{ kind: 'text', blocks }] }, reveals: { passportExpiry: formatIsoDate(expiry) } };
}
