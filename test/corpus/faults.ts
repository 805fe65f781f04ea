/**
 * The scenarios of the corpus: a weighted mix of complete applications and
 * one fault (or two) each. A scenario only turns knobs of the plan; the
 * expected flags are derived afterwards from what the documents actually say
 * (truth.ts), so a scenario cannot claim a flag its documents do not support.
 */
import type { SectionId } from '../../core/types';
import { SECTION_IDS } from '../../core/types';
import { hasQpdf } from './attachments';
import { makeYmd, pickDateBetween } from './dates';
import { pickCareerDates, type ApplicantOptions } from './people';
import {
  formatDateHeader,
  pickCertificateDate,
  pickFrenchCert,
  pickLateReceipt,
  type ApplicationPlan,
  type Delivery,
  type LanguageCertPlan,
} from './plan';
import type { Rng } from './random';

export const SCENARIO_NAMES = [
  'complete',
  'missing_section',
  'out_of_order',
  'cv_not_esor_template',
  'late_submission',
  'board_certification_too_old',
  'same_country',
  'language_below_required',
  'language_unverified',
  'fewer_than_five_publications',
  'esr_membership_not_current',
  'programme_unknown',
  'no_pdf',
  'multiple_pdfs',
  'unreadable_pdf',
  'not_application',
  'combination',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Share of each scenario in a corpus (percent); about 40 % complete. */
export const SCENARIO_WEIGHTS: Record<ScenarioName, number> = {
  complete: 40,
  missing_section: 6,
  out_of_order: 4,
  cv_not_esor_template: 4,
  late_submission: 4,
  board_certification_too_old: 4,
  same_country: 4,
  language_below_required: 3,
  language_unverified: 4,
  fewer_than_five_publications: 3,
  esr_membership_not_current: 3,
  programme_unknown: 4,
  no_pdf: 3,
  multiple_pdfs: 3,
  unreadable_pdf: 3,
  not_application: 5,
  combination: 3,
};

export interface ScenarioEnv {
  imageOnlyShare: number;
}

interface Scenario {
  /** Constraints on who applies (same-country cases need a French address). */
  pickApplicant?(rng: Rng): ApplicantOptions;
  /** Turns the plan's knobs; returns a short variant name for the truth file. */
  apply(plan: ApplicationPlan, rng: Rng, env: ScenarioEnv): string;
}

function setReceivedAt(plan: ApplicationPlan, rng: Rng, at: Date): void {
  plan.receivedAt = at;
  plan.dateHeader = formatDateHeader(at, plan.applicant.residence.utcOffsetWinter, rng);
}

const SCENARIOS: Record<Exclude<ScenarioName, 'combination'>, Scenario> = {
  complete: {
    apply: (plan) => {
      const notes = [plan.extras.cover && 'cover', plan.extras.toc && 'toc', plan.extras.photo !== 'none' && 'photo', plan.extras.blankAfter && 'blank'].filter(Boolean);
      return notes.length ? `with-${notes.join('-')}` : 'plain';
    },
  },

  missing_section: {
    apply: (plan, rng) => {
      const weights: Array<[SectionId, number]> = [
        ['passport', 4], ['esr_membership', 4], ['references', 3], ['recommendation', 3], ['board_certificate', 3],
        ['medical_degree', 3], ['publications', 2], ['motivation', 1], ['cv', 1],
      ];
      const first = rng.pickWeighted(weights);
      plan.omit = [first];
      if (rng.chance(0.25)) plan.omit.push(rng.pickWeighted(weights.filter(([s]) => s !== first)));
      plan.omit.sort((x, y) => SECTION_IDS.indexOf(x) - SECTION_IDS.indexOf(y));
      return `omit-${plan.omit.join('+')}`;
    },
  },

  out_of_order: {
    apply: (plan, rng) => {
      const present = SECTION_IDS.filter((s) => s !== 'language_certificates' || plan.languageCerts.length > 0);
      let pair: [SectionId, SectionId];
      if (rng.chance(0.7)) {
        const i = rng.int(0, present.length - 2);
        pair = [present[i], present[i + 1]];
      } else {
        const [x, y] = rng.sample(present, 2).sort((p, q) => SECTION_IDS.indexOf(p) - SECTION_IDS.indexOf(q));
        pair = [x, y];
      }
      plan.swap = pair;
      return `swap-${pair.join('+')}`;
    },
  },

  cv_not_esor_template: {
    apply: (plan, rng) => {
      const germanSpeaking = ['DE', 'AT', 'CH'].includes(plan.applicant.nationality.code);
      plan.cv = rng.pickWeighted([['europass', 4], ['academic', 3], ['lebenslauf', germanSpeaking ? 4 : 0]]);
      return plan.cv;
    },
  },

  late_submission: {
    apply: (plan, rng) => {
      setReceivedAt(plan, rng, pickLateReceipt(rng));
      return plan.receivedAt.getTime() - Date.UTC(2021, 2, 31, 22) < 4 * 3600 * 1000 ? 'minutes-late' : 'days-late';
    },
  },

  board_certification_too_old: {
    apply: (plan, rng) => {
      const nearBoundary = rng.chance(0.2);
      plan.boardDate = nearBoundary ? pickDateBetween(rng, makeYmd(2018, 1, 5), makeYmd(2018, 3, 25)) : pickDateBetween(rng, makeYmd(2014, 3, 1), makeYmd(2017, 12, 20));
      plan.boardIssueDate = plan.boardDate;
      Object.assign(plan, pickCareerDates(rng, plan.applicant.dob, plan.boardDate));
      return nearBoundary ? 'just-over-3-years' : `certified-${plan.boardDate.y}`;
    },
  },

  same_country: {
    pickApplicant: (rng) => {
      const variant = rng.pickWeighted<string>([['french-national', 3], ['expat-in-france', 3], ['lives-in-france', 2], ['works-in-france', 2]]);
      const neighbour = rng.pick(['BE', 'DE', 'CH']);
      const abroad = rng.pick(['IT', 'ES', 'PT', 'GR', 'RO', 'PL', 'BE', 'DE']);
      switch (variant) {
        case 'french-national':
          return { country: 'FR' };
        case 'expat-in-france':
          return { country: 'FR', nationality: abroad, training: abroad };
        case 'lives-in-france':
          return { country: neighbour, residence: 'FR' };
        default:
          return { country: neighbour, work: 'FR' };
      }
    },
    apply: (plan) => {
      const a = plan.applicant;
      if (a.nationality.code === 'FR') {
        // A French radiologist has no French language certificate to send.
        plan.languageCerts = plan.languageCerts.filter((c) => c.lang !== 'fr');
        return 'french-national';
      }
      return a.residence.code === 'FR' && a.work.code === 'FR' ? 'expat-in-france' : a.residence.code === 'FR' ? 'lives-in-france' : 'works-in-france';
    },
  },

  language_below_required: {
    apply: (plan, rng) => {
      if (rng.chance(0.2)) {
        plan.languageCerts = plan.languageCerts.map((c): LanguageCertPlan => (c.lang === 'en' ? { ...c, level: 'B1', kind: rng.pick(['ielts', 'cambridge', 'institutional'] as const), printsCefr: true } : c));
        return 'english-B1';
      }
      const level = rng.pickWeighted<'B1' | 'A2'>([['B1', 3], ['A2', 1]]);
      const cert = pickFrenchCert(rng, level, pickCertificateDate(rng));
      plan.languageCerts = plan.languageCerts.map((c) => (c.lang === 'fr' ? cert : c));
      return `french-${cert.kind}-${level}`;
    },
  },

  language_unverified: {
    apply: (plan, rng) => {
      const variant = rng.pickWeighted<string>([['english-only', 5], ['no-certificates', 3], ['french-only', 2]]);
      if (variant === 'english-only') plan.languageCerts = plan.languageCerts.filter((c) => c.lang === 'en');
      else if (variant === 'french-only') plan.languageCerts = plan.languageCerts.filter((c) => c.lang === 'fr');
      else plan.languageCerts = [];
      // Applicants without a certificate often state a level anyway; it is not evidence.
      if (variant !== 'french-only' && rng.chance(0.5)) plan.selfDeclaredFrench = rng.pick(['B2, self-assessed', 'good working knowledge', 'intermediate', 'B2']);
      return variant;
    },
  },

  fewer_than_five_publications: {
    apply: (plan, rng) => {
      plan.publicationCount = rng.pickWeighted([[4, 3], [3, 2]]);
      return `${plan.publicationCount}-publications`;
    },
  },

  esr_membership_not_current: {
    apply: (plan, rng, env) => {
      if (env.imageOnlyShare > 0 && rng.chance(0.25)) {
        // A scan shows no readable year: nothing proves 2021 (README.md, "Truth conventions").
        plan.esrScan = true;
        return 'scanned-proof';
      }
      plan.esrYear = 2020;
      return 'year-2020';
    },
  },

  programme_unknown: {
    apply: (plan, rng) => {
      plan.programme = rng.chance(0.6) ? 'none' : 'two';
      if (plan.programme === 'none' && plan.letterLang === 'fr' && rng.chance(0.5)) plan.letterLang = 'en';
      return plan.programme === 'none' ? 'no-programme-named' : 'two-programmes';
    },
  },

  no_pdf: {
    apply: (plan, rng) => {
      const variant = rng.pickWeighted<Extract<Delivery, { kind: 'no-pdf' }>['variant']>([['docx', 4], ['jpg', 3], ['png', 1], ['nothing', 2], ['link', 2]]);
      plan.delivery = { kind: 'no-pdf', variant };
      return variant;
    },
  },

  multiple_pdfs: {
    apply: (plan, rng) => {
      const files = rng.pickWeighted([[2, 3], [3, 2]]);
      plan.delivery = { kind: 'multi', files };
      return `${files}-pdfs`;
    },
  },

  unreadable_pdf: {
    apply: (plan, rng) => {
      const variants: Array<[Extract<Delivery, { kind: 'unreadable' }>['variant'], number]> = [['truncated', 3], ['garbage', 2], ['empty', 1], ['html', 1]];
      if (hasQpdf()) variants.push(['encrypted', 3]);
      const variant = rng.pickWeighted(variants);
      plan.delivery = { kind: 'unreadable', variant };
      return variant;
    },
  },

  not_application: {
    apply: (plan, rng) => {
      const variant = rng.pickWeighted<Extract<Delivery, { kind: 'not-application' }>['variant']>([['out-of-office', 4], ['bounce', 3], ['question', 4], ['newsletter', 2], ['read-receipt', 1]]);
      plan.delivery = { kind: 'not-application', variant };
      // Auto-replies and questions arrive at any time around the call.
      setReceivedAt(plan, rng, new Date(Date.UTC(2021, rng.int(0, 3), rng.int(1, 28), rng.int(6, 22), rng.int(0, 59), rng.int(0, 59))));
      return variant;
    },
  },
};

/** Pairs that make sense together (an out-of-order PDF cannot also miss sections, by the contract). */
const COMBINATIONS: Array<[Exclude<ScenarioName, 'combination'>, Exclude<ScenarioName, 'combination'>]> = [
  ['missing_section', 'late_submission'],
  ['cv_not_esor_template', 'fewer_than_five_publications'],
  ['out_of_order', 'esr_membership_not_current'],
  ['board_certification_too_old', 'language_unverified'],
  ['missing_section', 'programme_unknown'],
  ['same_country', 'late_submission'],
  ['no_pdf', 'late_submission'],
  ['language_below_required', 'missing_section'],
];

export interface ScenarioPick {
  name: ScenarioName;
  parts: Array<Exclude<ScenarioName, 'combination'>>;
}

export function pickScenarioParts(name: ScenarioName, rng: Rng): ScenarioPick {
  return { name, parts: name === 'combination' ? rng.pick(COMBINATIONS) : [name] };
}

export function pickApplicantOptions(pick: ScenarioPick, rng: Rng): ApplicantOptions {
  for (const part of pick.parts) {
    const scenario = SCENARIOS[part];
    if (scenario.pickApplicant) return scenario.pickApplicant(rng);
  }
  return {};
}

/** Applies the scenario to a complete base plan; returns the fault and variant names. */
export function applyScenario(pick: ScenarioPick, plan: ApplicationPlan, rng: Rng, env: ScenarioEnv): { fault: string; variant: string } {
  const variants = pick.parts.map((part) => SCENARIOS[part].apply(plan, rng.fork(part), env));
  return { fault: pick.parts.join('+'), variant: variants.join('+') };
}

/**
 * How many cases of each scenario a corpus of `count` gets: proportional to
 * the weights (largest remainder), with every scenario present at least once
 * when the corpus is big enough to afford it.
 */
export function allocateScenarios(count: number, rng: Rng): ScenarioName[] {
  const total = Object.values(SCENARIO_WEIGHTS).reduce((a, b) => a + b, 0);
  const exact = SCENARIO_NAMES.map((name) => (SCENARIO_WEIGHTS[name] * count) / total);
  const quota = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = count - quota.reduce((a, b) => a + b, 0); k < left; k++) quota[order[k][1]]++;
  if (count >= SCENARIO_NAMES.length * 2) {
    for (let i = 0; i < quota.length; i++) {
      if (quota[i] > 0) continue;
      quota[i] = 1;
      quota[0]--; // taken from the complete applications, the largest share
    }
  }
  const names = SCENARIO_NAMES.flatMap((name, i) => new Array<ScenarioName>(quota[i]).fill(name));
  return rng.shuffle(names);
}

