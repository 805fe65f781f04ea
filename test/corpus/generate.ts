/**
 * Seeded generator of synthetic ESOR fellowship applications (and of the
 * mail that is not an application) with the expected triage of each.
 *
 *   npx tsx test/corpus/generate.ts --out DIR [--count 200] [--seed 1] [--image-only-share 0.15]
 *
 * writes DIR/<id>.eml, DIR/<id>.truth.json per case and DIR/index.json.
 * The same seed and options always give the same truth files (and the same
 * .eml bytes on a machine with the same qpdf).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assembleAttachments } from './assemble';
import { allocateScenarios, applyScenario, pickApplicantOptions, pickScenarioParts, type ScenarioName } from './faults';
import { composeApplicationMail, composeNotApplicationMail } from './mail-writer';
import { createApplicant, fullName, type Applicant } from './people';
import { loadDejaVuFonts } from './pdf-writer';
import { createBasePlan } from './plan';
import { Rng } from './random';
import { deriveFlags, deriveStatus, groupSections, mergeFacts, programmeOf, type CaseTruth } from './truth';

export type { CaseTruth } from './truth';
export { SCENARIO_NAMES, SCENARIO_WEIGHTS } from './faults';

export interface GenerateOptions {
  seed: number;
  count: number;
  outDir: string;
  /** Share of scannable documents (degree, board certificate, ESR proof, passport x3) that are image-only. Default 0.15; 0 = no image-only page at all. */
  imageOnlyShare?: number;
}

export interface CorpusIndex {
  generator: string;
  seed: number;
  count: number;
  imageOnlyShare: number;
  scenarios: Record<string, number>;
  statuses: Record<string, number>;
  cases: Array<{ id: string; status: string; fault: string; variant: string; eml: string; truth: string }>;
}

function formatCaseId(index: number): string {
  return `case-${String(index + 1).padStart(4, '0')}`;
}

/**
 * One case: its raw e-mail and its truth, a function of (seed, index,
 * scenario, share) and of the names already taken in the corpus: two
 * applications by namesakes would look like a duplicate application.
 */
export async function generateCase(seed: number, index: number, scenario: ScenarioName, imageOnlyShare: number, takenNames: Set<string> = new Set()): Promise<{ eml: Buffer; truth: CaseTruth }> {
  const rng = new Rng(seed).fork(`case-${index}`);
  const id = formatCaseId(index);
  const pick = pickScenarioParts(scenario, rng.fork('scenario-pick'));
  const options = pickApplicantOptions(pick, rng.fork('applicant-options'));
  const identity = (p: Applicant) => [fullName(p.name, true).toLowerCase(), p.email.split('@')[0]];
  let applicant = createApplicant(rng.fork('applicant'), options);
  for (let attempt = 1; attempt < 50 && identity(applicant).some((k) => takenNames.has(k)); attempt++) {
    applicant = createApplicant(rng.fork(`applicant-${attempt}`), options);
  }
  identity(applicant).forEach((k) => takenNames.add(k));
  const plan = createBasePlan(rng.fork('plan'), applicant, imageOnlyShare);
  const { fault, variant } = applyScenario(pick, plan, rng.fork('scenario'), { imageOnlyShare });
  const receivedAt = plan.receivedAt.toISOString();

  if (plan.delivery.kind === 'not-application') {
    const { raw, from } = await composeNotApplicationMail(rng.fork('mail'), plan);
    const { flags } = deriveFlags(plan, { pageLabels: null, imageOnly: [], reveals: [], cvIsEsor: null }, {});
    return {
      eml: raw,
      truth: {
        id, status: 'not_application', programme: null, flags, missing: [], pageLabels: [], sections: [], imageOnlyPages: [], facts: {},
        receivedAt, fault, variant, applicant: from, attachments: [],
      },
    };
  }

  const assembled = await assembleAttachments(rng.fork('assemble'), plan);
  const eml = await composeApplicationMail(rng.fork('mail'), plan, assembled.attachments);
  const facts = assembled.pageLabels ? mergeFacts(assembled.reveals) : {};
  const { flags, missing } = deriveFlags(plan, { pageLabels: assembled.pageLabels, imageOnly: assembled.imageOnly, reveals: assembled.reveals, cvIsEsor: assembled.cvIsEsor }, facts);
  const pageLabels = assembled.pageLabels ?? [];
  return {
    eml,
    truth: {
      id,
      status: deriveStatus(flags),
      programme: programmeOf(plan),
      flags,
      missing,
      pageLabels,
      sections: groupSections(pageLabels),
      imageOnlyPages: assembled.imageOnly.flatMap((scan, i) => (scan ? [i + 1] : [])),
      facts,
      receivedAt,
      fault,
      variant,
      applicant: { name: plan.senderName, email: applicant.email },
      attachments: assembled.attachments.map((att, i) => ({ filename: att.filename, contentType: att.contentType, ...(assembled.pdfPages.has(i) ? { pages: assembled.pdfPages.get(i) } : {}) })),
    },
  };
}

/**
 * Generates `count` cases into `outDir` and returns their truths.
 * @throws Error when the DejaVu fonts are missing (the message names the package to install)
 */
export async function generateCorpus(opts: GenerateOptions): Promise<CaseTruth[]> {
  const imageOnlyShare = opts.imageOnlyShare ?? 0.15;
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error(`count must be a non-negative integer, got ${opts.count}`);
  if (imageOnlyShare < 0 || imageOnlyShare > 1) throw new Error(`imageOnlyShare must be within [0, 1], got ${imageOnlyShare}`);
  loadDejaVuFonts(); // fail before writing anything
  mkdirSync(opts.outDir, { recursive: true });
  const scenarios = allocateScenarios(opts.count, new Rng(opts.seed).fork('allocation'));
  const truths: CaseTruth[] = [];
  const takenNames = new Set<string>();
  for (const [index, scenario] of scenarios.entries()) {
    const { eml, truth } = await generateCase(opts.seed, index, scenario, imageOnlyShare, takenNames);
    writeFileSync(path.join(opts.outDir, `${truth.id}.eml`), eml);
    writeFileSync(path.join(opts.outDir, `${truth.id}.truth.json`), `${JSON.stringify(truth, null, 2)}\n`);
    truths.push(truth);
  }
  const tally = (key: (t: CaseTruth) => string) => truths.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {});
  const index: CorpusIndex = {
    generator: 'esor-intake test/corpus/generate.ts',
    seed: opts.seed,
    count: opts.count,
    imageOnlyShare,
    scenarios: tally((t) => t.fault),
    statuses: tally((t) => t.status),
    cases: truths.map((t) => ({ id: t.id, status: t.status, fault: t.fault, variant: t.variant, eml: `${t.id}.eml`, truth: `${t.id}.truth.json` })),
  };
  writeFileSync(path.join(opts.outDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return truths;
}

async function runCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      count: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      'image-only-share': { type: 'string', default: '0.15' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.out) {
    process.stderr.write('usage: npx tsx test/corpus/generate.ts --out DIR [--count 200] [--seed 1] [--image-only-share 0.15]\n');
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const started = Date.now();
  const truths = await generateCorpus({ seed: Number(values.seed), count: Number(values.count), outDir: values.out, imageOnlyShare: Number(values['image-only-share']) });
  const statuses = truths.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.status]: (acc[t.status] ?? 0) + 1 }), {});
  process.stderr.write(`generated ${truths.length} cases in ${Date.now() - started} ms into ${values.out} (${Object.entries(statuses).map(([s, n]) => `${s} ${n}`).join(', ')})\n`);
}

if (require.main === module) {
  runCli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
