// Places and people of the demo base data that tests refer to.
import { buildDemoRegions } from '../../src/modules/regions/demo-region-data.ts';

const regions = buildDemoRegions();
export const streets = regions.filter((r) => r.level === 'street');
export const communities = regions.filter((r) => r.level === 'community');
export const grids = regions.filter((r) => r.level === 'grid' && r.kind === 'comprehensive');

/** The first street, its first community and that community's first grid: where the named demo accounts work. */
export const homeStreet = streets[0];
export const homeCommunity = communities.find((c) => c.parentCode === homeStreet.code)!;
export const homeGrid = grids.find((g) => g.parentCode === homeCommunity.code)!;
/** A grid in the same community but not the home grid, and one in another street. */
export const neighbourGrid = grids.find((g) => g.parentCode === homeCommunity.code && g.code !== homeGrid.code)!;
export const otherStreet = streets[1];
export const otherGrid = grids.find((g) => g.code.startsWith(otherStreet.code))!;

export const pointIn = (g: { centroid?: [number, number] }) => ({ lng: g.centroid![0], lat: g.centroid![1] });
