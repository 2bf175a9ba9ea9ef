// Category classifier for citizen messages (留言分类): jieba words → TF-IDF over word n-grams and
// character n-grams → multinomial logistic regression (SGD), with temperature-calibrated softmax
// confidences. Plain TypeScript; the model is a versioned JSON file.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BucketBuffer,
  DEFAULT_FEATURE_SETTINGS,
  buildVocabulary,
  cleanTokens,
  keepKnownTokens,
  messageBuckets,
  vectorize,
  vocabularyFrom,
  wordNgramBucket,
  type BucketCounts,
  type FeatureSettings,
  type SparseVector,
  type Vocabulary,
} from './features.ts';
import { autoCoverageAt, evaluatePredictions, type EvalReport, type ScoredPrediction } from './metrics.ts';
import { segment } from './segment.ts';
import {
  linearScores,
  seededRandom,
  shuffleInPlace,
  softmaxInPlace,
  toSparseMatrix,
  trainSoftmaxRegression,
  type LinearWeights,
  type SgdSettings,
} from './softmax-regression.ts';

export { segment } from './segment.ts';
export { nearDuplicateGroups, textSimilarity } from './similarity.ts';
export { autoCoverageAt, formatReport, type EvalReport } from './metrics.ts';

export const MODEL_FORMAT = 'gongzhi-classifier';
export const MODEL_VERSION = 1;
/** The hash function of the feature buckets, recorded in the model file. */
export const HASHING = 'fnv1a32-utf16+murmur3fmix';

export interface Example {
  /** Raw text (segmented with segment()). */
  text?: string;
  /** Already segmented words; used instead of text when given. */
  tokens?: string[];
  label: string;
}

export interface ClassifierSettings extends FeatureSettings, SgdSettings {
  /**
   * Share of the training messages held out (stratified) to fit the softmax temperature: a model
   * trained on the rest scores them, and the temperature minimising their cross-entropy is kept.
   * The final model is then trained on all messages. 0 = no calibration (temperature 1).
   */
  calibrationShare: number;
}

export type TrainOptions = Partial<ClassifierSettings>;

/** Chosen by 5-fold cross-validation on the training file (see bench/classifier-results.md). */
export const DEFAULT_SETTINGS: ClassifierSettings = {
  ...DEFAULT_FEATURE_SETTINGS,
  epochs: 4,
  lambda: 1e-6,
  learningRate: 4,
  averageFromEpoch: 2,
  seed: 1,
  skipBelow: 1e-3,
  calibrationShare: 0.25,
};

export interface Model {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  createdAt: string;
  labels: string[];
  settings: ClassifierSettings;
  /** Softmax temperature: probabilities are softmax(scores / temperature). */
  temperature: number;
  trainingSize: number;
  /** How many of the training examples were seed examples (种子语料) rather than closed cases; absent = none. */
  seedExamples?: number;
  vocabulary: Vocabulary;
  /** Every word seen in training; words never seen are dropped (or split into known words). */
  knownTokens: Set<string>;
  linear: LinearWeights;
}

/** The JSON file layout of a saved model. */
export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  createdAt: string;
  labels: string[];
  settings: ClassifierSettings;
  temperature: number;
  trainingSize: number;
  seedExamples?: number;
  /**
   * Hashed features (see features.ts): word and character n-grams hash into 2^hashBits buckets;
   * feature i is bucket buckets[i], with inverse document frequency idf[i].
   */
  vocabulary: { hashing: typeof HASHING; hashBits: number; buckets: number[] };
  idf: number[];
  knownTokens: string[];
  /** weights[class][feature], classes in `labels` order. */
  weights: number[][];
  bias: number[];
}

export interface Prediction {
  label: string;
  confidence: number;
}

/** Tokens of an example: given tokens are cleaned, text is segmented. */
export function exampleTokens(example: Pick<Example, 'text' | 'tokens'>): string[] {
  if (example.tokens) return cleanTokens(example.tokens);
  return segment(example.text ?? '');
}

