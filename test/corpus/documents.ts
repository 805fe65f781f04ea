/**
 * Builders for the documents an applicant writes (motivation letter, CV,
 * publication list, list of references) or collects from colleagues
 * (recommendation letters), plus the extra pages applicants add (cover page,
 * table of contents, photo, blank separator).
 *
 * Wording varies on purpose: the corpus measures whether the classifier
 * generalises, so no document type has a fixed phrase to latch on to.
 */
import type { Facts, SectionId } from '../../core/types';
import { SECTION_IDS } from '../../core/types';
import { addDays, formatDate, formatIsoDate, monthName, pickDateStyle, type DocLang, type Ymd } from './dates';
import type { Block, DocStyle, PdfDocumentSpec } from './pdf-writer';
import { createColleague, fullName, type Applicant, type Colleague, COUNTRIES } from './people';
import type { ApplicationPlan } from './plan';
import type { Rng } from './random';

export interface BuiltDocument {
  spec: PdfDocumentSpec;
  /** Facts a careful reader can read in this document (text pages only). */
  reveals: Facts;
}

export interface BuildContext {
  rng: Rng;
  plan: ApplicationPlan;
  /** The style of everything the applicant typed themselves. */
  house: DocStyle;
}

export const LANGUAGE_NAMES_EN: Record<DocLang, string> = {
  en: 'English', fr: 'French', de: 'German', it: 'Italian', es: 'Spanish', pt: 'Portuguese', nl: 'Dutch', pl: 'Polish', el: 'Greek', ro: 'Romanian',
};

export function pickHouseStyle(rng: Rng, runningText: string): DocStyle {
  return {
    pageSize: rng.pickWeighted([['A4', 8], ['Letter', 2]]),
    family: rng.pickWeighted([['helvetica', 4], ['times', 4], ['dejavu', 2]]),
    fontSize: rng.pick([10, 10.5, 11, 11, 11.5, 12]),
    margin: rng.pick([54, 62, 72]),
    titleAlign: rng.pick(['left', 'center'] as const),
    lineSpacing: rng.pick([1.2, 1.3, 1.4]),
    footer: rng.pickWeighted([['none', 5], ['page-of', 2], ['page', 2], ['name', 1], ['name-page', 1], ['slash', 1]]),
    runningText,
    // Neutral wording: a running header must not name the programme for the programme_unknown cases.
    header: rng.chance(0.12) ? rng.pick([`${runningText} – ESOR fellowship application`, 'Application ESOR 2022/2023', `${runningText}`]) : undefined,
  };
}

/** "Hospital X, City" unless the institution's name already says where it is. */
export function withCity(institution: string, city: string): string {
  return institution.includes(city) ? institution : `${institution}, ${city}`;
}

/** The calendar day (UTC) the e-mail was sent; letters are dated shortly before. */
export function receivedDay(plan: ApplicationPlan): Ymd {
  return { y: plan.receivedAt.getUTCFullYear(), m: plan.receivedAt.getUTCMonth() + 1, d: plan.receivedAt.getUTCDate() };
}

