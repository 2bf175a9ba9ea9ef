// Who may use the geocoder and who keeps the standard address library (deny by default).
import { definePolicy } from '../../platform/policy.ts';

export const addressPolicy = definePolicy({
  'address.geocode': {
    roles: ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'resident'],
    what: { zh: '查询地址、查找坐标点所在地址和查看地址库', en: 'search addresses (geocoding), find the address of a point, read the address library' },
  },
  'address.manage': { roles: ['admin', 'command_centre', 'street_centre'], what: { zh: '导入和编辑标准地址库', en: 'import and edit the standard address library' } },
});
export type AddressAbility = keyof typeof addressPolicy.abilities;
