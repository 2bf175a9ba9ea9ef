// The addresses module's public surface: the standard address library (标准地址), the geocoder over it
// (free Chinese text → places, a point → the nearest address), its routes and its policy.
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AddressService, resolveAddress, writeAddresses, type PointLocator, type ResolvedAddress } from './service.ts';
import type { AddressInput } from './contracts.ts';

export { AddressService, noAddressMatch, type AddressView, type PointLocator } from './service.ts';
export { addressRoutes } from './routes.ts';
export { addressPolicy } from './policy.ts';
export { Geocoder, shortForms, type Candidate, type GeoAddress, type GeoRegion, type PathItem, type ReverseResult } from './geocoder.ts';
export { normalise } from './normalise.ts';
export { parseAddressFile } from './import.ts';
export type { AddressInput } from './contracts.ts';

export function createAddresses(ctx: AppContext, locator: PointLocator): AddressService {
  return new AddressService(ctx, locator);
}

/** Writes addresses without an actor (the demo seed, `gongzhi init`): each row resolved to its grid; rows that cannot be placed are skipped and counted. */
export async function seedAddresses(q: Queryable, rows: AddressInput[], levelOf: (code: string) => string | null, locator: PointLocator):
  Promise<{ inserted: number; updated: number; skipped: number }> {
  const ok: ResolvedAddress[] = [];
  let skipped = 0;
  for (const row of rows) {
    const r = resolveAddress(row, levelOf, locator);
    if ('error' in r) skipped++; else ok.push(r);
  }
  return { ...(await writeAddresses(q, ok, { source: 'demo' })), skipped };
}