export function countryName(code: string, native = false): string {
  const c = COUNTRIES[code];
  const en = c.en.replace(/^the /, '');
  return native ? c.native : en.charAt(0).toUpperCase() + en.slice(1);
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// ---------------------------------------------------------------------------
// Programme names, as applicants write them

export function nameProgramme(rng: Rng): string {
  return rng.pick([
    'the Clinical/Research Fellowship in Hybrid Imaging in Oncology at Gustave Roussy',
    'the ESOR fellowship in Hybrid Imaging in Oncology (Gustave Roussy Cancer Campus, Villejuif)',
    'the ESOR Exchange Programme for Fellowships – Hybrid Imaging in Oncology, Villejuif',
    'the Gustave Roussy fellowship in hybrid imaging',
    'the one-year ESOR fellowship in hybrid imaging in Villejuif',
    'the fellowship "Hybrid Imaging in Oncology" offered by ESOR at Gustave Roussy Cancer Campus Grand Paris',
    'the 2022/2023 clinical/research fellowship in hybrid oncologic imaging at Gustave Roussy',
  ]);
}

export const OTHER_PROGRAMMES = [
  'the Musculoskeletal Imaging fellowship in Leuven',
  'the ESOR fellowship in Cardiac Imaging in Amsterdam',
  'the Neuroradiology fellowship in Barcelona',
  'the Breast Imaging fellowship in Vienna',
];

// ---------------------------------------------------------------------------
// Motivation letter

function pickMotivationParagraphsEn(rng: Rng, plan: ApplicationPlan): string[] {
  const a = plan.applicant;
  const city = a.workCity.en;
  const country = countryName(a.work.code);
  const board = `${monthName('en', plan.boardDate.m)} ${plan.boardDate.y}`;
  const named = plan.programme === 'named';
  const programme = named ? nameProgramme(rng) : '';
  const years = Math.max(1, 2021 - plan.boardDate.y);
  const opening = named
    ? rng.pick([
        `I am writing to apply for ${programme}. I am a board-certified radiologist currently working as ${lower(a.position)} at ${a.institution.en} in ${city}, ${country}.`,
        `With this letter I would like to express my strong interest in ${programme}, announced by the European School of Radiology for 2022/2023.`,
        `Please accept my application for ${programme}. Since my board certification in ${board} I have focused my clinical work on oncologic imaging, and this fellowship is the natural next step for me.`,
        `It is with great enthusiasm that I submit my candidacy for ${programme}.`,
      ])
    : plan.programme === 'two'
      ? rng.pick([
          `I am writing to apply for ${nameProgramme(rng)} and, as a second choice, for ${rng.pick(OTHER_PROGRAMMES)}.`,
          `Please consider my application for an ESOR fellowship; both ${nameProgramme(rng)} and ${rng.pick(OTHER_PROGRAMMES)} would fit my plans.`,
        ])
      : rng.pick([
          'I am writing to apply for an ESOR fellowship for the 2022/2023 training period.',
          'Please consider my application for the ESOR Exchange Programme for Fellowships.',
          'I would like to apply for one of the fellowships offered by the European School of Radiology.',
        ]);
  const background = rng.pick([
    `I graduated in medicine from the ${a.university.en} in ${plan.graduation.y} and completed my residency in diagnostic radiology in ${a.trainingCity.en}, obtaining my board certification in ${board}.`,
    `After medical school (${a.university.en}, ${plan.graduation.y}) I trained in radiology in ${a.trainingCity.en}. I became a certified specialist in ${board} and have since worked at ${a.institution.en}.`,
    `My radiology training took place in ${a.trainingCity.en}, and I now work as ${lower(a.position)} at ${a.institution.en}. During the residency I rotated through all subspecialties, with a growing interest in oncology.`,
  ]);
  const experience = named || plan.programme === 'two'
    ? rng.sample(
        [
          `Over the last ${years} year${years > 1 ? 's' : ''} I have reported more than ${rng.pick([300, 450, 600, 800, 1200])} PET-CT examinations together with our nuclear medicine colleagues, mainly for staging and response assessment of lymphoma, lung and colorectal cancer.`,
          'In our department radiologists and nuclear medicine physicians read hybrid studies side by side. This daily collaboration, PET-CT in the morning and whole-body MRI and oncologic CT in the afternoon, convinced me that the future of cancer imaging lies in combining morphological and functional information.',
          `I take part in ${rng.int(3, 7)} multidisciplinary tumour boards every week (thoracic, hepatobiliary and gynaecological oncology), where I present CT, MRI and PET-CT findings and discuss treatment response according to RECIST 1.1 and PERCIST.`,
          'My experience with 68Ga-DOTATATE and PSMA PET/CT is still limited, since these tracers became available in our hospital only recently, and I would like to build solid expertise in them.',
          'I have also worked with SPECT-CT for bone and thyroid imaging and with diffusion-weighted MRI in head and neck cancer, which made me realise how much each modality gains when read together with the others.',
        ],
        rng.int(1, 3),
      )
    : rng.sample(
        [
          'During my residency I developed a particular interest in cross-sectional imaging of cancer patients, and I currently report body CT and MRI examinations for staging and follow-up.',
          'I take part in weekly multidisciplinary meetings, which showed me how much the quality of an imaging report influences treatment decisions.',
          'I have a solid background in emergency and general radiology and would now like to broaden my experience in a subspecialty.',
        ],
        rng.int(1, 2),
      );
  const topics = ['radiomics of lung adenocarcinoma', 'response assessment of liver metastases', 'whole-body MRI in multiple myeloma', 'dual-energy CT in pancreatic cancer', 'deep learning for nodule detection'];
  // Letters that name no programme must not hint at hybrid imaging either.
  const topic = rng.pick(named || plan.programme === 'two' ? [...topics, 'texture analysis of lymphoma on PET-CT'] : topics);
  const research = rng.pick([
    `My research has focused on ${topic}; I have co-authored ${plan.publicationCount + rng.int(0, 6)} peer-reviewed articles and presented my work at ECR ${rng.pick([2019, 2020, 2021])}.`,
    `Alongside clinical work I am involved in a project on ${topic}, for which I learned image segmentation, feature extraction and statistical analysis in R and Python.`,
    `I am used to handling clinical databases (REDCap, Excel, SPSS) and I enjoy scientific writing; my thesis dealt with ${topic}.`,
  ]);
  const why = named
    ? rng.pick([
        'Gustave Roussy is one of the leading cancer centres in the world, and the close cooperation between its radiology and nuclear medicine departments is exactly the environment in which I want to train. The new nuclear medicine department with digital PET-CT systems, and the expertise in neuroendocrine and thyroid tumours, are particularly attractive to me.',
        'The programme in Villejuif combines hands-on reading of hybrid studies with research in artificial intelligence and imaging biomarkers, which matches my interests perfectly.',
        'I am especially attracted by the opportunity to follow cancer patients from screening to post-treatment imaging in a centre where all types of cancer are treated, and to learn treatment evaluation criteria in radiology and nuclear medicine from experienced mentors.',
      ])
    : 'Training abroad in a high-volume European centre would allow me to broaden my experience and to bring new knowledge back to my home institution.';
  const en = plan.languageCerts.find((c) => c.lang === 'en');
  const fr = plan.languageCerts.find((c) => c.lang === 'fr');
  const native = LANGUAGE_NAMES_EN[a.lang];
  const languages = rng.pick([
    `I speak ${native} as my mother tongue${en ? `, English at ${en.level} level` : ' and fluent English'}${fr ? ` and French at ${fr.level} level` : ', and I am improving my French'}; copies of my language certificates are enclosed.`,
    fr
      ? 'My French allows me to follow multidisciplinary meetings and to talk with patients, and I will keep attending French courses until the start of the fellowship.'
      : 'I have a working knowledge of French and I am taking evening classes to improve it before the start of the fellowship.',
  ]);
  const future = named
    ? rng.pick([
        `After the fellowship I plan to return to ${a.institution.en} to help set up a dedicated hybrid imaging service and to teach our residents what I have learned.`,
        'In the long term I wish to subspecialise in hybrid imaging and to pursue an academic career in oncologic imaging.',
      ])
    : 'After the fellowship I plan to return to my department and share what I have learned with my colleagues.';
  const closing = rng.pick([
    'Thank you for considering my application. I would be glad to provide any further information and I am available for an interview via Zoom or Skype at your convenience.',
    'I am fully available from 1 October 2022 to 30 September 2023 and would be delighted to discuss my application in an interview.',
    'Thank you very much for your time and consideration. I look forward to hearing from you.',
  ]);
  const body = [opening, background, ...experience, research, why];
  if (rng.chance(0.7)) body.push(languages);
  body.push(future, closing);
  return body;
}

function pickMotivationParagraphsFr(rng: Rng, plan: ApplicationPlan): string[] {
  const a = plan.applicant;
  const named = plan.programme === 'named';
  const programme = rng.pick([
    'la bourse ESOR « Clinical/Research Fellowship in Hybrid Imaging in Oncology » à Gustave Roussy',
    "le fellowship d'imagerie hybride en oncologie de Gustave Roussy (Villejuif)",
    'le programme de fellowship ESOR en imagerie hybride oncologique à Villejuif',
  ]);
  return [
    named
      ? `Je me permets de vous adresser ma candidature pour ${programme}, pour l'année 2022/2023.`
      : plan.programme === 'two'
        ? `Je souhaite poser ma candidature pour ${programme}, ainsi que pour ${rng.pick(OTHER_PROGRAMMES).replace('the ', 'le ')}.`
        : "Je me permets de vous adresser ma candidature pour une bourse de l'European School of Radiology (ESOR).",
    `Diplômé${a.sex === 'F' ? 'e' : ''} de la faculté de médecine (${a.university.native}) en ${plan.graduation.y}, j'ai effectué mon internat de radiologie à ${a.trainingCity.name} et j'ai obtenu ma qualification de spécialiste en ${monthName('fr', plan.boardDate.m)} ${plan.boardDate.y}. Je travaille actuellement à ${a.institution.native}.`,
    named || plan.programme === 'two'
      ? `Depuis ${Math.max(2, 2021 - plan.boardDate.y)} ans, j'interprète des examens TEP-TDM en collaboration avec le service de médecine nucléaire et je participe chaque semaine aux réunions de concertation pluridisciplinaire en oncologie thoracique et digestive.`
      : "Je m'intéresse particulièrement à l'imagerie en coupes des patients atteints de cancer et je participe chaque semaine aux réunions de concertation pluridisciplinaire.",
    `Mes travaux de recherche portent sur ${rng.pick(["l'évaluation de la réponse tumorale", 'la radiomique du cancer du poumon', "l'IRM de diffusion corps entier"])} ; j'ai publié ${plan.publicationCount + rng.int(0, 5)} articles dans des revues internationales à comité de lecture.`,
    named
      ? "Gustave Roussy, l'un des premiers centres de lutte contre le cancer au monde, offre un environnement unique : la collaboration étroite entre radiologie et médecine nucléaire, les nouvelles caméras TEP-TDM numériques et l'expertise dans les tumeurs neuroendocrines et thyroïdiennes correspondent exactement à mon projet professionnel."
      : "Une formation dans un grand centre européen me permettrait d'élargir mon expérience avant de revenir dans mon service.",
    "Je reste à votre disposition pour un entretien par Zoom ou Skype et vous remercie par avance de l'attention que vous porterez à ma candidature.",
  ];
}

export function buildMotivationLetter(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const lang = plan.letterLang;
  const blocks: Block[] = [];
  const letterDate = addDays(receivedDay(plan), -rng.int(0, 6));
  if (rng.chance(0.7)) {
    const lines = [fullName(a.name, true), a.street, `${a.residenceCity.zip} ${a.residenceCity.name}, ${countryName(a.residence.code)}`, a.email];
    if (rng.chance(0.5)) lines.push(a.phone);
    blocks.push({ t: 'lines', lines, align: rng.chance(0.7) ? 'left' : 'right', gap: 1 });
  }
  const datePlace = `${lang === 'fr' ? a.workCity.name : a.workCity.en}, ${formatDate(letterDate, lang, pickDateStyle(rng, lang))}`;
  if (rng.chance(0.5)) blocks.push({ t: 'para', text: datePlace, align: 'right' });
  if (rng.chance(0.5)) {
    blocks.push({ t: 'lines', lines: lang === 'fr' ? ['ESOR Office', 'European Society of Radiology', 'Vienne, Autriche'] : rng.pick([['ESOR Office', 'European Society of Radiology', 'Vienna, Austria'], ['To the Evaluation Committee', 'ESOR Exchange Programme for Fellowships']]), gap: 1 });
  }
  const title = lang === 'fr'
    ? rng.pick([null, 'Lettre de motivation', 'Objet : candidature au programme de fellowship ESOR'])
    : rng.pick([null, null, 'Letter of Motivation', 'Motivation letter', 'Cover letter', 'Statement of purpose', 'LETTER OF MOTIVATION', 'Re: Application for an ESOR fellowship']);
  if (title) blocks.push(rng.chance(0.6) ? { t: 'title', text: title, size: ctx.house.fontSize * rng.float(1.2, 1.6) } : { t: 'para', text: title, font: 'bold' });
  const salutation = lang === 'fr'
    ? rng.pick(['Madame, Monsieur,', "Mesdames et Messieurs les membres du comité d'évaluation,", 'Chers collègues,'])
    : rng.pick(['Dear Members of the Evaluation Committee,', 'Dear Professor,', 'Dear Sir or Madam,', 'Dear ESOR Office,', 'Dear Colleagues,', 'To the Evaluation Committee,', 'Dear Professors,']);
  blocks.push({ t: 'para', text: salutation });
  const paragraphs = lang === 'fr' ? pickMotivationParagraphsFr(rng, plan) : pickMotivationParagraphsEn(rng, plan);
  const gap = rng.pick([0.6, 0.9, 1.1]);
  for (const text of paragraphs) blocks.push({ t: 'para', text, gap });
  if (!blocks.some((b) => b.t === 'para' && b.text === datePlace) && rng.chance(0.6)) blocks.push({ t: 'para', text: datePlace });
  blocks.push({
    t: 'para',
    text: lang === 'fr' ? rng.pick(["Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.", 'Bien cordialement,']) : rng.pick(['Yours sincerely,', 'Kind regards,', 'Sincerely,', 'With best regards,', 'Yours faithfully,', 'Respectfully,']),
  });
  blocks.push({ t: 'signature' });
  blocks.push({ t: 'lines', lines: [`Dr. ${fullName(a.name, true)}`, ...(rng.chance(0.6) ? [a.position] : []), ...(rng.chance(0.4) ? [a.institution.en] : [])] });
  return { spec: { label: 'motivation', kind: `motivation-${lang}`, style: ctx.house, parts: [{ kind: 'text', blocks }] }, reveals: {} };
}

// ---------------------------------------------------------------------------
// Curricula vitae

interface CvEntry {
  period: string;
  what: string;
}

function describeEducation(rng: Rng, plan: ApplicationPlan): CvEntry[] {
  const a = plan.applicant;
  const startMed = plan.graduation.y - 6;
  const entries: CvEntry[] = [
    { period: `${startMed}–${plan.graduation.y}`, what: `Medical degree (MD), ${a.university.en}` },
    { period: `${plan.residencyStart.y}–${plan.boardDate.y}`, what: `Residency in Diagnostic Radiology, ${a.trainingCity.en}` },
  ];
  if (rng.chance(0.5)) entries.splice(0, 0, { period: String(startMed - 1), what: rng.pick(['High school diploma (scientific)', 'Secondary school leaving certificate']) });
  if (rng.chance(0.4)) entries.push({ period: String(plan.boardDate.y + rng.int(0, 1)), what: rng.pick(['European Diploma in Radiology (EDiR)', 'PhD programme in Clinical Research (ongoing)', 'Master in Imaging Biomarkers (ongoing)']) });
  return entries;
}

function describeExperience(rng: Rng, plan: ApplicationPlan): CvEntry[] {
  const a = plan.applicant;
  const since = addDays(plan.boardDate, rng.int(10, 120));
  const entries: CvEntry[] = [
    { period: `${monthName('en', since.m).slice(0, 3)} ${since.y} – present`, what: `${a.position}, ${withCity(a.institution.en, a.workCity.en)}` },
    { period: `${plan.residencyStart.y} – ${plan.boardDate.y}`, what: `Resident in radiology, ${a.trainingCity.en}` },
  ];
  if (rng.chance(0.5)) entries.push({ period: `${plan.residencyStart.y + 2}`, what: rng.pick(['Observership in nuclear medicine (3 months)', 'Research stay, oncologic imaging unit (6 months)', 'Rotation in PET-CT reading room (4 months)']) });
  return entries;
}

function describeLanguages(plan: ApplicationPlan, style: 'cefr' | 'words'): string {
  const words: Record<string, string> = { A1: 'beginner', A2: 'elementary', B1: 'intermediate', B2: 'upper intermediate', C1: 'advanced', C2: 'proficient' };
  const parts = [`${LANGUAGE_NAMES_EN[plan.applicant.lang]} (native)`];
  for (const lang of ['en', 'fr'] as const) {
    if (lang === plan.applicant.lang) continue;
    const cert = plan.languageCerts.find((c) => c.lang === lang);
    const name = lang === 'en' ? 'English' : 'French';
    if (cert) parts.push(style === 'cefr' ? `${name} (${cert.level})` : `${name} (${words[cert.level]})`);
    else if (lang === 'fr' && plan.selfDeclaredFrench) parts.push(`French (${plan.selfDeclaredFrench})`);
    else parts.push(`${name} (${lang === 'en' ? 'fluent' : 'basic'})`);
  }
  return parts.join(', ');
}

export function buildEsorCv(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const layout = rng.pickWeighted<'inline' | 'tab' | 'stacked' | 'table'>([['inline', 3], ['tab', 3], ['stacked', 2], ['table', 2]]);
  const colon = layout === 'table' ? rng.chance(0.2) : rng.chance(0.75);
  const label = (s: string) => (colon ? `${s}:` : s);
  const dateStyle = rng.pick(['numeric', 'long', 'iso'] as const);
  const native = rng.chance(0.12);
  const fields: Array<[string, string]> = [
    ['Surname', a.name.lastLatin === a.name.last ? a.name.last : `${a.name.lastLatin} (${a.name.last})`],
    ['First name', a.name.firstLatin],
    ['Date of birth', formatDate(a.dob, 'en', dateStyle)],
    ['Nationality', a.nationality.nationality],
    ['Country of residence', countryName(a.residence.code, native)],
    ['Current position', a.position],
    ['Institution', a.institution.en],
    ['City', a.workCity.en],
    ['Country', countryName(a.work.code, native)],
    ['Date of board certification', formatDate(plan.boardDate, 'en', dateStyle)],
    ['ESR membership number', a.esrNumber],
    ['Languages', describeLanguages(plan, rng.chance(0.8) ? 'cefr' : 'words')],
  ];
  const education = describeEducation(rng, plan).map((e) => `${e.period}  ${e.what}`);
  const experience = describeExperience(rng, plan).map((e) => `${e.period}  ${e.what}`);
  const blocks: Block[] = [{ t: 'title', text: rng.pick(['ESOR Curriculum Vitae', 'ESOR Curriculum Vitae', 'ESOR CURRICULUM VITAE']), align: rng.pick(['center', 'left'] as const) }];
  const subtitle = rng.pick([null, 'European School of Radiology – Exchange Programme for Fellowships', 'ESOR Fellowship Programme 2022/2023', 'Please fill in all fields']);
  if (subtitle) blocks.push({ t: 'para', text: subtitle, font: 'italic', align: 'center', gap: 1 });
  if (rng.chance(0.3)) blocks.push({ t: 'heading', text: rng.pick(['Personal details', 'PERSONAL DATA', '1. Personal information']), rule: rng.chance(0.5) });
  if (layout === 'table') {
    blocks.push({ t: 'table', rows: fields.map(([l, v]) => [label(l), v]), widths: [2, 5], grid: true });
    blocks.push({ t: 'table', rows: [[label('Education'), education.join('; ')], [label('Professional experience'), experience.join('; ')]], widths: [2, 5], grid: true });
  } else {
    const tab = rng.pick([140, 160, 175]);
    for (const [l, v] of fields) blocks.push({ t: 'field', label: label(l), value: v, layout, tab });
    for (const [l, items] of [['Education', education], ['Professional experience', experience]] as const) {
      if (rng.chance(0.25)) blocks.push({ t: 'space' });
      blocks.push({ t: 'heading', text: label(l), size: ctx.house.fontSize });
      blocks.push({ t: 'list', items, marker: rng.pick(['none', 'bullet', 'dash'] as const), itemGap: 0.2 });
    }
  }
  // The template continues with free sections; long ones push the CV to 2-3 pages.
  const extra: Array<[string, string[]]> = [
    ['Experience in hybrid imaging', [`Approximately ${rng.pick([300, 500, 800, 1000])} PET-CT studies reported or co-reported`, 'SPECT-CT (bone, parathyroid, sentinel node)', 'Weekly joint reading sessions with nuclear medicine']],
    ['Research activities', [`Ongoing project: ${rng.pick(['radiomics in NSCLC', 'early response assessment in lymphoma', 'AI-based lesion detection on whole-body CT'])}`, `Oral presentations at ECR ${rng.int(2018, 2021)} and national congresses`, 'Reviewer for two international journals']],
    ['Courses and congresses', ['ESOR Foundation Course', `ECR ${rng.int(2016, 2021)}, Vienna`, 'EANM Annual Congress', 'ESR/EANM course on hybrid imaging']],
    ['Teaching', ['Tutor for medical students (semiology, imaging anatomy)', 'Lectures for radiographers']],
    ['Computer skills', ['PACS/RIS, Syngo.via, 3D Slicer, R, basic Python']],
  ];
  const extras = rng.sample(extra, rng.int(1, 5));
  if (extras.length >= 3 && rng.chance(0.6)) blocks.push({ t: 'break' });
  for (const [heading, items] of extras) {
    blocks.push({ t: 'heading', text: label(heading), size: ctx.house.fontSize });
    blocks.push({ t: 'list', items, marker: 'bullet', itemGap: 0.2 });
  }
  if (rng.chance(0.5)) {
    blocks.push({ t: 'space' });
    blocks.push({ t: 'para', text: `${a.workCity.en}, ${formatDate(addDays(receivedDay(plan), -rng.int(1, 20)), 'en', dateStyle)}` });
    blocks.push({ t: 'signature' });
  }
  return {
    spec: { label: 'cv', kind: `esor-cv-${layout}`, style: { ...ctx.house, footer: rng.pick(['none', 'page-of', ctx.house.footer]) }, parts: [{ kind: 'text', blocks }] },
    reveals: { countryOfResidence: a.residence.code, countryOfWork: a.work.code, boardCertificationDate: formatIsoDate(plan.boardDate) },
  };
}

/** Any CV but the ESOR template: Europass, a free-form academic CV or a German Lebenslauf. */
export function buildOtherCv(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const kind = plan.cv === 'esor' ? 'academic' : plan.cv;
  const blocks: Block[] = [];
  const address = `${a.street}, ${a.residenceCity.zip} ${a.residenceCity.en}, ${countryName(a.residence.code)}`;
  const board = formatDate(plan.boardDate, 'en', rng.pick(['long', 'numeric'] as const));
  if (kind === 'europass') {
    blocks.push({ t: 'title', text: rng.pick(['Europass Curriculum Vitae', 'CURRICULUM VITAE', 'Curriculum Vitae']), align: 'left' });
    blocks.push({ t: 'heading', text: 'PERSONAL INFORMATION', rule: true });
    blocks.push({ t: 'para', text: fullName(a.name, true), font: 'bold' });
    blocks.push({ t: 'lines', lines: [address, `${a.phone}   ${a.email}`, `Sex ${a.sex === 'F' ? 'Female' : 'Male'} | Date of birth ${formatDate(a.dob, 'en', 'numeric')} | Nationality ${a.nationality.nationality}`] });
    blocks.push({ t: 'heading', text: 'WORK EXPERIENCE', rule: true });
    for (const e of describeExperience(rng, plan)) blocks.push({ t: 'field', label: e.period, value: `${e.what} (${countryName(a.work.code)})`, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'heading', text: 'EDUCATION AND TRAINING', rule: true });
    blocks.push({ t: 'field', label: board, value: `Specialist in Radiology (board certification), ${a.training.en.replace(/^the /, '')}`, layout: 'tab', tab: 130, labelFont: 'regular' });
    for (const e of describeEducation(rng, plan)) blocks.push({ t: 'field', label: e.period, value: e.what, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'heading', text: 'PERSONAL SKILLS', rule: true });
    blocks.push({ t: 'field', label: 'Mother tongue(s)', value: LANGUAGE_NAMES_EN[a.lang], layout: 'tab', tab: 130 });
    const rows = [['Other language(s)', 'Understanding', 'Speaking', 'Writing']];
    for (const c of plan.languageCerts) rows.push([c.lang === 'en' ? 'English' : 'French', c.level, c.level, c.level]);
    blocks.push({ t: 'table', rows, widths: [3, 2, 2, 2], header: true, grid: true });
    blocks.push({ t: 'field', label: 'Digital skills', value: 'PACS/RIS, advanced post-processing, Microsoft Office, R', layout: 'tab', tab: 130 });
    blocks.push({ t: 'heading', text: 'ADDITIONAL INFORMATION', rule: true });
    blocks.push({ t: 'field', label: 'Memberships', value: `European Society of Radiology (ESR), member no. ${a.esrNumber}`, layout: 'tab', tab: 130 });
  } else if (kind === 'lebenslauf') {
    blocks.push({ t: 'title', text: 'Lebenslauf', align: rng.pick(['left', 'center'] as const) });
    blocks.push({ t: 'heading', text: 'Persönliche Daten', rule: true });
    const fields: Array<[string, string]> = [
      ['Name', fullName(a.name)],
      ['Anschrift', `${a.street}, ${a.residenceCity.zip} ${a.residenceCity.name}, ${a.residence.native}`],
      ['Geburtsdatum', formatDate(a.dob, 'de', 'numeric')],
      ['Staatsangehörigkeit', { DE: 'deutsch', AT: 'österreichisch', CH: 'schweizerisch' }[a.nationality.code] ?? a.nationality.nationality],
      ['E-Mail', a.email],
    ];
    for (const [l, v] of fields) blocks.push({ t: 'field', label: l, value: v, layout: 'tab', tab: 130 });
    blocks.push({ t: 'heading', text: 'Beruflicher Werdegang', rule: true });
    blocks.push({ t: 'field', label: `seit ${formatDate(addDays(plan.boardDate, 30), 'de', 'numeric').slice(3)}`, value: `${a.sex === 'F' ? 'Fachärztin' : 'Facharzt'} für Radiologie, ${a.institution.native}`, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'field', label: formatDate(plan.boardDate, 'de', 'numeric'), value: `Facharztanerkennung Radiologie`, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'field', label: `${plan.residencyStart.y}–${plan.boardDate.y}`, value: `Weiterbildung zum Facharzt für Radiologie, ${a.trainingCity.name}`, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'heading', text: 'Ausbildung', rule: true });
    blocks.push({ t: 'field', label: `${plan.graduation.y - 6}–${plan.graduation.y}`, value: `Studium der Humanmedizin, ${a.university.native}`, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'field', label: String(plan.graduation.y), value: `Approbation als ${a.sex === 'F' ? 'Ärztin' : 'Arzt'}`, layout: 'tab', tab: 130, labelFont: 'regular' });
    blocks.push({ t: 'heading', text: 'Sprachkenntnisse', rule: true });
    blocks.push({ t: 'para', text: `Deutsch (Muttersprache), ${plan.languageCerts.map((c) => `${c.lang === 'en' ? 'Englisch' : 'Französisch'} (${c.level})`).join(', ')}` });
    blocks.push({ t: 'heading', text: 'Mitgliedschaften', rule: true });
    blocks.push({ t: 'para', text: `European Society of Radiology (ESR), Mitgliedsnummer ${a.esrNumber}; Deutsche Röntgengesellschaft` });
  } else {
    blocks.push({ t: 'title', text: rng.pick(['Curriculum Vitae', 'CV', 'CURRICULUM VITAE', 'Academic Curriculum Vitae']), align: rng.pick(['left', 'center'] as const) });
    blocks.push({ t: 'para', text: `Dr. ${fullName(a.name, true)}, MD`, font: 'bold', align: 'center' });
    blocks.push({ t: 'lines', lines: [address, `${a.email} · ${a.phone}`], align: 'center', gap: 1 });
    blocks.push({ t: 'heading', text: 'Current appointment' });
    blocks.push({ t: 'para', text: `${a.position}, ${a.institution.en}, ${a.workCity.en}, ${countryName(a.work.code)}` });
    blocks.push({ t: 'heading', text: 'Board certification' });
    blocks.push({ t: 'para', text: `Specialist in Diagnostic Radiology since ${board}` });
    blocks.push({ t: 'heading', text: 'Education' });
    blocks.push({ t: 'list', items: describeEducation(rng, plan).map((e) => `${e.period}: ${e.what}`), marker: 'none', itemGap: 0.1 });
    blocks.push({ t: 'heading', text: 'Clinical experience' });
    blocks.push({ t: 'list', items: describeExperience(rng, plan).map((e) => `${e.period}: ${e.what}`), marker: 'none', itemGap: 0.1 });
    blocks.push({ t: 'heading', text: 'Research interests' });
    blocks.push({ t: 'para', text: 'Oncologic imaging, PET-CT, response assessment, radiomics and quantitative imaging biomarkers.' });
    blocks.push({ t: 'heading', text: 'Memberships' });
    blocks.push({ t: 'para', text: `European Society of Radiology (member ${a.esrNumber}); European Association of Nuclear Medicine` });
    blocks.push({ t: 'heading', text: 'Languages' });
    blocks.push({ t: 'para', text: describeLanguages(plan, 'cefr') });
  }
  return {
    spec: { label: 'cv', kind: `cv-${kind}`, style: ctx.house, parts: [{ kind: 'text', blocks }] },
    reveals: { countryOfResidence: a.residence.code, countryOfWork: a.work.code, boardCertificationDate: formatIsoDate(plan.boardDate) },
  };
}

// ---------------------------------------------------------------------------
// Recommendation letters

type LetterText = { title: string | null; salutation: string | null; body: string[]; closing: string };

function writeRecommendation(rng: Rng, lang: DocLang, applicant: Applicant, years: number): LetterText {
  const latin = lang !== 'el';
  const a = { ...applicant, name: latin ? { ...applicant.name, first: applicant.name.firstLatin, last: applicant.name.lastLatin } : applicant.name };
  const she = a.sex === 'F';
  const name = fullName(a.name);
  switch (lang) {
    case 'fr':
      return {
        title: rng.pick(['Lettre de recommandation', 'LETTRE DE RECOMMANDATION', null]),
        salutation: rng.pick(['Madame, Monsieur,', 'Chers collègues,']),
        body: [
          `C'est avec grand plaisir que je recommande le Docteur ${name} pour le programme de fellowship de l'ESOR.`,
          `${she ? 'Elle' : 'Il'} travaille dans notre service depuis ${years} ans et a fait preuve d'excellentes compétences en imagerie oncologique, en particulier en TDM, IRM et TEP-TDM.`,
          `${she ? 'Elle' : 'Il'} est rigoureu${she ? 'se' : 'x'}, travailleu${she ? 'se' : 'r'} et très apprécié${she ? 'e' : ''} de l'équipe. Je soutiens sa candidature sans aucune réserve.`,
        ],
        closing: 'Veuillez agréer, Madame, Monsieur, mes salutations distinguées.',
      };
    case 'de':
      return {
        title: rng.pick(['Empfehlungsschreiben', 'Referenzschreiben', 'Letter of Recommendation']),
        salutation: rng.pick(['Sehr geehrte Damen und Herren,', 'Sehr geehrte Mitglieder des Auswahlkomitees,']),
        body: [
          `hiermit empfehle ich ${she ? 'Frau' : 'Herrn'} Dr. med. ${name} mit Nachdruck für das ESOR-Fellowship-Programm.`,
          `${she ? 'Frau' : 'Herr'} Dr. ${a.name.last} ist seit ${years} Jahren in unserer Klinik tätig und hat sich durch hervorragende Kenntnisse in der onkologischen Bildgebung, insbesondere CT, MRT und PET/CT, ausgezeichnet.`,
          `${she ? 'Sie' : 'Er'} arbeitet selbstständig, zuverlässig und ist im Team sehr geschätzt. Ich unterstütze die Bewerbung uneingeschränkt.`,
        ],
        closing: 'Mit freundlichen Grüßen',
      };
    case 'it':
      return {
        title: rng.pick(['Lettera di presentazione', 'Lettera di referenze', 'LETTERA DI RACCOMANDAZIONE']),
        salutation: rng.pick(['Gentili Membri della Commissione,', 'Spettabile Comitato,']),
        body: [
          `con la presente desidero raccomandare ${she ? 'la Dott.ssa' : 'il Dott.'} ${name} per il programma di fellowship ESOR.`,
          `${she ? 'La Dott.ssa' : 'Il Dott.'} ${a.name.last} lavora presso il nostro Dipartimento da ${years} anni e ha dimostrato ottime competenze nell'imaging oncologico, in particolare TC, RM e PET-TC.`,
          `È una persona seria, motivata e molto apprezzata dai colleghi. Sostengo la candidatura senza alcuna riserva.`,
        ],
        closing: 'Cordiali saluti',
      };
    case 'es':
      return {
        title: rng.pick(['Carta de recomendación', 'CARTA DE RECOMENDACIÓN']),
        salutation: 'Estimados miembros del Comité:',
        body: [
          `Por medio de la presente deseo recomendar a ${she ? 'la Dra.' : 'el Dr.'} ${name} para el programa de fellowship de ESOR.`,
          `${she ? 'La Dra.' : 'El Dr.'} ${a.name.last} trabaja en nuestro Servicio de Radiodiagnóstico desde hace ${years} años y ha demostrado una excelente formación en imagen oncológica, especialmente en TC, RM y PET-TC.`,
          `Es una persona responsable, trabajadora y muy valorada por el equipo. Apoyo su candidatura sin reservas.`,
        ],
        closing: 'Atentamente,',
      };
    case 'pt':
      return {
        title: rng.pick(['Carta de recomendação', 'CARTA DE RECOMENDAÇÃO']),
        salutation: 'Exmos. Senhores,',
        body: [
          `Venho por este meio recomendar ${she ? 'a Dra.' : 'o Dr.'} ${name} para o programa de fellowship da ESOR.`,
          `${she ? 'A Dra.' : 'O Dr.'} ${a.name.last} trabalha no nosso Serviço de Radiologia há ${years} anos e demonstrou excelentes competências em imagiologia oncológica, nomeadamente TC, RM e PET-TC.`,
          'Recomendo a sua candidatura sem qualquer reserva.',
        ],
        closing: 'Com os melhores cumprimentos,',
      };
    case 'nl':
      return {
        title: rng.pick(['Aanbevelingsbrief', 'Referentiebrief']),
        salutation: 'Geachte leden van de selectiecommissie,',
        body: [
          `Met genoegen beveel ik dr. ${name} aan voor het ESOR-fellowshipprogramma.`,
          `Dr. ${a.name.last} werkt sinds ${years} jaar op onze afdeling Radiologie en heeft uitstekende vaardigheden getoond in de oncologische beeldvorming, met name CT, MRI en PET-CT.`,
          'Ik steun deze kandidatuur zonder enig voorbehoud.',
        ],
        closing: 'Met vriendelijke groet,',
      };
    case 'pl':
      return {
        title: rng.pick(['List polecający', 'LIST REKOMENDACYJNY']),
        salutation: 'Szanowni Państwo,',
        body: [
          `z przyjemnością rekomenduję ${she ? 'Panią' : 'Pana'} lek. ${name} do programu stypendialnego ESOR.`,
          `${she ? 'Pani' : 'Pan'} dr ${a.name.last} pracuje w naszym Zakładzie Radiologii od ${years} lat i wykazuje się doskonałą wiedzą z zakresu diagnostyki obrazowej w onkologii, w szczególności TK, MR i PET-TK.`,
          'Bez zastrzeżeń popieram tę kandydaturę.',
        ],
        closing: 'Z wyrazami szacunku',
      };
    case 'el':
      return {
        title: rng.pick(['Συστατική επιστολή', 'ΣΥΣΤΑΤΙΚΗ ΕΠΙΣΤΟΛΗ']),
        salutation: 'Αξιότιμα μέλη της Επιτροπής,',
        body: [
          `Με την παρούσα επιστολή συστήνω ${she ? 'την' : 'τον'} ${name} για το πρόγραμμα υποτροφιών ESOR.`,
          `${she ? 'Η' : 'Ο'} Δρ ${a.name.last} εργάζεται στο Εργαστήριο Ακτινολογίας του νοσοκομείου μας εδώ και ${years} έτη και διαθέτει άριστες γνώσεις στην ογκολογική απεικόνιση (CT, MRI, PET-CT).`,
          `Υποστηρίζω ανεπιφύλακτα την υποψηφιότητά ${she ? 'της' : 'του'}.`,
        ],
        closing: 'Με εκτίμηση,',
      };
    case 'ro':
      return {
        title: rng.pick(['Scrisoare de recomandare', 'SCRISOARE DE RECOMANDARE']),
        salutation: 'Stimați membri ai Comisiei,',
        body: [
          `Prin prezenta recomand cu căldură pe ${she ? 'doamna' : 'domnul'} dr. ${name} pentru programul de fellowship ESOR.`,
          `${she ? 'Doamna' : 'Domnul'} dr. ${a.name.last} lucrează în Departamentul de Radiologie de ${years} ani și a demonstrat competențe excelente în imagistica oncologică, în special CT, RMN și PET-CT.`,
          'Susțin candidatura fără nicio rezervă.',
        ],
        closing: 'Cu stimă,',
      };
    default: {
      const pron = she ? 'she' : 'he';
      const Pron = she ? 'She' : 'He';
      const poss = she ? 'her' : 'his';
      const obj = she ? 'her' : 'him';
      const title = rng.pick([null, 'Letter of recommendation', 'LETTER OF RECOMMENDATION', 'Reference letter', 'To whom it may concern', 'Re: ESOR fellowship application']);
      const middle = [
        `Dr ${a.name.last} has an excellent knowledge of oncologic imaging, in particular CT, MRI and PET-CT, and ${pron} regularly presents cases at our multidisciplinary tumour boards.`,
        `${Pron} is hard-working, reliable and well liked by colleagues and patients alike. ${Pron} has also shown a genuine interest in research and has contributed to several publications from our group.`,
        `A period of training abroad would be of great benefit to ${obj} and, on ${poss} return, to our department, where we are expanding our hybrid imaging activity.`,
      ].filter(() => rng.chance(0.75));
      return {
        title,
        salutation: title === 'To whom it may concern' ? null : rng.pick(['To whom it may concern,', 'Dear Members of the Evaluation Committee,', 'Dear Colleagues,', 'Dear Sir or Madam,']),
        body: [
          rng.pick([
            `I am pleased to recommend Dr ${name} for the ESOR fellowship programme. I have known ${obj} for ${years} years as a resident and then as a staff radiologist in our department.`,
            `It is my pleasure to write this letter in support of Dr ${name}, who has worked in my department since ${2021 - years}.`,
          ]),
          ...(middle.length ? middle : [`Dr ${a.name.last} is a competent and dedicated radiologist with a strong interest in oncologic imaging.`]),
          `I recommend Dr ${a.name.last} without any reservation and would be happy to provide further information if needed.`,
        ],
        closing: rng.pick(['Yours sincerely,', 'Yours faithfully,', 'Kind regards,', 'Sincerely,']),
      };
    }
  }
}

export function buildRecommendationLetters(ctx: BuildContext): { document: BuiltDocument; authors: Colleague[] } {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const authors: Colleague[] = [a.head];
  for (let i = 1; i < plan.recommendations; i++) {
    const city = rng.chance(0.6) ? a.workCity : rng.pick(a.work.cities);
    const inst = city === a.workCity ? a.institution : rng.pick(a.work.hospitals)(city);
    authors.push(createColleague(rng.fork(`author-${i}`), a.work, city, inst, 'referee', a.name.lastLatin));
  }
  const parts = authors.map((author, i) => {
    const lang: DocLang = rng.chance(0.7) ? 'en' : rng.chance(0.25) ? 'fr' : rng.pick(author.country.langs);
    const years = Math.max(2, 2021 - plan.residencyStart.y - (i === 0 ? 0 : rng.int(0, 2)));
    const text = writeRecommendation(rng, lang, a, years);
    const blocks: Block[] = [];
    const dept = lang === 'en' ? rng.pick(['Department of Radiology', 'Department of Diagnostic and Interventional Radiology', 'Department of Radiology and Nuclear Medicine']) : { fr: 'Service de radiologie', de: 'Klinik für Radiologie', it: 'Dipartimento di Diagnostica per Immagini', es: 'Servicio de Radiodiagnóstico', pt: 'Serviço de Radiologia', nl: 'Afdeling Radiologie', pl: 'Zakład Radiologii', el: 'Εργαστήριο Ακτινολογίας', ro: 'Departamentul de Radiologie și Imagistică Medicală', en: 'Department of Radiology' }[lang];
    const instName = lang === 'en' ? author.institution.en : author.institution.native;
    blocks.push({ t: 'lines', lines: [instName, dept, `${author.city.zip} ${lang === 'en' ? author.city.en : author.city.name}`, `Tel. ${author.phone}`], font: 'bold', align: rng.pick(['left', 'center', 'right'] as const), size: ctx.house.fontSize - 1 });
    blocks.push({ t: 'rule' });
    const date = addDays(receivedDay(plan), -rng.int(5, 60));
    blocks.push({ t: 'para', text: `${lang === 'en' ? author.city.en : author.city.name}, ${formatDate(date, lang, pickDateStyle(rng, lang))}`, align: 'right' });
    if (text.title) blocks.push({ t: 'title', text: text.title, size: ctx.house.fontSize * 1.3, align: rng.pick(['left', 'center'] as const) });
    if (text.salutation) blocks.push({ t: 'para', text: text.salutation });
    for (const p of text.body) blocks.push({ t: 'para', text: p, gap: 0.8 });
    blocks.push({ t: 'para', text: text.closing });
    blocks.push({ t: 'signature' });
    if (rng.chance(0.4)) blocks.push({ t: 'seal', x: 0.6 });
    blocks.push({ t: 'lines', lines: [`${author.title} ${fullName(author.name, lang !== 'el')}`, author.position, instName, author.email] });
    const style: Partial<DocStyle> = { family: rng.pick(['helvetica', 'times', 'dejavu'] as const), footer: 'none', fontSize: rng.pick([10, 10.5, 11]), margin: rng.pick([50, 60, 70]), runningText: undefined };
    return { kind: 'text' as const, blocks, style };
  });
  return { document: { spec: { label: 'recommendation', kind: `recommendation-x${authors.length}`, style: ctx.house, parts }, reveals: {} }, authors };
}

// ---------------------------------------------------------------------------
// Publications

const JOURNALS = [
  ['Eur Radiol', 'European Radiology'],
  ['Radiology', 'Radiology'],
  ['J Nucl Med', 'Journal of Nuclear Medicine'],
  ['Eur J Nucl Med Mol Imaging', 'European Journal of Nuclear Medicine and Molecular Imaging'],
  ['Insights Imaging', 'Insights into Imaging'],
  ['Cancers (Basel)', 'Cancers'],
  ['AJR Am J Roentgenol', 'American Journal of Roentgenology'],
  ['Clin Nucl Med', 'Clinical Nuclear Medicine'],
  ['Eur J Radiol', 'European Journal of Radiology'],
  ['Br J Radiol', 'British Journal of Radiology'],
  ['Radiol Med', 'La Radiologia Medica'],
  ['Abdom Radiol (NY)', 'Abdominal Radiology'],
  ['Diagn Interv Imaging', 'Diagnostic and Interventional Imaging'],
  ['EJNMMI Res', 'EJNMMI Research'],
  ['Front Oncol', 'Frontiers in Oncology'],
] as const;

function pickPaperTitle(rng: Rng): string {
  const what = rng.pick(['Diagnostic performance', 'Prognostic value', 'Role', 'Added value', 'Inter-reader agreement', 'Impact on management']);
  const tool = rng.pick(['18F-FDG PET/CT', '68Ga-DOTATATE PET/CT', 'PSMA PET/CT', 'whole-body MRI', 'dual-energy CT', 'diffusion-weighted MRI', 'CT-based radiomics', 'contrast-enhanced ultrasound', 'deep learning']);
  const task = rng.pick(['the staging of', 'early response assessment in', 'the follow-up of', 'predicting recurrence in', 'the detection of bone metastases in']);
  const disease = rng.pick(['non-small cell lung cancer', 'neuroendocrine tumours', 'differentiated thyroid cancer', 'Hodgkin lymphoma', 'breast cancer', 'prostate cancer', 'colorectal liver metastases', 'head and neck squamous cell carcinoma', 'pancreatic adenocarcinoma']);
  const design = rng.pick(['a retrospective study', 'a systematic review and meta-analysis', 'a single-centre experience', 'a prospective cohort study', 'results of a multicentre trial', '']);
  return `${what} of ${tool} in ${task} ${disease}${design ? `: ${design}` : ''}`;
}

function pickAuthorList(rng: Rng, a: Applicant, position: number, total: number): string {
  const initials = (first: string) => first.split(/[\s-]+/).map((p) => p[0]).join('');
  const self = `${a.name.lastLatin} ${initials(a.name.firstLatin)}`;
  const pool = a.work.surnames.map((s) => (typeof s === 'string' ? s : s[0]).split('|').pop() as string);
  const others = rng.sample(pool.filter((s) => s !== a.name.lastLatin), total - 1).map((s) => `${s} ${rng.letters(rng.int(1, 2))}`);
  others.splice(position, 0, self);
  return others.length > 6 && rng.chance(0.5) ? `${others.slice(0, 6).join(', ')}, et al.` : others.join(', ');
}

export function buildPublicationList(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const count = plan.publicationCount;
  const style = rng.pick(['vancouver', 'vancouver-doi', 'apa-ish'] as const);
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const year = rng.int(2015, 2021);
    const total = rng.int(3, 9);
    const authors = pickAuthorList(rng, a, rng.int(0, Math.min(3, total - 1)), total);
    const [abbr, full] = rng.pick(JOURNALS);
    const vol = rng.int(10, 320);
    const first = rng.int(1, 2400);
    const pages = `${first}-${first + rng.int(5, 14)}`;
    const doi = `10.5555/${abbr.toLowerCase().replace(/[^a-z]/g, '').slice(0, 6)}.${year}.${rng.digits(5)}`;
    const title = pickPaperTitle(rng);
    if (style === 'apa-ish') entries.push(`${authors} (${year}). ${title}. ${full}, ${vol}(${rng.int(1, 12)}), ${pages}. https://doi.org/${doi}`);
    else entries.push(`${authors}. ${title}. ${abbr}. ${year};${vol}(${rng.int(1, 12)}):${pages}.${style === 'vancouver-doi' ? ` doi:${doi}` : ''}${rng.chance(0.2) ? ` PMID: ${rng.int(28000000, 34999999)}` : ''}`);
  }
  const blocks: Block[] = [];
  blocks.push({
    t: 'title',
    text: rng.pick(['List of publications', 'Selected publications', 'Five most relevant publications', 'Publications', 'Peer-reviewed publications (selection)', 'LIST OF FIVE MOST IMPORTANT PUBLICATIONS', 'Scientific publications']),
    size: ctx.house.fontSize * 1.4,
  });
  if (rng.chance(0.4)) blocks.push({ t: 'para', text: rng.pick([`Dr. ${fullName(a.name)}`, 'Most important/relevant publications in international peer-reviewed journals:', 'I hereby list my five most relevant publications in international peer-reviewed journals.']), font: 'italic' });
  const withNotes = rng.chance(0.3);
  const marker = rng.pick(['decimal', 'decimal', 'bracket', 'paren', 'none', 'bullet'] as const);
  if (withNotes) {
    // Each entry followed by the applicant's role: two lines per entry, still five entries.
    entries.forEach((entry, i) => {
      blocks.push({ t: 'list', items: [entry], marker: 'none', itemGap: 0.1 });
      blocks.push({ t: 'para', text: `${marker === 'none' || marker === 'bullet' ? '' : `(${i + 1}) `}My contribution: ${rng.pick(['study design, data collection and manuscript drafting', 'image analysis and statistics', 'reading of all PET-CT examinations', 'literature review and writing'])}. Impact factor ${rng.float(2, 11).toFixed(1)}.`, font: 'italic', indent: 18, gap: 1 });
    });
  } else {
    blocks.push({ t: 'list', items: entries, marker, itemGap: rng.pick([0.4, 0.8, 1.2]) });
  }
  return { spec: { label: 'publications', kind: `publications-${count}`, style: ctx.house, parts: [{ kind: 'text', blocks }] }, reveals: { publicationCount: count } };
}

