/**
 * A doctor's registration or licence that names no specialism is no board certificate: applicants who
 * have no specialist title put one in its place (held-out writers al, aa, f). Told apart by the words of
 * rules/common.yaml (classifier.doctor_registration); synthetic texts in the documents' own wording.
 */
import path from 'node:path';
import { loadRules } from '../../../adapters/rules-loader';
import { compileRegistrationMatcher, isRegistrationOnly } from '../../../core/analyse/registration-only';
import { foldText } from '../../../core/normalize';
import { compileTriageRules, triageApplication, type TriageInput } from '../../../core/triage/triage-application';
import type { PageText } from '../../../core/types';

const RULES = loadRules(path.resolve(__dirname, '../../../rules'));
const MATCHER = compileRegistrationMatcher(RULES.common.classifier.doctor_registration);
const registrationOnly = (text: string) => isRegistrationOnly(foldText(text), MATCHER);

const GMC = 'GENERAL MEDICAL COUNCIL\nCertificate of Registration\nRegistered with a licence to practise\nName: Dr Test Example\nDate of full registration: 06 August 2014\nSpecialist Register: —\nGP Register: —';
const SLOVENIAN = 'ZDRAVNIŠKA ZBORNICA SLOVENIJE\nPOTRDILO O VPISU V REGISTER ZDRAVNIKOV\nvpisan(a) v register zdravnikov z dnem 14. 11. 2013.\nStrokovni naziv: doktor medicine\nLicenca: veljavna do 13. 11. 2027';
const GOOD_STANDING = 'MEDICAL AND DENTAL COUNCIL\nCERTIFICATE OF GOOD STANDING\nThis is to certify that Dr. Test has been registered with this Council as a Medical Practitioner since 14.03.2012.\nIt does not certify any specialist qualification.';
const BRAZIL = 'CONSELHO REGIONAL DE MEDICINA\nCERTIDÃO DE INSCRIÇÃO\nencontra-se inscrito(a) neste Conselho desde 22/06/2014, habilitado(a) ao exercício da Medicina.\nEspecialidades registradas (RQE): nenhuma';

describe('a registration that names no specialism', () => {
  it.each([['GMC, empty specialist register', GMC], ['Slovenian chamber', SLOVENIAN], ['good standing, specialism denied', GOOD_STANDING], ['Brazilian CRM, no RQE', BRAZIL]])('%s', (_, text) => {
    expect(registrationOnly(text)).toBe(true);
  });

  it.each([
    ['a specialist registration', 'GENERAL MEDICAL COUNCIL\nCertificate of Registration\nSpecialist Register: Clinical radiology, entered 02 March 2019'],
    ['a register entry with its speciality', 'ÄRZTEKAMMER\nEintragung in die Ärzteliste\nFachärztin für Radiologie seit 01.04.2019'],
    ['a council registering a specialist degree', 'MEDICAL COUNCIL\nCertificate of Registration of Additional Qualification\nM.D. (Radio-Diagnosis), registered on 12.07.2018'],
    ['a specialism after a number, not a negation', 'MEDICAL COUNCIL\nRegistration No. 12345\nSpecialist in diagnostic radiology since 2019'],
    ['a specialist title without any registration words', 'DIPLOMA DI SPECIALIZZAZIONE IN RADIODIAGNOSTICA\nconseguito il 12 novembre 2019'],
  ])('not %s', (_, text) => {
    expect(registrationOnly(text)).toBe(false);
  });
});

