/**
 * Confidence = a logistic function of the best similarity and its margin over the runner-up, fitted so that it
 * reads as the probability the placement is right. Fitted with `npm run -s bench:topics` (the "calibration" part):
 * correctness is whether the record's true intent is the majority intent of its topic, on CLINC150; checked on
 * BANKING77, where they were not fitted (the bench's `calibration` output: ECE and accuracy above/below 0.7).
 * Text-matched topics: intent names as hand-made topics, fitted on BANKING77, checked on CLINC150.
 */
export interface Calibration {
  readonly similarity: number;
  readonly margin: number;
  readonly bias: number;
}

/** Records against topic centroids (auto topics). */
export const CENTROID_CALIBRATION: Calibration = { similarity: 0.83, margin: 3.18, bias: -0.95 };
/** Records against the text of a topic (name, description, keywords): template and hand-made topics. */
export const DESCRIPTION_CALIBRATION: Calibration = { similarity: 1.59, margin: 5.26, bias: -1.42 };

export function calibratedConfidence(best: number, second: number, calibration: Calibration): number {
  const z = calibration.similarity * best + calibration.margin * (best - second) + calibration.bias;
  return round3(1 / (1 + Math.exp(-z)));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
