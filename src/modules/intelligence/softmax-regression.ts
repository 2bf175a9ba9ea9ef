// Multinomial logistic regression (softmax regression) trained by stochastic gradient descent.
import type { SparseVector } from './features.ts';

export interface SgdSettings {
  /** Passes over the training data. */
  epochs: number;
  /** L2 regularisation strength. */
  lambda: number;
  /** Initial learning rate η0; the rate decays as η0 / (1 + η0·λ·t). */
  learningRate: number;
  /**
   * The final weights are the mean of the weights at the end of each epoch from this one on
   * (0-based), which smooths out the noise of SGD.
   */
  averageFromEpoch: number;
  /** Seed of the shuffling order, so that training is deterministic. */
  seed: number;
  /** Skip the weight update of an example whose true-class probability is above 1 − skipBelow. */
  skipBelow: number;
}

/** Rows of sparse vectors in one block of memory (compressed sparse rows). */
export interface SparseMatrix {
  rows: number;
  /** Row r spans offsets[r] .. offsets[r + 1] of indices/values. */
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function toSparseMatrix(vectors: readonly SparseVector[]): SparseMatrix {
  const offsets = new Int32Array(vectors.length + 1);
  vectors.forEach((vector, r) => (offsets[r + 1] = offsets[r]! + vector.indices.length));
  const indices = new Int32Array(offsets[vectors.length]!);
  const values = new Float32Array(offsets[vectors.length]!);
  vectors.forEach((vector, r) => {
    indices.set(vector.indices, offsets[r]!);
    values.set(vector.values, offsets[r]!);
  });
  return { rows: vectors.length, offsets, indices, values };
}

export interface LinearWeights {
  classCount: number;
  featureCount: number;
  /** Feature-major: weights[feature * classCount + class]. */
  weights: Float64Array;
  bias: Float64Array;
}

/** Small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Softmax in place over scores, numerically stable; returns the same array. */
export function softmaxInPlace(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) if (scores[k]! > max) max = scores[k]!;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k]! - max);
    sum += scores[k]!;
  }
  for (let k = 0; k < scores.length; k++) scores[k]! /= sum;
  return scores;
}

/** Raw class scores (logits) of x. */
export function linearScores(model: LinearWeights, x: SparseVector, out = new Float64Array(model.classCount)): Float64Array {
  const K = model.classCount;
  out.set(model.bias);
  for (let n = 0; n < x.indices.length; n++) {
    const base = x.indices[n]! * K;
    const value = x.values[n]!;
    for (let k = 0; k < K; k++) out[k]! += model.weights[base + k]! * value;
  }
  return out;
}

const MIN_SCALE = 1e-9;

/**
 * Minimises mean cross-entropy + λ/2·‖W‖² by SGD. The L2 shrinkage is applied lazily through a
 * global scale factor (w = scale·v), so each step costs O(non-zeros × classes). Weights are kept
 * in a Float32Array during training: half the memory traffic, which is what limits the speed.
 */
export function trainSoftmaxRegression(
  examples: SparseMatrix,
  labels: Int32Array,
  classCount: number,
  featureCount: number,
  settings: SgdSettings,
): LinearWeights {
  const K = classCount;
  const v = new Float32Array(featureCount * K);
  const bias = new Float64Array(K);
  const weightSum = new Float64Array(featureCount * K);
  const biasSum = new Float64Array(K);
  let snapshots = 0;

  let scale = 1;
  let step = 0;
  const random = seededRandom(settings.seed);
  const order = Array.from({ length: examples.rows }, (_, i) => i);
  const { offsets, indices, values } = examples;
  const scores = new Float64Array(K);
  const gradient = new Float64Array(K);
  const { learningRate, lambda, skipBelow } = settings;

  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let q = 0; q < order.length; q++) {
      const i = order[q]!;
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      const eta = learningRate / (1 + learningRate * lambda * step);
      step++;
      // Forward pass.
      for (let k = 0; k < K; k++) scores[k] = bias[k]!;
      for (let n = start; n < end; n++) {
        const base = indices[n]! * K;
        const value = values[n]! * scale;
        for (let k = 0; k < K; k++) scores[k]! += v[base + k]! * value;
      }
      softmaxInPlace(scores);
      const y = labels[i]!;
      for (let k = 0; k < K; k++) gradient[k] = scores[k]! - (k === y ? 1 : 0);
      // Shrink (L2), then the gradient step on the non-zero features, skipped when the example is
      // already fitted so well that the step would be negligible.
      scale *= 1 - eta * lambda;
      if (-gradient[y]! >= skipBelow) {
        const stepOverScale = eta / scale;
        for (let n = start; n < end; n++) {
          const base = indices[n]! * K;
          const factor = stepOverScale * values[n]!;
          for (let k = 0; k < K; k++) v[base + k]! -= factor * gradient[k]!;
        }
        for (let k = 0; k < K; k++) bias[k]! -= eta * gradient[k]!;
      }
      if (scale < MIN_SCALE) {
        for (let j = 0; j < v.length; j++) v[j]! *= scale;
        scale = 1;
      }
    }
    if (epoch >= settings.averageFromEpoch || epoch === settings.epochs - 1) {
      for (let j = 0; j < v.length; j++) weightSum[j]! += v[j]! * scale;
      for (let k = 0; k < K; k++) biasSum[k]! += bias[k]!;
      snapshots++;
    }
  }
  for (let j = 0; j < weightSum.length; j++) weightSum[j]! /= snapshots;
  for (let k = 0; k < K; k++) biasSum[k]! /= snapshots;
  return { classCount: K, featureCount, weights: weightSum, bias: biasSum };
}
