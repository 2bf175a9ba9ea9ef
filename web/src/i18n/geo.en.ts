// English: addresses and geocoding (geo.*), mirroring geo.zh-CN.ts.
import type geoZh from './geo.zh-CN.ts';

const geoEn: Record<keyof typeof geoZh, string> = {
  'geo.placeholder': 'Address, estate, building or landmark, e.g. next to the market of 营盘街社区',
  'geo.noMatch': 'No match in the address library; file as typed (placed by the address) or pick on the map',
  'geo.noPath': '(no grid found)',
  'geo.placedBy': 'Placed by the address: {path}',
  'geo.locatedPath': 'Located: {path}',
  'geo.nearest': 'Nearest standard address: {address}',
  'geo.mismatch': 'The address lies in "{address}" but the map point in "{picked}": not the same community. Check before filing.',
  'geo.mismatchConfirmTitle': 'Address and map point disagree',
  'geo.mismatchConfirm': 'The address ({address}) and the map point ({picked}) lie in different communities. File anyway?',
  'geo.submitAnyway': 'File anyway',
  'geo.checkAgain': 'Check again',
  'geo.addressOnly': 'Without a map point, the case is placed in its community and grid by the address.',
  'geo.useMyLocation': 'Use my location',
  'geo.locating': 'Locating…',
  'geo.map.streets': 'Streets',
  'geo.map.communities': 'Communities',
  'geo.map.grids': 'Grids',
  'geo.map.addresses': 'Standard addresses',
  'geo.map.landmarks': 'Landmarks',
  'geo.map.tiles': 'Base map',
};
export default geoEn;
