import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.join(__dirname, '../../fixtures/mail');
const MAX_FIXTURE_BYTES = 60 * 1024;

const emlFiles = readdirSync(FIXTURES).filter((name) => name.endsWith('.eml')).sort();

test('the README lists every fixture, and every listed fixture exists', () => {
  const readme = readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| `([^`]+\.eml)` \|/gm)].map((match) => match[1]).sort();
  expect(listed).toEqual(emlFiles);
});

test.each(emlFiles)('%s is under 60 KB', (name) => {
  expect(statSync(path.join(FIXTURES, name)).size).toBeLessThan(MAX_FIXTURE_BYTES);
});

test.each(emlFiles)('%s only uses example.* domains (synthetic data only)', (name) => {
  const text = readFileSync(path.join(FIXTURES, name), 'latin1');
  const domains = [...text.matchAll(/[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g)].map((match) => match[1]!.toLowerCase());
  for (const domain of domains) expect(domain).toMatch(/(^|\.)example\.[a-z.]+$/);
});
