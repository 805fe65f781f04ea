/**
 * Log-space Viterbi and forward-backward over a small dense model. The
 * models here have at most a few dozen states, so dense matrices are the
 * simplest and fastest form.
 */

export interface Model {
  /** start[s]: log-potential of starting in s. */
  start: number[];
  /** trans[a][b]: log-potential of going from a to b (-Infinity when forbidden). */
  trans: number[][];
  /** end[s]: log-potential of ending in s. */
  end: number[];
}

/**
 * The best state path and its total log-potential. `emit[t][s]` is the
 * emission of step t in state s; `change[t]` is added to any transition into
 * step t that changes state (evidence that something new starts there).
 */
export function decodeViterbi(model: Model, emit: number[][], change?: number[]): { path: number[]; score: number } {
  const n = model.start.length;
  const T = emit.length;
  if (T === 0) return { path: [], score: 0 };
  let delta = model.start.map((v, s) => v + emit[0]![s]!);
  const back: Int16Array[] = [];
  for (let t = 1; t < T; t++) {
    const next = new Array<number>(n).fill(-Infinity);
    const from = new Int16Array(n);
    for (let b = 0; b < n; b++) {
      let best = -Infinity;
      let arg = 0;
      const bonus = change?.[t] ?? 0;
      for (let a = 0; a < n; a++) {
        const v = delta[a]! + model.trans[a]![b]! + (a === b ? 0 : bonus);
        if (v > best) {
          best = v;
          arg = a;
        }
      }
      next[b] = best + emit[t]![b]!;
      from[b] = arg;
    }
    back.push(from);
    delta = next;
  }
  let best = -Infinity;
  let last = 0;
  for (let s = 0; s < n; s++) {
    const v = delta[s]! + model.end[s]!;
    if (v > best) {
      best = v;
      last = s;
    }
  }
  const path = new Array<number>(T);
  path[T - 1] = last;
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t - 1]![path[t]!]!;
  return { path, score: best };
}

/** Posterior probability of each state at each step (same arguments as decodeViterbi). */
export function computePosteriors(model: Model, emit: number[][], change?: number[]): number[][] {
  const n = model.start.length;
  const T = emit.length;
  if (T === 0) return [];
  const alpha: number[][] = [model.start.map((v, s) => v + emit[0]![s]!)];
  for (let t = 1; t < T; t++) {
    const row = new Array<number>(n);
    for (let b = 0; b < n; b++) {
      const terms = new Array<number>(n);
      const bonus = change?.[t] ?? 0;
      for (let a = 0; a < n; a++) terms[a] = alpha[t - 1]![a]! + model.trans[a]![b]! + (a === b ? 0 : bonus);
      row[b] = logSumExp(terms) + emit[t]![b]!;
    }
    alpha.push(row);
  }
  const beta: number[][] = new Array(T);
  beta[T - 1] = model.end.slice();
  for (let t = T - 2; t >= 0; t--) {
    const row = new Array<number>(n);
    for (let a = 0; a < n; a++) {
      const terms = new Array<number>(n);
      const bonus = change?.[t + 1] ?? 0;
      for (let b = 0; b < n; b++) terms[b] = model.trans[a]![b]! + (a === b ? 0 : bonus) + emit[t + 1]![b]! + beta[t + 1]![b]!;
      row[a] = logSumExp(terms);
    }
    beta[t] = row;
  }
  return alpha.map((row, t) => {
    const joint = row.map((v, s) => v + beta[t]![s]!);
    const z = logSumExp(joint);
    return joint.map((v) => Math.exp(v - z));
  });
}

export function logSumExp(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  if (m === -Infinity) return -Infinity;
  let sum = 0;
  for (const x of xs) sum += Math.exp(x - m);
  return m + Math.log(sum);
}