// ---------------------------------------------------------------------------
// References

export function buildReferenceList(ctx: BuildContext, authors: Colleague[]): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const referees = authors.slice(0, rng.int(1, authors.length));
  const wanted = rng.int(2, 4);
  while (referees.length < wanted) {
    const city = rng.pick(a.work.cities);
    referees.push(createColleague(rng.fork(`ref-${referees.length}`), a.work, city, rng.pick(a.work.hospitals)(city), 'referee', a.name.lastLatin));
  }
  const blocks: Block[] = [{ t: 'title', text: rng.pick(['List of references', 'References', 'Referees', 'Contact details of referees', 'Persons to be contacted', 'LIST OF REFERENCES']), size: ctx.house.fontSize * 1.4 }];
  if (rng.chance(0.4)) blocks.push({ t: 'para', text: 'The following persons have agreed to be contacted if necessary:' });
  const layout = rng.pick(['blocks', 'table', 'numbered'] as const);
  if (layout === 'table') {
    blocks.push({
      t: 'table',
      rows: [['Name', 'Position / Institution', 'Contact'], ...referees.map((r) => [`${r.title} ${fullName(r.name, true)}`, `${r.position}, ${r.institution.en}, ${r.city.en}`, `${r.email}, ${r.phone}`])],
      widths: [3, 5, 4],
      header: true,
      grid: true,
    });
  } else {
    referees.forEach((r, i) => {
      blocks.push({ t: 'para', text: `${layout === 'numbered' ? `${i + 1}. ` : ''}${r.title} ${fullName(r.name, true)}`, font: 'bold', gap: 0.1 });
      blocks.push({ t: 'lines', lines: [r.position, `${r.institution.en}, ${r.city.en}, ${countryName(r.country.code)}`, `E-mail: ${r.email}`, `${rng.pick(['Phone', 'Tel.', 'Telephone'])}: ${r.phone}`], gap: 1 });
    });
  }
  return { spec: { label: 'references', kind: `references-${layout}`, style: ctx.house, parts: [{ kind: 'text', blocks }] }, reveals: {} };
}

