import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { dispatchReach, type UnitPlace } from './reach.ts';

const actor = (role: Role, regionCode: string): Actor =>
  ({ id: 1, username: 'x', displayName: 'x', role, unitId: null, unitKind: null, regionCode, locale: 'zh-CN' });
const unit = (id: string, kind: string, region_code: string): UnitPlace => ({ id, kind, region_code });

// district 500117, streets 500117001 and 500117002, communities 500117001001 and 500117001002
const units = {
  ownCommunity: unit('cm-1', 'community', '500117001001'),
  neighbourCommunity: unit('cm-2', 'community', '500117001002'),
  otherStreetCommunity: unit('cm-3', 'community', '500117002001'),
  ownStreet: unit('sc-1', 'street_centre', '500117001'),
  otherStreet: unit('sc-2', 'street_centre', '500117002'),
  districtDept: unit('dept-a', 'department', '500117'),
  otherStreetDept: unit('dept-b', 'department', '500117002'),
  otherDistrict: unit('cm-9', 'community', '500118001001'),
};
const allowed = (reach: ReturnType<typeof dispatchReach>) => Object.entries(units).filter(([, u]) => reach.allows(u)).map(([k]) => k);

describe('派遣的范围', () => {
  it('keeps a community to its own community', () => {
    expect(allowed(dispatchReach(actor('community', '500117001001'), '500117'))).toEqual(['ownCommunity']);
  });
  it('lets a street centre reach its street and the district departments', () => {
    expect(allowed(dispatchReach(actor('street_centre', '500117001'), '500117'))).toEqual(['ownCommunity', 'neighbourCommunity', 'ownStreet', 'districtDept']);
  });
  it('lets the district level and the system reach the whole district, and nothing beyond it', () => {
    const all = Object.keys(units).filter((k) => k !== 'otherDistrict');
    expect(allowed(dispatchReach(actor('command_centre', '500117'), '500117'))).toEqual(all);
    expect(allowed(dispatchReach(actor('command_centre', '5001'), '500117'))).toEqual(all);
    expect(allowed(dispatchReach(null, '500117'))).toEqual(all);
  });
  it('adds the units of a responsibility rule made for the dispatcher\'s own area, not of a district-wide one', () => {
    const community = actor('community', '500117001001');
    expect(allowed(dispatchReach(community, '500117', { units: ['dept-a'], regionPrefix: '500117001001' }))).toEqual(['ownCommunity', 'districtDept']);
    expect(allowed(dispatchReach(community, '500117', { units: ['dept-a'], regionPrefix: '500117' }))).toEqual(['ownCommunity']);
  });
  it('says why in both languages, by level', () => {
    const zh = (a: Actor) => dispatchReach(a, '500117').refusal('某单位');
    expect(zh(actor('community', '500117001001')).zh).toContain('本社区');
    expect(zh(actor('street_centre', '500117001')).en).toContain('street');
  });
});
