// In-memory geocoder: free Chinese address text → ranked places, and a point → the nearest standard
// address. Built from the region tree (every division's full name and its everyday short forms:
// 南津街街道 ≈ 南津街, 马岭村 ≈ 马岭, 营盘街社区 ≈ 营盘街) and the standard address library (roads and
// door numbers, 小区, buildings, landmarks, each with aliases).
//
// How a query is read:
// 1. The text is normalised (normalise.ts) and every substring that is a known name is a *hit*. A hit
//    lying strictly inside a longer hit is dropped (南津街 inside 南津街街道), so words are read whole.
// 2. Each place a hit names is a candidate. Its score is its own hit's weight plus, for every other hit,
//    the best weight among the places that hit names which contain the candidate (an ancestor region,
//    or the road or 小区 it lies on), minus half the weight of every hit naming nothing related (the whole
//    weight when that hit is a street or district the caller named). A community named together with its
//    street and district so outscores a namesake elsewhere, a door number outscores its road, and a place
//    outside the street the caller named loses to that street. Words that name nothing
//    (附近, 门口, 旁边, 对面, 公路边 …) are simply not hits, and X组/X社 are numbers of a village's groups.
// 3. Names shared by many places (菜市场, 3栋, 2组, 第1网格) are *local*: they are looked up only inside
//    the few communities the first pass found, so "某社区3栋门口" finds that community's building 3.
// 4. With `near`, a candidate close to the given point gains a little (it only breaks near-ties).
//
// Lookups read a few hundred map entries and allocate little: well under a millisecond at 100,000
// addresses (bench/geocode.ts).
import Flatbush from 'flatbush';
import { normalise } from './normalise.ts';

export type RegionLevel = 'province' | 'city' | 'district' | 'street' | 'community' | 'grid';
export type AddressKind = 'road' | 'door' | 'compound' | 'building' | 'landmark' | 'group';

export interface GeoRegion {
  code: string; parentCode: string | null; level: string; name: string; shortName: string;
  centroid: [number, number] | null;
}

export interface GeoAddress {
  id: number;
  kind: AddressKind;
  /** How it is written, e.g. 南园路12号, 滨江花园3栋, 南津街农贸市场. */
  label: string;
  aliases: string[];
  /** The grid (or community) it lies in. */
  regionCode: string;
  lat: number | null;
  lng: number | null;
}

export interface PathItem { code: string; name: string; level: string }

export interface Candidate {
  label: string;
  regionCode: string;
  regionPath: PathItem[];
  lat: number | null;
  lng: number | null;
  score: number;
  /** 'region' or the address kind. */
  kind: string;
  addressId: number | null;
}

export interface ReverseResult {
  address: { id: number; label: string; kind: string; lat: number; lng: number; distanceMetres: number } | null;
  regionCode: string | null;
  regionPath: PathItem[];
}

const LEVEL_DEPTH: Record<string, number> = { province: 1, city: 2, district: 3, street: 4, community: 5, grid: 6 };
const ADDRESS_DEPTH = 7;
/** Weights of a name by what it names; short forms and aliases weigh a little less. */
const WEIGHT = {
  province: 0.5, city: 0.5, district: 1, street: 3.2, community: 4, grid: 4.5,
  road: 3, door: 5, compound: 4, building: 5, landmark: 4, group: 2.5,
} as const;
/** A name naming more places than this is local: looked up only inside the communities found first. */
const GENERIC = 8;
/** How many communities the local pass looks in. */
const LOCAL_COMMUNITIES = 3;
const NEAR_BONUS = 1;
/** Share of an unrelated hit's weight taken off a candidate. */
const CONFLICT = 0.5;
const NEAR_KM = 3;

interface Entity {
  code: string;      // region code, or the region code an address lies in
  depth: number;
  label: string;
  kind: string;
  addressId: number | null;
  lat: number | null;
  lng: number | null;
}

type Postings = Array<[entity: number, weight: number]>;

class TermTable {
  readonly terms = new Map<string, Postings>();
  /** Longest term starting with each 2-character prefix: the scan stops there. */
  readonly maxLen = new Map<string, number>();