// Weights and idf are rounded when the model is built, so that the saved JSON is compact and a
// loaded model is exactly the model that was trained.
const WEIGHT_DECIMALS = 1e4;
const roundWeight = (x: number): number => Math.round(x * WEIGHT_DECIMALS) / WEIGHT_DECIMALS;

function fitLinear(messages: readonly BucketCounts[], labelIds: Int32Array, classCount: number, settings: ClassifierSettings) {
  const vocabulary = buildVocabulary(messages, settings);
  const vectors = toSparseMatrix(messages.map((message) => vectorize(message, vocabulary, settings)));
  const linear = trainSoftmaxRegression(vectors, labelIds, classCount, vocabulary.buckets.length, settings);
  return { vocabulary, linear };
}

/** Trains a classifier. Deterministic for the same examples and options. */
export function train(examples: readonly Example[], opts: TrainOptions = {}): Model {
  const given = Object.fromEntries(Object.entries(opts).filter(([, value]) => value !== undefined));
  const settings: ClassifierSettings = { ...DEFAULT_SETTINGS, ...given };
  if (examples.length === 0) throw new Error('train: no examples');
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`train: need at least 2 labels, got ${labels.length}`);
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const tokenLists = examples.map(exampleTokens);
  const labelIds = Int32Array.from(examples, (e) => labelIndex.get(e.label)!);
  const buffer = new BucketBuffer();
  const messages = tokenLists.map((tokens) => messageBuckets(tokens, settings, buffer));

  const temperature =
    settings.calibrationShare > 0 ? fitTemperatureOnHoldout(tokenLists, messages, labelIds, labels.length, settings) : 1;

  const { vocabulary, linear } = fitLinear(messages, labelIds, labels.length, settings);
  for (let i = 0; i < linear.weights.length; i++) linear.weights[i] = roundWeight(linear.weights[i]!);
  for (let k = 0; k < linear.bias.length; k++) linear.bias[k] = roundWeight(linear.bias[k]!);
  for (let i = 0; i < vocabulary.idf.length; i++) vocabulary.idf[i] = roundWeight(vocabulary.idf[i]!);

  const knownTokens = new Set<string>();
  for (const tokens of tokenLists) for (const token of tokens) knownTokens.add(token);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: new Date().toISOString(),
    labels,
    settings,
    temperature: roundWeight(temperature),
    trainingSize: examples.length,
    vocabulary,
    knownTokens,
    linear,
  };
}

/**
 * Fits the softmax temperature T on held-out messages (minimum cross-entropy), so that the
 * confidence of the top class is a calibrated probability.
 */
function fitTemperatureOnHoldout(
  tokenLists: string[][],
  messages: readonly BucketCounts[],
  labelIds: Int32Array,
  classCount: number,
  settings: ClassifierSettings,
): number {
  const parts = Math.max(2, Math.round(1 / Math.min(0.5, settings.calibrationShare)));
  const folds = assignFolds(
    Array.from(labelIds, (id) => String(id)),
    tokenLists.map((tokens) => tokens.join(' ')),
    parts,
    settings.seed,
  );
  const trainIds: number[] = [];
  const heldOutIds: number[] = [];
  folds.forEach((fold, i) => (fold === 0 ? heldOutIds : trainIds).push(i));
  const trainLabels = Int32Array.from(trainIds, (i) => labelIds[i]!);
  if (heldOutIds.length === 0 || new Set(trainLabels).size < 2) return 1;
  const { vocabulary, linear } = fitLinear(
    trainIds.map((i) => messages[i]!),
    trainLabels,
    classCount,
    settings,
  );
  const known = new Set<string>();
  for (const i of trainIds) for (const token of tokenLists[i]!) known.add(token);
  const scored = heldOutIds.map((i) => {
    const tokens = keepKnownTokens(tokenLists[i]!, known);
    const x = vectorize(messageBuckets(tokens, settings), vocabulary, settings);
    return { scores: linearScores(linear, x), label: labelIds[i]! };
  });
  return fitTemperature(scored);
}

