// Who may use the geocoder and who keeps the standard address library (deny by default).
import { definePolicy } from '../../platform/policy.ts';

export const addressPolicy = definePolicy({
  'address.geocode': {
    roles: ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'resident'],
    what: 'search addresses (geocoding), find the address of a point, read the address library',
  },
  'address.manage': { roles: ['admin', 'command_centre', 'street_centre'], what: 'import and edit the standard address library' },
});
export type AddressAbility = keyof typeof addressPolicy.abilities;
