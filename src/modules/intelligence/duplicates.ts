// Duplicate candidates (重复件): open cases that say the same thing, near the same place, recently.
// The score is a weighted sum of three parts, each in [0, 1], so a dispatcher can see why a case was offered.

export interface DuplicateSettings {
  /** Cases farther than this are not candidates (metres). */
  radiusMeters: number;
  /** Cases older than this are not candidates (days). */
  days: number;
  /** Weights of text, distance and time in the score; they sum to 1. */
  weights: { text: number; distance: number; time: number };
  /** Candidates need at least this text similarity: a neighbour about something else is no duplicate. */
  minText: number;
  /** …and at least this score. */
  minScore: number;
}

export const DEFAULT_DUPLICATE_SETTINGS: DuplicateSettings = {
  radiusMeters: 500,
  days: 14,
  weights: { text: 0.6, distance: 0.25, time: 0.15 },
  minText: 0.3,
  minScore: 0.45,
};

export interface DuplicateParts {
  /** Text similarity (cosine of character bigrams) in [0, 1]. */
  text: number;
  /** 1 at the same spot, falling linearly to 0 at the radius; null when either case has no location. */
  distance: number | null;
  /** 1 for the same moment, falling linearly to 0 at `days` apart. */
  time: number;
}

/** Pure: the parts of a pair's score, or null when the pair is out of range (too far or too old). */
export function duplicateParts(
  text: number, distanceMeters: number | null, hoursApart: number, settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS,
): DuplicateParts | null {
  if (distanceMeters != null && distanceMeters > settings.radiusMeters) return null;
  const hours = Math.abs(hoursApart);
  if (hours > settings.days * 24) return null;
  return {
    text,
    distance: distanceMeters == null ? null : 1 - distanceMeters / settings.radiusMeters,
    time: 1 - hours / (settings.days * 24),
  };
}

/**
 * Pure: the score in [0, 1]. Without a location, distance counts as half (neither near nor far),
 * so that text and time alone can still offer a candidate reported in the same community.
 */
export function duplicateScore(parts: DuplicateParts, settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS): number {
  const w = settings.weights;
  const score = w.text * parts.text + w.distance * (parts.distance ?? 0.5) + w.time * parts.time;
  return Math.round(score * 1000) / 1000;
}

export function isDuplicateCandidate(parts: DuplicateParts, settings: DuplicateSettings = DEFAULT_DUPLICATE_SETTINGS): boolean {
  return parts.text >= settings.minText && duplicateScore(parts, settings) >= settings.minScore;
}