  add(term: string, entity: number, weight: number): void {
    if (term.length < 2) return;
    let list = this.terms.get(term);
    if (!list) { list = []; this.terms.set(term, list); }
    const existing = list.find((p) => p[0] === entity);
    if (existing) { existing[1] = Math.max(existing[1], weight); return; }
    list.push([entity, weight]);
  }

  index(): void {
    this.maxLen.clear();
    for (const t of this.terms.keys()) {
      const p = t.slice(0, 2);
      if ((this.maxLen.get(p) ?? 0) < t.length) this.maxLen.set(p, t.length);
    }
  }
}

interface Hit { start: number; end: number; postings: Postings }

function scan(table: TermTable, s: string, out: Hit[], filter?: (entity: number) => boolean): void {
  const n = s.length;
  for (let i = 0; i + 1 < n; i++) {
    const max = table.maxLen.get(s.slice(i, i + 2));
    if (max === undefined) continue;
    const top = Math.min(max, n - i);
    for (let len = 2; len <= top; len++) {
      const postings = table.terms.get(s.slice(i, i + len));
      if (!postings) continue;
      const kept = filter ? postings.filter((p) => filter(p[0])) : postings;
      if (kept.length) out.push({ start: i, end: i + len, postings: kept });
    }
  }
}

/** Drops hits lying strictly inside a longer hit. */
function maximal(hits: Hit[]): Hit[] {
  return hits.filter((h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start));
}

const overlaps = (a: Hit, b: Hit) => a.start < b.end && b.start < a.end;

/** Short forms of a division name that people use: 南津街街道 → 南津街, 太和镇 → 太和, 马岭村 → 马岭, 营盘街社区 → 营盘街. */
export function shortForms(name: string, level: string): string[] {
  const out = new Set<string>();
  const strip = (re: RegExp) => { const s = name.replace(re, ''); if (s.length >= 2 && s !== name) out.add(s); };
  switch (level) {
    case 'province': strip(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$/u); break;
    case 'city': strip(/(市|地区|自治州|盟)$/u); break;
    case 'district': strip(/(区|县|市|旗|自治县)$/u); break;
    case 'street': {
      strip(/(街道办事处|街道|镇|乡|民族乡)$/u);
      // 南津街街道 → 南津街道 (the doubled 街 is often said once)
      if (name.endsWith('街街道')) out.add(name.replace(/街街道$/u, '街道'));
      break;
    }
    case 'community': {
      const base = name.replace(/(居民委员会|村民委员会|居委会|村委会)$/u, '');
      if (base !== name && base.length >= 2) out.add(base);
      const bare = base.replace(/(社区|村|居委)$/u, '');
      if (bare.length >= 2 && bare !== base) out.add(bare);
      break;
    }
    default: break;
  }
  return [...out];
}

/**
 * Weight of a short form. A name stripped of its suffix (马岭 for 马岭村, 太和 for 太和镇) is weaker
 * evidence than the full name, the more so when it is two characters: such words also occur in
 * everyday speech (桥头, 新华, 红旗).
 */
function shortWeight(r: GeoRegion, form: string, w: number): number {
  const suffixed = /(社区|村|街道)$/u.test(form);
  if (r.level === 'community' && !suffixed) return form.length <= 2 ? 2 : 2.6;
  return form.length <= 2 ? w * 0.85 : w * 0.92;
}

function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const kx = 111.32 * Math.cos(((lat1 + lat2) / 2) * Math.PI / 180);
  return Math.hypot((lng1 - lng2) * kx, (lat1 - lat2) * 110.57);
}

export class Geocoder {
  private readonly entities: Entity[] = [];
  private readonly global = new TermTable();
  /** Local names per community code. */
  private readonly local = new Map<string, TermTable>();
  private readonly regions = new Map<string, GeoRegion>();
  private readonly addressPoints: Entity[] = [];
  private readonly pointTree: Flatbush | null;
  readonly addressCount: number;
  readonly regionCount: number;