// ---------------------------------------------------------------------------
// Pages nobody asked for

export function buildCoverPage(ctx: BuildContext): BuiltDocument {
  const { rng, plan } = ctx;
  const a = plan.applicant;
  const named = plan.programme === 'named';
  const blocks: Block[] = [
    { t: 'space', lines: rng.int(6, 12) },
    { t: 'title', text: rng.pick(['Application', 'APPLICATION', 'Application dossier', 'Fellowship application']), align: 'center', size: 26 },
    {
      t: 'para',
      text: named ? rng.pick(['ESOR Clinical/Research Fellowship in Hybrid Imaging in Oncology', 'ESOR Fellowship – Hybrid Imaging in Oncology', 'Gustave Roussy Cancer Campus, Villejuif']) : 'ESOR Exchange Programme for Fellowships 2022/2023',
      align: 'center',
      size: 15,
    },
    { t: 'space', lines: 3 },
    { t: 'para', text: `Dr. ${fullName(a.name, true)}`, align: 'center', size: 16, font: 'bold' },
    { t: 'para', text: `${a.institution.en}, ${a.workCity.en}`, align: 'center' },
    { t: 'space', lines: 2 },
    { t: 'para', text: `${monthName('en', plan.receivedAt.getUTCMonth() + 1)} 2021`, align: 'center' },
  ];
  return { spec: { label: 'other', kind: 'cover', style: { ...ctx.house, footer: 'none' }, parts: [{ kind: 'text', blocks }] }, reveals: {} };
}

