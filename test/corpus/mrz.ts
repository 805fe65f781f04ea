/**
 * TD3 (passport) machine-readable zone per ICAO Doc 9303 part 4: two lines of
 * 44 characters with valid check digits, so that an MRZ reader in the triage
 * accepts the synthetic passports as it would real ones.
 */
import { asciiFold } from './people';
import type { Ymd } from './dates';
import { pad2 } from './dates';

const WEIGHTS = [7, 3, 1];

function valueOf(ch: string): number {
  if (ch === '<') return 0;
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  return ch.charCodeAt(0) - 55; // A=10 ... Z=35
}

export function computeCheckDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += valueOf(field[i]) * WEIGHTS[i % 3];
  return String(sum % 10);
}

/** ICAO transliteration, simplified: diacritics dropped, separators become '<'. */
export function toMrzName(value: string): string {
  return asciiFold(value)
    .toUpperCase()
    .replace(/['’]/g, '')
    .replace(/[^A-Z]+/g, '<')
    .replace(/^<+|<+$/g, '');
}

function padFiller(value: string, length: number): string {
  return (value + '<'.repeat(length)).slice(0, length);
}

function toMrzDate(date: Ymd): string {
  return `${pad2(date.y % 100)}${pad2(date.m)}${pad2(date.d)}`;
}

export interface Td3Input {
  issuingState: string; // ICAO code, 1-3 letters
  nationality: string;
  surnameLatin: string;
  givenNamesLatin: string;
  documentNumber: string;
  dob: Ymd;
  sex: 'F' | 'M';
  expiry: Ymd;
  personalNumber?: string;
}

export function buildTd3Mrz(input: Td3Input): [string, string] {
  const names = `${toMrzName(input.surnameLatin)}<<${toMrzName(input.givenNamesLatin)}`;
  const line1 = padFiller(`P<${padFiller(input.issuingState, 3)}${names}`, 44);
  const docNumber = padFiller(input.documentNumber.toUpperCase(), 9);
  const dob = toMrzDate(input.dob);
  const expiry = toMrzDate(input.expiry);
  const personal = padFiller((input.personalNumber ?? '').toUpperCase(), 14);
  // An all-filler optional field may carry '<' as its check digit (Doc 9303-4, 4.2.2).
  const personalCheck = /^<+$/.test(personal) ? '<' : computeCheckDigit(personal);
  const head = `${docNumber}${computeCheckDigit(docNumber)}${padFiller(input.nationality, 3)}${dob}${computeCheckDigit(dob)}${input.sex}${expiry}${computeCheckDigit(expiry)}${personal}${personalCheck}`;
  const composite = `${docNumber}${computeCheckDigit(docNumber)}${dob}${computeCheckDigit(dob)}${expiry}${computeCheckDigit(expiry)}${personal}${personalCheck}`;
  const line2 = `${head}${computeCheckDigit(composite)}`;
  return [line1, line2];
}
