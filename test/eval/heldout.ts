/**
 * Where the held-out sets live: one folder per writer under
 * test/fixtures/heldout/, each with its .eml files and a truth.json whose
 * cases say which half they belong to (`tune` or `sealed`).
 *
 * A sealed half is measured once; after that it is open (OPENED below) and
 * may be tuned on like the rest, and a new writer's folder is the sealed set.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const HELDOUT_DIR = path.resolve(__dirname, '../fixtures/heldout');

/**
 * Writers' folders whose sealed half has been measured, with when and what it gave (the note of the
 * stop that measured it has the details). Their sealed cases are now `opened`, no longer `sealed`.
 */
export const OPENED: Readonly<Record<string, string>> = {
  a: '2026-12-04, with b: status 89.2 %, automatic verdicts 18 of 37 all right, no false complete',
  b: '2026-12-04, with a: status 89.2 %, automatic verdicts 18 of 37 all right, no false complete',
  c: '2026-12-04 (written after a and b were opened): status 75.0 %, automatic verdicts 15 of 36, 93.3 % right, 1 false complete',
  d: '2026-12-04, with e (47 sealed cases, --ocr): status 89.4 %, automatic verdicts 25 of 47, 96.0 % right, no false complete, no false missing',
  e: '2026-12-04, with d (47 sealed cases, --ocr): status 89.4 %, automatic verdicts 25 of 47, 96.0 % right, no false complete, no false missing',
  f: '2026-12-04, with g (43 sealed cases, --ocr): status 93.0 %, automatic verdicts 22 of 43, all right, no false complete, 1 false missing (f: status 91.3 %)',
  g: '2026-12-04, with f (43 sealed cases, --ocr): status 93.0 % (g: 95.0 %), facts on scanned pages 98.2 % of 57, automatic verdicts all right',
  h: '2026-12-05 at 37616c7, with i (36 sealed cases, --ocr): status 86.1 %, automatic verdicts 24 of 36, 87.5 % right, 1 false complete, 1 false missing; facts on scanned pages 86.4 % of 22',
  i: '2026-12-05 at 37616c7, with h (36 sealed cases, --ocr): status 86.1 %, automatic verdicts 24 of 36, 87.5 % right, 1 false complete, 1 false missing; facts on scanned pages 86.4 % of 22',
  j: '2026-12-05 at c9eef0a, with k (40 sealed cases, --ocr): status 82.5 % (j 90.0 %, k 75.0 %), automatic verdicts 16 of 40, 93.8 % right, no false complete, 2 false missing; facts on scanned pages 95.5 % of 67',
  k: '2026-12-05 at c9eef0a, with j (40 sealed cases, --ocr): status 82.5 % (j 90.0 %, k 75.0 %), automatic verdicts 16 of 40, 93.8 % right, no false complete, 2 false missing; facts on scanned pages 95.5 % of 67',
  l: '2026-12-05 at 9690258, with m (36 sealed cases, --ocr): status 88.9 % (l 94.4 %, m 83.3 %), automatic verdicts 15 of 36, 93.3 % right, 1 false complete (l34, two programmes), no false missing; facts on scanned pages 100 % of 11',
  m: '2026-12-05 at 9690258, with l (36 sealed cases, --ocr): status 88.9 % (l 94.4 %, m 83.3 %), automatic verdicts 15 of 36, 93.3 % right, 1 false complete (l34, two programmes), no false missing; facts on scanned pages 100 % of 11',
  n: '2026-12-05 at 4227625, with o, p, q, s (98 sealed cases, --ocr): status 81.6 % (n 100, o 65.0, p 80.0, q 80.0, s 84.2), automatic verdicts 42 of 98, 88.1 % right, 3 false complete (o34 sender, p10, p14), 1 false missing (o12); facts on scanned pages 89.4 % of 161',
  o: '2026-12-05 at 4227625, with n, p, q, s (98 sealed cases, --ocr): status 81.6 % (n 100, o 65.0, p 80.0, q 80.0, s 84.2), automatic verdicts 42 of 98, 88.1 % right, 3 false complete (o34 sender, p10, p14), 1 false missing (o12); facts on scanned pages 89.4 % of 161',
  p: '2026-12-05 at 4227625, with n, o, q, s (98 sealed cases, --ocr): status 81.6 % (n 100, o 65.0, p 80.0, q 80.0, s 84.2), automatic verdicts 42 of 98, 88.1 % right, 3 false complete (o34 sender, p10, p14), 1 false missing (o12); facts on scanned pages 89.4 % of 161',
  q: '2026-12-05 at 4227625, with n, o, p, s (98 sealed cases, --ocr): status 81.6 % (n 100, o 65.0, p 80.0, q 80.0, s 84.2), automatic verdicts 42 of 98, 88.1 % right, 3 false complete (o34 sender, p10, p14), 1 false missing (o12); facts on scanned pages 89.4 % of 161',
  s: '2026-12-05 at 4227625, with n, o, p, q (98 sealed cases, --ocr): status 81.6 % (n 100, o 65.0, p 80.0, q 80.0, s 84.2), automatic verdicts 42 of 98, 88.1 % right, 3 false complete (o34 sender, p10, p14), 1 false missing (o12); facts on scanned pages 89.4 % of 161',
  r: '2026-12-05 at 9deda74, alone (20 sealed cases, --ocr): status 95.0 %, automatic verdicts 13 of 20, all right, no false complete, no false missing; facts on scanned pages 100 % of 13',
  t: '2026-12-05 at bcdbbf8, with u, v, w, x, y (120 sealed cases, --ocr): status 90.0 % (t 94.7, u 95.0, v 95.2, w 75.0, x 95.0, y 85.0), automatic verdicts 55 of 120, 96.4 % right, 2 false complete (t12 the office server Received header vs the Date header, w30 abstracts counted as publications), no false missing; facts on scanned pages 100 % of 84',
  u: '2026-12-05 at bcdbbf8, with t, v, w, x, y (120 sealed cases, --ocr): status 90.0 % (t 94.7, u 95.0, v 95.2, w 75.0, x 95.0, y 85.0), automatic verdicts 55 of 120, 96.4 % right, 2 false complete (t12 the office server Received header vs the Date header, w30 abstracts counted as publications), no false missing; facts on scanned pages 100 % of 84',
  v: '2026-12-05 at bcdbbf8, with t, u, w, x, y (120 sealed cases, --ocr): status 90.0 % (t 94.7, u 95.0, v 95.2, w 75.0, x 95.0, y 85.0), automatic verdicts 55 of 120, 96.4 % right, 2 false complete (t12 the office server Received header vs the Date header, w30 abstracts counted as publications), no false missing; facts on scanned pages 100 % of 84',
  w: '2026-12-05 at bcdbbf8, with t, u, v, x, y (120 sealed cases, --ocr): status 90.0 % (t 94.7, u 95.0, v 95.2, w 75.0, x 95.0, y 85.0), automatic verdicts 55 of 120, 96.4 % right, 2 false complete (t12 the office server Received header vs the Date header, w30 abstracts counted as publications), no false missing; facts on scanned pages 100 % of 84',
  x: '2026-12-05 at bcdbbf8, with t, u, v, w, y (120 sealed cases, --ocr): status 90.0 % (t 94.7, u 95.0, v 95.2, w 75.0, x 95.0, y 85.0), automatic verdicts 55 of 120, 96.4 % right, 2 false complete (t12 the office server Received header vs the Date header, w30 abstracts counted as publications), no false missing; facts on scanned pages 100 % of 84',
  y: '2026-12-05 at bcdbbf8, with t, u, v, w, x (120 sealed cases, --ocr): status 90.0 % (t 94.7, u 95.0, v 95.2, w 75.0, x 95.0, y 85.0), automatic verdicts 55 of 120, 96.4 % right, 2 false complete (t12 the office server Received header vs the Date header, w30 abstracts counted as publications), no false missing; facts on scanned pages 100 % of 84',
  z: '2026-12-05 at 9ef6ca6, with aa, ab, ac, ad, ae (121 sealed cases, --ocr): status 94.2 % (z 85.0, aa 90.0, ab 100, ac 95.0, ad 95.0, ae 100), automatic verdicts 72 of 121, all right, no false complete, no false missing; facts on scanned pages 100 % of 132',
  aa: '2026-12-05 at 9ef6ca6, with z, ab, ac, ad, ae (121 sealed cases, --ocr): status 94.2 % (z 85.0, aa 90.0, ab 100, ac 95.0, ad 95.0, ae 100), automatic verdicts 72 of 121, all right, no false complete, no false missing; facts on scanned pages 100 % of 132',
  ab: '2026-12-05 at 9ef6ca6, with z, aa, ac, ad, ae (121 sealed cases, --ocr): status 94.2 % (z 85.0, aa 90.0, ab 100, ac 95.0, ad 95.0, ae 100), automatic verdicts 72 of 121, all right, no false complete, no false missing; facts on scanned pages 100 % of 132',
  ac: '2026-12-05 at 9ef6ca6, with z, aa, ab, ad, ae (121 sealed cases, --ocr): status 94.2 % (z 85.0, aa 90.0, ab 100, ac 95.0, ad 95.0, ae 100), automatic verdicts 72 of 121, all right, no false complete, no false missing; facts on scanned pages 100 % of 132',
  ad: '2026-12-05 at 9ef6ca6, with z, aa, ab, ac, ae (121 sealed cases, --ocr): status 94.2 % (z 85.0, aa 90.0, ab 100, ac 95.0, ad 95.0, ae 100), automatic verdicts 72 of 121, all right, no false complete, no false missing; facts on scanned pages 100 % of 132',
  ae: '2026-12-05 at 9ef6ca6, with z, aa, ab, ac, ad (121 sealed cases, --ocr): status 94.2 % (z 85.0, aa 90.0, ab 100, ac 95.0, ad 95.0, ae 100), automatic verdicts 72 of 121, all right, no false complete, no false missing; facts on scanned pages 100 % of 132',
  af: '2026-12-06 at 6db9b05, with ag, ah, ai, aj, ak (120 sealed cases, --ocr): status 91.7 % (af 100, ag 85.0, ah 80.0, ai 95.0, aj 95.0, ak 95.0), automatic verdicts 71 of 120, 97.2 % right, 2 false complete (ai26 publications counted 6 for 4, ak28 no programme named), no false missing; facts on scanned pages 97.8 % of 136',
  ag: '2026-12-06 at 6db9b05, with af, ah, ai, aj, ak (120 sealed cases, --ocr): status 91.7 % (af 100, ag 85.0, ah 80.0, ai 95.0, aj 95.0, ak 95.0), automatic verdicts 71 of 120, 97.2 % right, 2 false complete (ai26 publications counted 6 for 4, ak28 no programme named), no false missing; facts on scanned pages 97.8 % of 136',
  ah: '2026-12-06 at 6db9b05, with af, ag, ai, aj, ak (120 sealed cases, --ocr): status 91.7 % (af 100, ag 85.0, ah 80.0, ai 95.0, aj 95.0, ak 95.0), automatic verdicts 71 of 120, 97.2 % right, 2 false complete (ai26 publications counted 6 for 4, ak28 no programme named), no false missing; facts on scanned pages 97.8 % of 136',
  ai: '2026-12-06 at 6db9b05, with af, ag, ah, aj, ak (120 sealed cases, --ocr): status 91.7 % (af 100, ag 85.0, ah 80.0, ai 95.0, aj 95.0, ak 95.0), automatic verdicts 71 of 120, 97.2 % right, 2 false complete (ai26 publications counted 6 for 4, ak28 no programme named), no false missing; facts on scanned pages 97.8 % of 136',
  aj: '2026-12-06 at 6db9b05, with af, ag, ah, ai, ak (120 sealed cases, --ocr): status 91.7 % (af 100, ag 85.0, ah 80.0, ai 95.0, aj 95.0, ak 95.0), automatic verdicts 71 of 120, 97.2 % right, 2 false complete (ai26 publications counted 6 for 4, ak28 no programme named), no false missing; facts on scanned pages 97.8 % of 136',
  ak: '2026-12-06 at 6db9b05, with af, ag, ah, ai, aj (120 sealed cases, --ocr): status 91.7 % (af 100, ag 85.0, ah 80.0, ai 95.0, aj 95.0, ak 95.0), automatic verdicts 71 of 120, 97.2 % right, 2 false complete (ai26 publications counted 6 for 4, ak28 no programme named), no false missing; facts on scanned pages 97.8 % of 136',
  al: '2026-12-06 at 35e0643, with am, an, ao, ap, aq (121 sealed cases, --ocr): status 88.4 % (al 80.0, am 85.0, an 100, ao 90.0, ap 90.5, aq 85.0), automatic verdicts 52 of 121, 96.2 % right, 2 false complete (al34 a registration taken for the board certificate, ap06 publications counted 5 for 4), no false missing; facts on scanned pages 84.8 % of 184',
  am: '2026-12-06 at 35e0643, with al, an, ao, ap, aq (121 sealed cases, --ocr): status 88.4 % (al 80.0, am 85.0, an 100, ao 90.0, ap 90.5, aq 85.0), automatic verdicts 52 of 121, 96.2 % right, 2 false complete (al34 a registration taken for the board certificate, ap06 publications counted 5 for 4), no false missing; facts on scanned pages 84.8 % of 184',
  an: '2026-12-06 at 35e0643, with al, am, ao, ap, aq (121 sealed cases, --ocr): status 88.4 % (al 80.0, am 85.0, an 100, ao 90.0, ap 90.5, aq 85.0), automatic verdicts 52 of 121, 96.2 % right, 2 false complete (al34 a registration taken for the board certificate, ap06 publications counted 5 for 4), no false missing; facts on scanned pages 84.8 % of 184',
  ao: '2026-12-06 at 35e0643, with al, am, an, ap, aq (121 sealed cases, --ocr): status 88.4 % (al 80.0, am 85.0, an 100, ao 90.0, ap 90.5, aq 85.0), automatic verdicts 52 of 121, 96.2 % right, 2 false complete (al34 a registration taken for the board certificate, ap06 publications counted 5 for 4), no false missing; facts on scanned pages 84.8 % of 184',
  ap: '2026-12-06 at 35e0643, with al, am, an, ao, aq (121 sealed cases, --ocr): status 88.4 % (al 80.0, am 85.0, an 100, ao 90.0, ap 90.5, aq 85.0), automatic verdicts 52 of 121, 96.2 % right, 2 false complete (al34 a registration taken for the board certificate, ap06 publications counted 5 for 4), no false missing; facts on scanned pages 84.8 % of 184',
  aq: '2026-12-06 at 35e0643, with al, am, an, ao, ap (121 sealed cases, --ocr): status 88.4 % (al 80.0, am 85.0, an 100, ao 90.0, ap 90.5, aq 85.0), automatic verdicts 52 of 121, 96.2 % right, 2 false complete (al34 a registration taken for the board certificate, ap06 publications counted 5 for 4), no false missing; facts on scanned pages 84.8 % of 184',
  ar: '2026-12-06 at 66b1c5a, with as, at, au, av, aw (123 sealed cases, --ocr): status 90.2 % (ar 95.0, as 85.7, at 95.2, au 90.5, av 95.0, aw 80.0), automatic verdicts 55 of 123, 96.4 % right, 1 false complete (au14 language unverified), 2 false missing; facts on scanned pages 91.7 % of 144',
  as: '2026-12-06 at 66b1c5a, with ar, at, au, av, aw (123 sealed cases, --ocr): status 90.2 % (ar 95.0, as 85.7, at 95.2, au 90.5, av 95.0, aw 80.0), automatic verdicts 55 of 123, 96.4 % right, 1 false complete (au14 language unverified), 2 false missing; facts on scanned pages 91.7 % of 144',
  at: '2026-12-06 at 66b1c5a, with ar, as, au, av, aw (123 sealed cases, --ocr): status 90.2 % (ar 95.0, as 85.7, at 95.2, au 90.5, av 95.0, aw 80.0), automatic verdicts 55 of 123, 96.4 % right, 1 false complete (au14 language unverified), 2 false missing; facts on scanned pages 91.7 % of 144',
  au: '2026-12-06 at 66b1c5a, with ar, as, at, av, aw (123 sealed cases, --ocr): status 90.2 % (ar 95.0, as 85.7, at 95.2, au 90.5, av 95.0, aw 80.0), automatic verdicts 55 of 123, 96.4 % right, 1 false complete (au14 language unverified), 2 false missing; facts on scanned pages 91.7 % of 144',
  av: '2026-12-06 at 66b1c5a, with ar, as, at, au, aw (123 sealed cases, --ocr): status 90.2 % (ar 95.0, as 85.7, at 95.2, au 90.5, av 95.0, aw 80.0), automatic verdicts 55 of 123, 96.4 % right, 1 false complete (au14 language unverified), 2 false missing; facts on scanned pages 91.7 % of 144',
  aw: '2026-12-06 at 66b1c5a, with ar, as, at, au, av (123 sealed cases, --ocr): status 90.2 % (ar 95.0, as 85.7, at 95.2, au 90.5, av 95.0, aw 80.0), automatic verdicts 55 of 123, 96.4 % right, 1 false complete (au14 language unverified), 2 false missing; facts on scanned pages 91.7 % of 144',
  ax: '2026-12-06 at d798eec, with ay, az, ba, bb, bc (122 sealed cases, --ocr): status 93.4 % (ax 95.0, ay 81.0, az 90.0, ba 100, bb 95.0, bc 100), automatic verdicts 59 of 122, all right, no false complete, no false missing among them; facts on scanned pages 95.0 % of 161',
  ay: '2026-12-06 at d798eec, with ax, az, ba, bb, bc (122 sealed cases, --ocr): status 93.4 % (ax 95.0, ay 81.0, az 90.0, ba 100, bb 95.0, bc 100), automatic verdicts 59 of 122, all right, no false complete, no false missing among them; facts on scanned pages 95.0 % of 161',
  az: '2026-12-06 at d798eec, with ax, ay, ba, bb, bc (122 sealed cases, --ocr): status 93.4 % (ax 95.0, ay 81.0, az 90.0, ba 100, bb 95.0, bc 100), automatic verdicts 59 of 122, all right, no false complete, no false missing among them; facts on scanned pages 95.0 % of 161',
  ba: '2026-12-06 at d798eec, with ax, ay, az, bb, bc (122 sealed cases, --ocr): status 93.4 % (ax 95.0, ay 81.0, az 90.0, ba 100, bb 95.0, bc 100), automatic verdicts 59 of 122, all right, no false complete, no false missing among them; facts on scanned pages 95.0 % of 161',
  bb: '2026-12-06 at d798eec, with ax, ay, az, ba, bc (122 sealed cases, --ocr): status 93.4 % (ax 95.0, ay 81.0, az 90.0, ba 100, bb 95.0, bc 100), automatic verdicts 59 of 122, all right, no false complete, no false missing among them; facts on scanned pages 95.0 % of 161',
  bc: '2026-12-06 at d798eec, with ax, ay, az, ba, bb (122 sealed cases, --ocr): status 93.4 % (ax 95.0, ay 81.0, az 90.0, ba 100, bb 95.0, bc 100), automatic verdicts 59 of 122, all right, no false complete, no false missing among them; facts on scanned pages 95.0 % of 161',
  bd: '2026-12-06 at 758906c, with be, bf, bg, bh, bi (123 sealed cases, --ocr): status 91.9 % (bd 90.0, be 85.7, bf 100, bg 100, bh 90.5, bi 85.0), automatic verdicts 55 of 123, all right, no false complete, no false missing; facts on scanned pages 89.5 % of 133',
  be: '2026-12-06 at 758906c, with bd, bf, bg, bh, bi (123 sealed cases, --ocr): status 91.9 % (bd 90.0, be 85.7, bf 100, bg 100, bh 90.5, bi 85.0), automatic verdicts 55 of 123, all right, no false complete, no false missing; facts on scanned pages 89.5 % of 133',
  bf: '2026-12-06 at 758906c, with bd, be, bg, bh, bi (123 sealed cases, --ocr): status 91.9 % (bd 90.0, be 85.7, bf 100, bg 100, bh 90.5, bi 85.0), automatic verdicts 55 of 123, all right, no false complete, no false missing; facts on scanned pages 89.5 % of 133',
  bg: '2026-12-06 at 758906c, with bd, be, bf, bh, bi (123 sealed cases, --ocr): status 91.9 % (bd 90.0, be 85.7, bf 100, bg 100, bh 90.5, bi 85.0), automatic verdicts 55 of 123, all right, no false complete, no false missing; facts on scanned pages 89.5 % of 133',
  bh: '2026-12-06 at 758906c, with bd, be, bf, bg, bi (123 sealed cases, --ocr): status 91.9 % (bd 90.0, be 85.7, bf 100, bg 100, bh 90.5, bi 85.0), automatic verdicts 55 of 123, all right, no false complete, no false missing; facts on scanned pages 89.5 % of 133',
  bi: '2026-12-06 at 758906c, with bd, be, bf, bg, bh (123 sealed cases, --ocr): status 91.9 % (bd 90.0, be 85.7, bf 100, bg 100, bh 90.5, bi 85.0), automatic verdicts 55 of 123, all right, no false complete, no false missing; facts on scanned pages 89.5 % of 133',
  bj: '2026-12-06 at 2b00ed3, with bk, bl, bm, bn, bo (122 sealed cases, --ocr): status 92.6 % (bj 95.0, bk 95.0, bl 90.5, bm 90.0, bn 95.2, bo 90.0), automatic verdicts 62 of 122, 91.9 % right, 4 false complete (bj40 a translation taken for the missing degree, bl28 an exam registration read as a level, bm40 two programmes, bn28 a CV split by the letter), 1 false missing (bk10 a specialist certificate read as a degree); facts on scanned pages 97.1 % of 139',
  bk: '2026-12-06 at 2b00ed3, with bj, bl, bm, bn, bo (122 sealed cases, --ocr): status 92.6 % (bj 95.0, bk 95.0, bl 90.5, bm 90.0, bn 95.2, bo 90.0), automatic verdicts 62 of 122, 91.9 % right, 4 false complete (bj40 a translation taken for the missing degree, bl28 an exam registration read as a level, bm40 two programmes, bn28 a CV split by the letter), 1 false missing (bk10 a specialist certificate read as a degree); facts on scanned pages 97.1 % of 139',
  bl: '2026-12-06 at 2b00ed3, with bj, bk, bm, bn, bo (122 sealed cases, --ocr): status 92.6 % (bj 95.0, bk 95.0, bl 90.5, bm 90.0, bn 95.2, bo 90.0), automatic verdicts 62 of 122, 91.9 % right, 4 false complete (bj40 a translation taken for the missing degree, bl28 an exam registration read as a level, bm40 two programmes, bn28 a CV split by the letter), 1 false missing (bk10 a specialist certificate read as a degree); facts on scanned pages 97.1 % of 139',
  bm: '2026-12-06 at 2b00ed3, with bj, bk, bl, bn, bo (122 sealed cases, --ocr): status 92.6 % (bj 95.0, bk 95.0, bl 90.5, bm 90.0, bn 95.2, bo 90.0), automatic verdicts 62 of 122, 91.9 % right, 4 false complete (bj40 a translation taken for the missing degree, bl28 an exam registration read as a level, bm40 two programmes, bn28 a CV split by the letter), 1 false missing (bk10 a specialist certificate read as a degree); facts on scanned pages 97.1 % of 139',
  bn: '2026-12-06 at 2b00ed3, with bj, bk, bl, bm, bo (122 sealed cases, --ocr): status 92.6 % (bj 95.0, bk 95.0, bl 90.5, bm 90.0, bn 95.2, bo 90.0), automatic verdicts 62 of 122, 91.9 % right, 4 false complete (bj40 a translation taken for the missing degree, bl28 an exam registration read as a level, bm40 two programmes, bn28 a CV split by the letter), 1 false missing (bk10 a specialist certificate read as a degree); facts on scanned pages 97.1 % of 139',
  bo: '2026-12-06 at 2b00ed3, with bj, bk, bl, bm, bn (122 sealed cases, --ocr): status 92.6 % (bj 95.0, bk 95.0, bl 90.5, bm 90.0, bn 95.2, bo 90.0), automatic verdicts 62 of 122, 91.9 % right, 4 false complete (bj40 a translation taken for the missing degree, bl28 an exam registration read as a level, bm40 two programmes, bn28 a CV split by the letter), 1 false missing (bk10 a specialist certificate read as a degree); facts on scanned pages 97.1 % of 139',
};

export type HeldOutSet = 'tune' | 'opened' | 'sealed';

/** Whether a case of `folder` with `half` belongs to `set`. */
export function inSet(set: HeldOutSet, folder: string, half: string | undefined): boolean {
  const opened = path.basename(folder) in OPENED;
  if (set === 'tune') return half === 'tune';
  if (set === 'opened') return half === 'sealed' && opened;
  return half === 'sealed' && !opened;
}

/** The writers' folders that hold a truth.json, in name order. */
export function heldOutDirs(): string[] {
  if (!existsSync(HELDOUT_DIR)) return [];
  return readdirSync(HELDOUT_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(HELDOUT_DIR, d.name, 'truth.json')))
    .map((d) => path.join(HELDOUT_DIR, d.name))
    .sort();
}
