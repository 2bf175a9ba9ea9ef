// Maps people can read without a tile server: the grid map draws street, community and grid boundaries
// with their names at every zoom (names as HTML labels, no glyph server), and from zoom 13 the standard
// addresses and landmarks as labelled points. Nothing of it needs an outside service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login, mapReady, openBrowser, shot, screenshotOnFailure, type Browser } from './helpers.ts';

let b: Browser;
beforeAll(async () => { b = await openBrowser(); });
afterAll(async () => { await b?.close(); });
screenshotOnFailure(() => b);

const labels = (p: Page, cls: string) => p.locator(`[data-testid="map-label-${cls}"]`).allTextContents();
async function zoomIn(p: Page, times: number) {
  for (let i = 0; i < times; i++) {
    await p.locator('.maplibregl-ctrl-zoom-in').click();
    await p.waitForTimeout(450);
  }
  await p.waitForTimeout(800);
}

describe('maps without a tile server', () => {
  it('shows boundaries and names of streets, communities and grids, and labelled landmarks and addresses', async () => {
    const p = b.page;
    await login(p, 'zhihui');
    await p.goto('/map');
    await mapReady(p);
    // the whole district: street names
    await expect.poll(async () => (await labels(p, 'street')).length).toBeGreaterThan(10);
    const streets = await labels(p, 'street');
    expect(streets).toEqual(expect.arrayContaining(['南津街街道']));
    expect(streets.every((s) => /^[\u4e00-\u9fff]+(街道|镇|乡)$/.test(s))).toBe(true);
    await shot(p, 'geo-20-map-district-streets');
    // closer: community names beside the street names
    await zoomIn(p, 2);
    await expect.poll(async () => (await labels(p, 'community')).length).toBeGreaterThan(5);
    expect((await labels(p, 'community')).every((s) => /[\u4e00-\u9fff]/.test(s))).toBe(true);
    await shot(p, 'geo-21-map-communities');
    // closer still: grid names and landmarks
    await zoomIn(p, 3);
    await expect.poll(async () => (await labels(p, 'grid')).length).toBeGreaterThan(2);
    await expect.poll(async () => (await labels(p, 'landmark')).length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect((await labels(p, 'grid')).every((s) => /^第\d+网格$|专属网格$/.test(s))).toBe(true);
    await shot(p, 'geo-22-map-grids-landmarks');
    // at street level: door numbers and buildings
    await zoomIn(p, 2);
    await expect.poll(async () => (await labels(p, 'place')).length + (await labels(p, 'landmark')).length, { timeout: 20_000 }).toBeGreaterThan(0);
    // zoomed in this far, the street and the community of the view still show their names
    expect((await labels(p, 'street')).length).toBe(1);
    const box = (await p.locator('[data-testid="map-label-street"]').boundingBox())!;
    const mapBox = (await p.getByTestId('map').boundingBox())!;
    expect(box.y).toBeGreaterThan(mapBox.y);
    expect(box.y + box.height).toBeLessThan(mapBox.y + mapBox.height);
    expect((await labels(p, 'community')).length).toBeGreaterThan(0);
    const text = await p.evaluate(() => document.body.innerText);
    expect([...text.matchAll(/[A-Za-z]{3,}/g)].map((m) => m[0])).toEqual([]);
    await shot(p, 'geo-23-map-addresses');
    // nothing was fetched from outside this server
    const outside = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => !u.startsWith(location.origin) && !u.startsWith('blob:') && !u.startsWith('data:')));
    expect(outside).toEqual([]);
  });
});
