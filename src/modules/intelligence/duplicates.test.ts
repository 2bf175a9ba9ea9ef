import { describe, expect, it } from 'vitest';
import { DEFAULT_DUPLICATE_SETTINGS as S, duplicateParts, duplicateScore, isDuplicateCandidate } from './duplicates.ts';
import { segment } from './segment.ts';
import { textSimilarity } from './similarity.ts';

const sim = (a: string, b: string) => textSimilarity(segment(a), segment(b));

describe('duplicate scoring', () => {
  const a = '南津街菜市场门口流动摊贩占道经营，堵塞交通';
  const sameProblem = '南津街菜市场门口有流动摊贩占道经营，车辆无法通行';
  const otherProblem = '小区楼上住户深夜装修噪音扰民';

  it('offers the same complaint made nearby the same day, with its parts', () => {
    const parts = duplicateParts(sim(a, sameProblem), 80, 3)!;
    expect(parts.distance).toBeCloseTo(1 - 80 / S.radiusMeters, 5);
    expect(parts.time).toBeGreaterThan(0.99);
    expect(isDuplicateCandidate(parts)).toBe(true);
  });

  it('does not offer a neighbour complaining about something else', () => {
    const parts = duplicateParts(sim(a, otherProblem), 10, 1)!;
    expect(isDuplicateCandidate(parts)).toBe(false);
  });

  it('leaves out cases beyond the radius or the time window', () => {
    expect(duplicateParts(1, S.radiusMeters + 1, 1)).toBeNull();
    expect(duplicateParts(1, 10, S.days * 24 + 1)).toBeNull();
    expect(duplicateParts(1, 10, -(S.days * 24 + 1))).toBeNull();
  });

  it('ranks nearer and more recent reports of the same text higher', () => {
    const t = sim(a, sameProblem);
    const near = duplicateScore(duplicateParts(t, 20, 2)!);
    const far = duplicateScore(duplicateParts(t, 400, 2)!);
    const old = duplicateScore(duplicateParts(t, 20, 24 * 10)!);
    expect(near).toBeGreaterThan(far);
    expect(near).toBeGreaterThan(old);
  });

  it('scores a case without a location as neither near nor far', () => {
    const none = duplicateScore(duplicateParts(0.8, null, 1)!);
    expect(none).toBeLessThan(duplicateScore(duplicateParts(0.8, 0, 1)!));
    expect(none).toBeGreaterThan(duplicateScore(duplicateParts(0.8, S.radiusMeters, 1)!));
  });
});