describe('in the board certificate\'s place', () => {
  const rules = compileTriageRules(RULES);
  const page = (num: number, text: string): PageText => ({ num, text, imageOnly: false });
  const pages = (board: string, ocr = false): PageText[] => [
    page(1, 'Letter of motivation\nDear members of the selection committee,\nI am writing to apply for the ESOR fellowship in Hybrid Imaging in Oncology at Gustave Roussy. My previous experience in oncologic imaging is broad.\nSincerely, Dr. Test'),
    page(2, 'ESOR Curriculum Vitae\nSurname: Test\nFirst name: Ana\nDate of birth: 01.02.1988\nNationality: British\nCountry of residence: United Kingdom\nCurrent position: Radiologist\nInstitution: Hospital Example\nCity: Leeds\nCountry: United Kingdom\nDate of board certification: 12.05.2020\nESR membership number: 123456\nLanguages: English C2, French B2\nEducation: MB ChB\nProfessional experience: radiology'),
    page(3, 'Letter of recommendation\nTo whom it may concern,\nI am pleased to recommend Dr. Test, who has worked in our department since 2016.\nProf. Example, Head of the Department of Radiology'),
    { ...page(4, board), ...(ocr ? { ocr: true } : {}) },
    page(5, 'University of Example\nBachelor of Medicine and Bachelor of Surgery (MB ChB)\nThe degree was conferred on Ana Test on 1 July 2012.'),
    page(6, 'Cambridge English C2 Proficiency\nCommon European Framework of Reference level C2\nDiplôme d\'études en langue française DELF B2\nniveau B2 du Cadre européen commun de référence'),
    page(7, 'List of five most important publications\n1. Test A, Example B. PET/CT in lymphoma. Eur Radiol. 2019;29(3):1-8. doi:10.1000/er.2019.1\n2. Test A, et al. Hybrid imaging. Radiology. 2020;295:10-18. doi:10.1000/rad.2020.2\n3. Test A, et al. PET/MR. Insights Imaging. 2018;9:5-9. PMID: 12345678\n4. Test A, et al. Staging. Eur J Radiol. 2021;130:1-5. doi:10.1000/ejr.2021.4\n5. Test A, et al. Response. Cancer Imaging. 2017;17:2. doi:10.1000/ci.2017.5'),
    page(8, 'List of references\nThe following persons have agreed to be contacted:\n1. Prof. One, Head of Radiology, one@example.org, +44 113 000 0000\n2. Dr. Two, Nuclear Medicine, two@example.org, +44 113 000 0001'),
    page(9, 'European Society of Radiology\nESR membership confirmation\nMembership number 123456\nFull membership 2021, fee paid for 2021.'),
    page(10, 'Passport\nP<GBRTEST<<ANA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nAB12345674GBR8802011F2905306<<<<<<<<<<<<<<06'),
  ];
  const triage = (board: string, ocr = false) => {
    const input: TriageInput = {
      mail: { subject: 'Application: ESOR fellowship Hybrid Imaging in Oncology, Gustave Roussy', text: 'Please find my application attached.', from: { email: 'ana@example.test' }, otherAttachments: [] },
      receivedAt: new Date('2021-03-01T10:00:00Z'),
      pdfs: [{ filename: 'application.pdf', pages: pages(board, ocr) }],
    };
    return triageApplication(input, rules);
  };

  it('is a page nobody asked for, and the board certificate is missing: the applicant is told, no date is asked about', () => {
    const d = triage(GMC);
    expect(d.segmentation!.labels[3]).toBe('other');
    expect(d.result.status).toBe('incomplete');
    expect(d.result.missing).toEqual(['board_certificate']);
    expect(d.result.flags.map((f) => f.code)).not.toContain('board_certification_unverified');
  });

  it('is not lifted back by a title it shares with degrees and specialist approvals (a Norwegian licence)', () => {
    const norwegian = 'HELSEDIREKTORATET\nAUTORISASJON SOM LEGE\nBekreftelse på autorisasjon\nNavn: Lars Test\nFødselsdato: 14.05.1988\nHPR-nummer: 9123456\nAutorisasjon som lege fra: 01.08.2014\nLisens: —\nSpesialistgodkjenning: —\nRegistrert i Helsepersonellregisteret (HPR).';
    const d = triage(norwegian);
    expect(d.segmentation!.labels[3]).not.toBe('board_certificate');
    expect(d.result.missing).toEqual(['board_certificate']);
    expect(d.result.status).not.toBe('complete');
  });

  it('read by OCR, it stays where it stands: a misread word may be the one that named the specialism', () => {
    const d = triage(GMC, true);
    expect(d.segmentation!.labels[3]).toBe('board_certificate');
    expect(d.result.missing).toEqual([]);
  });
});
