// Issue 11, "Event loop": a 20,000-vertex polygon held the event loop for 0.8 s. Geometries are bounded
// (MAX_POSITIONS positions) and checked in a worker thread (src/modules/regions/grids/geometry-pool.test.ts); /healthz latency meanwhile is measured
// by bench/geometry-loop.ts, not here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { communities, grids, homeStreet } from '../helpers/fixtures.ts';
import { densify } from '../helpers/geometry.ts';

/** MAX_POSITIONS in src/modules/regions/grids/geometry.ts */
const MAX_POSITIONS = 10_000;
let p: TestPlatform;
let token: string;
const community = communities.filter((c) => c.parentCode === homeStreet.code)[2];
const grid = grids.find((g) => g.parentCode === community.code)!;
const ring = grid.polygon![0] as Array<[number, number]>;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  token = await p.login('jiedao');
});
afterAll(async () => { await p?.close(); });

const put = (positions: number) => p.as(token).send('PUT', `/api/v1/grids/${grid.code}/geometry`, { geometry: { type: 'Polygon', coordinates: [densify(ring, positions)] } });

describe('the largest polygon', () => {
  it(`takes ${MAX_POSITIONS.toLocaleString('en')} positions, no more`, async () => {
    const over = await put(MAX_POSITIONS + 1);
    expectProblemStatus(over, 422, 'invalid_geometry');
    expect(over.body.errors[0].reason).toBe('too_many_positions');
    const largest = await put(MAX_POSITIONS);
    expect(largest.status, largest.text.slice(0, 300)).toBe(200);
    expect(largest.body.version).toBe(2);
  });
});
