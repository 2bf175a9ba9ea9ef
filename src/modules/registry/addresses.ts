// The registry's buildings as standard addresses (标准地址 grows with the registry): what the addresses
// module's geocoder reads, so that no other module names the building table.
import type { Queryable } from '../../platform/db/index.ts';

export interface BuildingAddress { id: number; regionCode: string; name: string; address: string | null; lat: number | null; lng: number | null }

/** Every registered building (at most 200,000), with its name, door address and point. */
export async function buildingAddresses(q: Queryable): Promise<BuildingAddress[]> {
  const rows = await q.query<{ id: string; region_code: string; name: string; address: string | null; lat: number | null; lng: number | null }>(
    'SELECT id, region_code, name, address, lat, lng FROM building ORDER BY id LIMIT 200000');
  return rows.map((r) => ({ id: Number(r.id), regionCode: r.region_code, name: r.name, address: r.address, lat: r.lat, lng: r.lng }));
}

/** A cheap fingerprint of the building table (count and newest change) to know when to re-read it. */
export async function buildingsVersion(q: Queryable): Promise<string> {
  const [r] = await q.query<{ n: number; t: string | null }>('SELECT count(*)::int AS n, max(updated_at)::text AS t FROM building');
  return `${r.n}:${r.t ?? ''}`;
}