// Bounds of the fitted temperature; a perfectly separated training set would otherwise push it to 0.
const MIN_TEMPERATURE = 0.1;
const MAX_TEMPERATURE = 10;

/** Temperature minimising the mean negative log-likelihood (golden-section search on log T). */
export function fitTemperature(samples: readonly { scores: Float64Array; label: number }[]): number {
  if (samples.length === 0) return 1;
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let total = 0;
    for (const { scores, label } of samples) {
      let max = -Infinity;
      for (const s of scores) if (s / t > max) max = s / t;
      let sum = 0;
      for (const s of scores) sum += Math.exp(s / t - max);
      total -= scores[label]! / t - max - Math.log(sum);
    }
    return total / samples.length;
  };
  let lo = Math.log(MIN_TEMPERATURE);
  let hi = Math.log(MAX_TEMPERATURE);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let iteration = 0; iteration < 60; iteration++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** The words of a message as the model sees them (words unseen in training are dropped). */
function modelTokens(model: Model, textOrTokens: string | readonly string[]): string[] {
  const tokens = typeof textOrTokens === 'string' ? segment(textOrTokens) : cleanTokens(textOrTokens);
  return keepKnownTokens(tokens, model.knownTokens);
}

/** The TF-IDF vector of a message for this model. */
function featureVector(model: Model, tokens: readonly string[]): SparseVector {
  return vectorize(messageBuckets(tokens, model.settings), model.vocabulary, model.settings);
}

/**
 * Class probabilities (calibrated softmax) in model.labels order. A message without a single known
 * feature gets the uncalibrated softmax of the biases: close to the label frequencies of training.
 */
export function predictProbabilities(model: Model, textOrTokens: string | readonly string[]): Float64Array {
  const x = featureVector(model, modelTokens(model, textOrTokens));
  const scores = linearScores(model.linear, x);
  if (x.indices.length > 0) for (let k = 0; k < scores.length; k++) scores[k]! /= model.temperature;
  return softmaxInPlace(scores);
}

/** The k most likely labels with their confidence (calibrated probability), most likely first. */
export function predict(model: Model, textOrTokens: string | readonly string[], k = 3): Prediction[] {
  const probabilities = predictProbabilities(model, textOrTokens);
  return model.labels
    .map((label, i) => ({ label, confidence: probabilities[i]! }))
    .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1))
    .slice(0, Math.max(0, k));
}

/**
 * The words (and word pairs) of the message that pushed most towards `label`: contribution =
 * feature value × (weight for label − mean weight over labels), largest first. Character n-grams
 * are left out, being parts of words.
 */