  constructor(regions: ReadonlyArray<GeoRegion>, addresses: ReadonlyArray<GeoAddress>) {
    const all = new TermTable();
    for (const r of regions) {
      this.regions.set(r.code, r);
      const e = this.entities.push({
        code: r.code, depth: LEVEL_DEPTH[r.level] ?? 6, label: r.name, kind: 'region', addressId: null,
        lat: r.centroid?.[1] ?? null, lng: r.centroid?.[0] ?? null,
      }) - 1;
      const w = (WEIGHT as Record<string, number>)[r.level] ?? 1;
      all.add(normalise(r.name), e, w);
      all.add(normalise(r.shortName), e, w * 0.95);
      for (const s of shortForms(r.name, r.level)) all.add(normalise(s), e, shortWeight(r, s, w));
      if (r.level === 'grid') {
        const parent = r.parentCode ? this.regions.get(r.parentCode) : undefined;
        if (parent) for (const p of [parent.shortName, ...shortForms(parent.name, 'community')]) all.add(normalise(p + r.shortName), e, w);
      }
    }
    for (const a of addresses) {
      const e = this.entities.push({
        code: a.regionCode, depth: ADDRESS_DEPTH, label: a.label, kind: a.kind, addressId: a.id, lat: a.lat, lng: a.lng,
      }) - 1;
      const w = WEIGHT[a.kind] ?? 3;
      all.add(normalise(a.label), e, w);
      for (const alias of a.aliases) all.add(normalise(alias), e, w * 0.95);
      if (a.lat != null && a.lng != null) this.addressPoints.push(this.entities[e]);
    }
    // split shared names off into the communities' local tables
    for (const [term, postings] of all.terms) {
      if (postings.length <= GENERIC) { this.global.terms.set(term, postings); continue; }
      for (const p of postings) {
        const c = this.entities[p[0]].code;
        if (c.length < 12) continue; // a name shared by many streets or districts says nothing
        const key = c.slice(0, 12);
        let t = this.local.get(key);
        if (!t) { t = new TermTable(); this.local.set(key, t); }
        t.add(term, p[0], p[1]);
      }
    }
    this.global.index();
    for (const t of this.local.values()) t.index();
    this.addressCount = addresses.length;
    this.regionCount = regions.length;
    if (this.addressPoints.length) {
      const fb = new Flatbush(this.addressPoints.length);
      for (const p of this.addressPoints) fb.add(p.lng!, p.lat!, p.lng!, p.lat!);
      fb.finish();
      this.pointTree = fb;
    } else this.pointTree = null;
  }

  /** The region and its ancestors, from the district (or the top of the tree) down. */
  path(code: string): PathItem[] {
    const out: PathItem[] = [];
    let r = this.regions.get(code);
    while (r) {
      out.unshift({ code: r.code, name: r.shortName, level: r.level });
      if (r.level === 'district') break;
      r = r.parentCode ? this.regions.get(r.parentCode) : undefined;
    }
    return out;
  }

  /** Ranked candidates for a free-text address, best first. */
  search(text: string, opts: { near?: { lat: number; lng: number }; limit?: number } = {}): Candidate[] {
    const s = normalise(text).slice(0, 120);
    if (s.length < 2) return [];
    const globalHits: Hit[] = [];
    scan(this.global, s, globalHits);
    let hits = maximal(globalHits);
    let scored = this.score(hits, opts.near);
    // local names inside the community of the best candidate (and of those tied with it)
    const communities: string[] = [];
    for (const c of scored) {
      if (c.total < scored[0].total - 1e-9) break;
      const code = this.entities[c.entity].code;
      if (code.length < 12) continue;
      const key = code.slice(0, 12);
      if (!communities.includes(key)) communities.push(key);
      if (communities.length >= LOCAL_COMMUNITIES) break;
    }
    if (communities.length) {
      const localHits: Hit[] = [];
      for (const key of communities) {
        const table = this.local.get(key);
        if (table) scan(table, s, localHits);
      }
      if (localHits.length) {
        hits = maximal([...globalHits, ...localHits]);
        scored = this.score(hits, opts.near);
      }
    }
    const total = hits.reduce((sum, h) => sum + Math.max(...h.postings.map((p) => p[1])), 0) || 1;
    const out: Candidate[] = [];
    const seen = new Set<number>();
    for (const c of scored) {
      if (seen.has(c.entity)) continue;
      seen.add(c.entity);
      const e = this.entities[c.entity];
      const regionCode = e.kind === 'region' ? e.code : e.code;
      const path = this.path(regionCode);
      out.push({
        label: e.kind === 'region' ? path.filter((p) => LEVEL_DEPTH[p.level] >= 3).map((p) => p.name).join('') : e.label,
        regionCode, regionPath: path, lat: e.lat, lng: e.lng,
        score: Math.round(Math.max(0, Math.min(1, c.raw / total)) * 1000) / 1000,
        kind: e.kind, addressId: e.addressId,
      });
      if (out.length >= (opts.limit ?? 5)) break;
    }
    return out;
  }

