// Fitting and checking the confidence calibration (used by bench/topics.mts): a logistic model of "placed right"
// on (best similarity, margin over the runner-up), fitted by gradient descent; checked by expected calibration
// error and by accuracy above and below 0.7 on data it was not fitted on.
import { calibratedConfidence, type Calibration } from '../src/core/topics/calibration';

export interface Observation {
  readonly best: number;
  readonly second: number;
  readonly correct: boolean;
}

/** Logistic regression by Newton's method (three parameters: converges in a few steps). */
export function fitCalibration(observations: readonly Observation[]): Calibration {
  let w = [0, 0, 0];
  for (let step = 0; step < 25; step++) {
    const g = [0, 0, 0];
    const h = [
      [1e-6, 0, 0],
      [0, 1e-6, 0],
      [0, 0, 1e-6],
    ];
    for (const o of observations) {
      const x = [o.best, o.best - o.second, 1];
      const p = 1 / (1 + Math.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])));
      for (let i = 0; i < 3; i++) {
        g[i] += (p - (o.correct ? 1 : 0)) * x[i];
        for (let j = 0; j < 3; j++) h[i][j] += p * (1 - p) * x[i] * x[j];
      }
    }
    const delta = solve3(h, g);
    w = w.map((value, i) => value - delta[i]);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return { similarity: round(w[0]), margin: round(w[1]), bias: round(w[2]) };
}

function solve3(a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    const pivot = [c, c + 1, c + 2].filter((r) => r < 3).sort((x, y) => Math.abs(m[y][c]) - Math.abs(m[x][c]))[0];
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < 3; r++)
      if (r !== c) {
        const f = m[r][c] / m[c][c];
        for (let k = c; k < 4; k++) m[r][k] -= f * m[c][k];
      }
  }
  return m.map((row, i) => row[3] / row[i]);
}

export function checkCalibration(observations: readonly Observation[], calibration: Calibration) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  const above = { n: 0, correct: 0 };
  const below = { n: 0, correct: 0 };
  for (const o of observations) {
    const p = calibratedConfidence(o.best, o.second, calibration);
    const bin = bins[Math.min(9, Math.floor(p * 10))];
    bin.n++;
    bin.confidence += p;
    bin.correct += o.correct ? 1 : 0;
    const side = p >= 0.7 ? above : below;
    side.n++;
    side.correct += o.correct ? 1 : 0;
  }
  const ece = bins.reduce((sum, bin) => sum + (bin.n === 0 ? 0 : (bin.n / observations.length) * Math.abs(bin.confidence / bin.n - bin.correct / bin.n)), 0);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    records: observations.length,
    ece: r(ece),
    accuracyAtOrAbove07: r(above.correct / Math.max(1, above.n)),
    shareAtOrAbove07: r(above.n / observations.length),
    accuracyBelow07: r(below.correct / Math.max(1, below.n)),
  };
}
