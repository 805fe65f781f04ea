/**
 * Whether a page is a doctor's registration or licence to practise that names no specialism: a medical
 * council's certificate of registration or of good standing, a chamber's register entry, a licence. Such
 * a page is no board certificate, wherever it stands. Applicants put one in the board certificate's place
 * when they have no specialist title (a Slovenian "potrdilo o vpisu v register zdravnikov" reading
 * "Strokovni naziv: doktor medicine", a GMC certificate with "Specialist Register: —", an Indian state
 * council's registration); read as the board certificate, its registration date became the certification
 * date and the office asked a person about a date, where the applicant should be told the certificate is
 * missing.
 *
 * A register prints its empty fields ("Specialist Register: —", "Especialidades registradas (RQE):
 * nenhuma") and a council may say what it does not certify ("It does not certify any specialist
 * qualification"): a specialism named only so is not named. Any other word of a specialism (specialist,
 * Facharzt, specializzazione, uzman, radiology...) keeps the page a possible board certificate: the
 * classifier's own vocabulary decides then, as for any page.
 */
import { compilePhrases, distinctMatches } from '../normalize';
import { compileWordStems, escapeRegExp, foldPhrases } from '../facts/text-fold';

/** The rule file's words (rules/common.yaml, classifier.doctor_registration). */
export interface RegistrationWords {
  registration: readonly string[];
  specialism: readonly string[];
  negations: readonly string[];
  empty_field: readonly string[];
}

export interface RegistrationMatcher {
  registration: RegExp | null;
  specialism: RegExp | null;
  /** A field whose label names a specialism and whose value is empty: the whole line. */
  emptyField: RegExp | null;
  /** A negation and, within a few words of the same sentence, a specialism word. */
  negated: RegExp | null;
}

/** How far after a negation its specialism word may stand ("does not certify any specialist"): words. */
const NEGATION_REACH = 5;
/** How long a field's label may run on after its specialism word ("Especialidades registradas (RQE)"). */
const MAX_LABEL_TAIL = 40;

export function compileRegistrationMatcher(w: RegistrationWords): RegistrationMatcher {
  const registration = compilePhrases(w.registration);
  if (foldPhrases(w.specialism).length === 0) return { registration, specialism: null, emptyField: null, negated: null };
  const specialism = compileWordStems(w.specialism, 20);
  const word = specialism.source;
  const empty = foldPhrases(w.empty_field).map(escapeRegExp);
  const negations = foldPhrases(w.negations).map(escapeRegExp);
  return {
    registration,
    specialism,
    // Bounded repetition only: linear on any line.
    emptyField: empty.length ? new RegExp(`^[^\\n:]{0,${MAX_LABEL_TAIL}}${word}[^\\n:]{0,${MAX_LABEL_TAIL}}:[ \\t]*(?:${empty.join('|')})[ \\t.]*$`, 'gmu') : null,
    negated: negations.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${negations.join('|')})(?![\\p{L}\\p{N}])(?:[^.\\n\\p{L}\\p{N}]{1,3}[\\p{L}\\p{N}]{1,30}){0,${NEGATION_REACH}}?[^.\\n\\p{L}\\p{N}]{1,3}${word}`, 'gu')
      : null,
  };
}

/** `folded`: the page's text as the classifier folds it (lower case, no accents, line breaks kept). */
export function isRegistrationOnly(folded: string, m: RegistrationMatcher): boolean {
  if (!m.registration || !m.specialism) return false;
  if (distinctMatches(m.registration, folded).length === 0) return false;
  let rest = folded;
  if (m.emptyField) rest = rest.replace(m.emptyField, '');
  if (m.negated) rest = rest.replace(m.negated, ' ');
  m.specialism.lastIndex = 0;
  return !m.specialism.test(rest);
}