export function explain(
  model: Model,
  textOrTokens: string | readonly string[],
  label: string,
  n = 5,
): { term: string; weight: number }[] {
  const k = model.labels.indexOf(label);
  if (k < 0) throw new Error(`explain: unknown label "${label}"`);
  const tokens = modelTokens(model, textOrTokens);
  const x = featureVector(model, tokens);
  const valueOf = new Map<number, number>();
  x.indices.forEach((feature, j) => valueOf.set(feature, x.values[j]!));
  const K = model.linear.classCount;
  const terms = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    for (let length = 1; length <= model.settings.wordNgramMax && i + length <= tokens.length; length++) {
      const words = tokens.slice(i, i + length);
      const term = words.join(' ');
      if (terms.has(term)) continue;
      const feature = model.vocabulary.featureOfBucket[wordNgramBucket(words, model.vocabulary.hashBits)]!;
      const value = feature >= 0 ? valueOf.get(feature) : undefined;
      if (value === undefined) continue;
      let mean = 0;
      for (let c = 0; c < K; c++) mean += model.linear.weights[feature * K + c]!;
      mean /= K;
      terms.set(term, value * (model.linear.weights[feature * K + k]! - mean));
    }
  }
  return [...terms]
    .map(([term, weight]) => ({ term, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, Math.max(0, n));
}

/** Evaluates the model on labelled examples. */
export function evaluate(model: Model, examples: readonly Example[]): EvalReport {
  const predictions: ScoredPrediction[] = examples.map((example) => {
    const [top] = predict(model, example.tokens ?? example.text ?? '', 1);
    return { actual: example.label, predicted: top!.label, confidence: top!.confidence };
  });
  return evaluatePredictions(predictions, model.labels);
}

export function toModelFile(model: Model): ModelFile {
  const K = model.linear.classCount;
  const D = model.linear.featureCount;
  const weights = model.labels.map((_, k) => {
    const row = new Array<number>(D);
    for (let j = 0; j < D; j++) row[j] = model.linear.weights[j * K + k]!;
    return row;
  });
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: model.createdAt,
    labels: model.labels,
    settings: model.settings,
    temperature: model.temperature,
    trainingSize: model.trainingSize,
    ...(model.seedExamples ? { seedExamples: model.seedExamples } : {}),
    vocabulary: { hashing: HASHING, hashBits: model.vocabulary.hashBits, buckets: Array.from(model.vocabulary.buckets) },
    idf: Array.from(model.vocabulary.idf),
    knownTokens: [...model.knownTokens].sort(),
    weights,
    bias: Array.from(model.linear.bias),
  };
}