  private score(hits: Hit[], near?: { lat: number; lng: number }): Array<{ entity: number; raw: number; total: number }> {
    const best = new Map<number, { raw: number; total: number }>();
    for (const h of hits) {
      for (const [e, w] of h.postings) {
        const code = this.entities[e].code;
        const depth = this.entities[e].depth;
        let raw = w;
        // the same words also name a region containing this one (大石 for 大石街道 and its 大石社区): the deeper reading
        for (const [oe, ow] of h.postings) {
          if (oe !== e && this.entities[oe].depth < depth && code.startsWith(this.entities[oe].code)) { raw += ow / 2; break; }
        }
        for (const o of hits) {
          if (o === h || overlaps(o, h)) continue;
          let support = 0;
          for (const [oe, ow] of o.postings) {
            if (ow <= support) continue;
            const ent = this.entities[oe];
            // an ancestor region, or an address containing this one (its road, its 小区)
            if (oe !== e && code.startsWith(ent.code) && (ent.depth < depth || (ent.depth === ADDRESS_DEPTH && depth === ADDRESS_DEPTH && ent.kind !== this.entities[e].kind))) support = ow;
          }
          if (support > 0) { raw += support; continue; }
          // a hit naming nothing related to this candidate speaks against it
          let related = false;
          for (const [oe] of o.postings) {
            const oc = this.entities[oe].code;
            if (code.startsWith(oc) || oc.startsWith(code)) { related = true; break; }
          }
          if (!related) {
            // a street or district the caller named outright weighs fully against a place outside it
            const [top] = o.postings.reduce((a, b) => (b[1] > a[1] ? b : a));
            raw -= (this.entities[top].depth <= LEVEL_DEPTH.street ? 1 : CONFLICT) * Math.max(...o.postings.map((p) => p[1]));
          }
        }
        let total = raw;
        if (near) {
          const ent = this.entities[e];
          if (ent.lat != null && ent.lng != null) total += NEAR_BONUS * Math.exp(-distanceKm(near.lat, near.lng, ent.lat, ent.lng) / NEAR_KM);
        }
        const prev = best.get(e);
        if (!prev || prev.total < total) best.set(e, { raw, total });
      }
    }
    return [...best.entries()]
      .map(([entity, v]) => ({ entity, ...v }))
      .sort((a, b) => b.total - a.total
        || this.entities[b.entity].depth - this.entities[a.entity].depth
        || (this.entities[a.entity].code < this.entities[b.entity].code ? -1 : this.entities[a.entity].code > this.entities[b.entity].code ? 1 : 0)
        || a.entity - b.entity);
  }

  /** The nearest standard address to a point (within maxMetres), and the region path of `regionCode` (or the address's). */
  reverse(lat: number, lng: number, regionCode: string | null, maxMetres = 2000): ReverseResult {
    let address: ReverseResult['address'] = null;
    if (this.pointTree) {
      const kx = Math.cos((lat * Math.PI) / 180);
      const maxDeg = maxMetres / 110_570 / Math.min(1, kx);
      const [k] = this.pointTree.neighbors(lng, lat, 1, maxDeg);
      if (k !== undefined) {
        const e = this.addressPoints[k];
        const d = distanceKm(lat, lng, e.lat!, e.lng!) * 1000;
        if (d <= maxMetres) address = { id: e.addressId!, label: e.label, kind: e.kind, lat: e.lat!, lng: e.lng!, distanceMetres: Math.round(d) };
        if (!regionCode) regionCode = e.code;
      }
    }
    return { address, regionCode, regionPath: regionCode ? this.path(regionCode) : [] };
  }

  region(code: string): GeoRegion | undefined { return this.regions.get(code); }
}