const CALL_DOCUMENT_NAMES: Record<SectionId, string> = {
  motivation: 'Letter of motivation',
  cv: 'ESOR Curriculum Vitae',
  recommendation: 'Letter(s) of recommendation',
  board_certificate: 'Certificate of board certification',
  medical_degree: 'Copy of medical degree and specialisation',
  language_certificates: 'Language certificates (English, French)',
  publications: 'List of five publications',
  references: 'List of references',
  esr_membership: 'ESR membership proof',
  passport: 'Copy of passport',
};

/** A table of contents that names all ten documents, whether present or not. */
export function buildTableOfContents(ctx: BuildContext): BuiltDocument {
  const { rng } = ctx;
  const withNumbers = rng.chance(0.6);
  const title = rng.pick(['Table of contents', 'Contents', 'Index of documents', 'Enclosed documents']);
  return {
    spec: {
      label: 'other',
      kind: 'toc',
      style: { ...ctx.house, footer: 'none' },
      parts: [
        {
          kind: 'deferred',
          build: (starts) => {
            const rows = SECTION_IDS.map((id, i) => {
              const start = starts.find((s) => s.label === id);
              return [`${i + 1}.`, CALL_DOCUMENT_NAMES[id], withNumbers ? (start ? `p. ${start.firstPage}` : '–') : ''];
            });
            return [{ t: 'title', text: title }, { t: 'table', rows, widths: [1, 9, 2] }];
          },
        },
      ],
    },
    reveals: {},
  };
}

export function buildPhotoPage(ctx: BuildContext): BuiltDocument {
  return { spec: { label: 'other', kind: 'photo', style: ctx.house, parts: [{ kind: 'scan', layout: 'photo' }] }, reveals: {} };
}

export function buildBlankPage(ctx: BuildContext): BuiltDocument {
  return { spec: { label: 'other', kind: 'blank', style: ctx.house, parts: [{ kind: 'blank' }] }, reveals: {} };
}