export function fromModelFile(file: ModelFile): Model {
  if (file?.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} model file`);
  if (file.version !== MODEL_VERSION) {
    throw new Error(`unsupported ${MODEL_FORMAT} version ${String(file.version)} (this code reads ${MODEL_VERSION})`);
  }
  if (file.vocabulary?.hashing !== HASHING) {
    throw new Error(`model file uses feature hashing "${String(file.vocabulary?.hashing)}", expected "${HASHING}"`);
  }
  const K = file.labels.length;
  const D = file.vocabulary.buckets.length;
  if (file.weights.length !== K || file.weights.some((row) => row.length !== D) || file.idf.length !== D) {
    throw new Error('model file is inconsistent: weights, idf and vocabulary sizes differ');
  }
  const weights = new Float64Array(D * K);
  file.weights.forEach((row, k) => row.forEach((w, j) => (weights[j * K + k] = w)));
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: file.createdAt,
    labels: file.labels,
    settings: { ...DEFAULT_SETTINGS, ...file.settings },
    temperature: file.temperature,
    trainingSize: file.trainingSize,
    ...(file.seedExamples ? { seedExamples: file.seedExamples } : {}),
    vocabulary: vocabularyFrom(file.vocabulary.hashBits, Int32Array.from(file.vocabulary.buckets), Float64Array.from(file.idf)),
    knownTokens: new Set(file.knownTokens),
    linear: { classCount: K, featureCount: D, weights, bias: Float64Array.from(file.bias) },
  };
}

/** Saves the model as JSON; gzip-compressed when the path ends with .gz. */
export function saveModel(model: Model, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const json = JSON.stringify(toModelFile(model));
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(json) : json);
}

export function loadModel(path: string): Model {
  const bytes = readFileSync(path);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
  let file: ModelFile;
  try {
    file = JSON.parse(text) as ModelFile;
  } catch (error) {
    throw new Error(`${path}: not a JSON model file (${(error as Error).message})`);
  }
  return fromModelFile(file);
}

/**
 * Fold number of each example for stratified k-fold: examples with the same label are spread
 * evenly; identical texts (duplicates) always share a fold, so they cannot leak between folds.
 */
export function assignFolds(labels: readonly string[], groupKeys: readonly string[], k: number, seed = 1): number[] {
  const random = seededRandom(seed);
  const groups = new Map<string, number[]>();
  groupKeys.forEach((key, i) => {
    const groupKey = `${labels[i]}\u0000${key}`;
    const members = groups.get(groupKey);
    if (members) members.push(i);
    else groups.set(groupKey, [i]);
  });
  // Deal the groups of each label round-robin over the folds, in a shuffled order.
  const byLabel = new Map<string, number[][]>();
  for (const [groupKey, members] of groups) {
    const label = groupKey.slice(0, groupKey.indexOf('\u0000'));
    const list = byLabel.get(label) ?? [];
    list.push(members);
    byLabel.set(label, list);
  }
  // Identical texts with different labels must still share a fold: map text → first fold chosen.
  const foldOfText = new Map<string, number>();
  const folds = new Array<number>(labels.length).fill(0);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const members of shuffleInPlace(byLabel.get(label)!, random)) {
      const text = groupKeys[members[0]!]!;
      let fold = foldOfText.get(text);
      if (fold === undefined) {
        fold = next;
        next = (next + 1) % k;
        foldOfText.set(text, fold);
      }
      for (const i of members) folds[i] = fold;
    }
  }
  return folds;
}

export interface CrossValidationResult {
  k: number;
  /** Report of each fold's held-out part. */
  folds: EvalReport[];
  /** Report over all out-of-fold predictions pooled together. */
  pooled: EvalReport;
  meanAccuracy: number;
  meanMacroF1: number;
  /** autoCoverageAt(pooled, 0.98). */
  autoCoverageAt98: number;
  /** Mean training time of one fold, ms. */
  meanTrainMs: number;
}

/**
 * Stratified k-fold cross-validation. Identical texts are kept in one fold; pass `cv.groups` (for
 * example from nearDuplicateGroups) to keep each group of near-duplicates in one fold too. Texts
 * are segmented once up front; each fold trains on k−1 parts with `opts` and is evaluated on the rest.
 */
export function crossValidate(
  examples: readonly Example[],
  k = 5,
  opts: TrainOptions = {},
  cv: { groups?: readonly (string | number)[] } = {},
): CrossValidationResult {
  if (k < 2) throw new Error('crossValidate: k must be ≥ 2');
  if (cv.groups && cv.groups.length !== examples.length) throw new Error('crossValidate: one group per example');
  const prepared: Example[] = examples.map((e) => ({ tokens: exampleTokens(e), label: e.label }));
  const folds = assignFolds(
    prepared.map((e) => e.label),
    cv.groups ? cv.groups.map(String) : prepared.map((e) => e.tokens!.join(' ')),
    k,
    opts.seed ?? DEFAULT_SETTINGS.seed,
  );
  const reports: EvalReport[] = [];
  const pooled: ScoredPrediction[] = [];
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  let trainMs = 0;
  for (let fold = 0; fold < k; fold++) {
    const trainSet = prepared.filter((_, i) => folds[i] !== fold);
    const testSet = prepared.filter((_, i) => folds[i] === fold);
    const started = performance.now();
    const model = train(trainSet, opts);
    trainMs += performance.now() - started;
    const predictions = testSet.map((e): ScoredPrediction => {
      const [top] = predict(model, e.tokens!, 1);
      return { actual: e.label, predicted: top!.label, confidence: top!.confidence };
    });
    pooled.push(...predictions);
    reports.push(evaluatePredictions(predictions, labels));
  }
  const pooledReport = evaluatePredictions(pooled, labels);
  return {
    k,
    folds: reports,
    pooled: pooledReport,
    meanAccuracy: reports.reduce((s, r) => s + r.accuracy, 0) / k,
    meanMacroF1: reports.reduce((s, r) => s + r.macroF1, 0) / k,
    autoCoverageAt98: autoCoverageAt(pooledReport, 0.98),
    meanTrainMs: trainMs / k,
  };
}
