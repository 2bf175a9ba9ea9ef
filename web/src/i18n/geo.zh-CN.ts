// 简体中文：addresses and geocoding (geo.*): the address search, location confirmations, the mismatch warning, map labels.
// Spread into zh-CN.ts; geo.en.ts mirrors it.
const geoZh = {
  'geo.placeholder': '输入地址、小区、楼栋或地标，如：营盘街社区菜市场旁边',
  'geo.noMatch': '地址库中没有匹配的地址，可直接提交（按地址自动定位）或在地图上选点',
  'geo.noPath': '（未定位到网格）',
  'geo.placedBy': '已按地址定位：{path}',
  'geo.locatedPath': '已定位：{path}',
  'geo.nearest': '附近标准地址：{address}',
  'geo.mismatch': '所填地址在“{address}”，地图选点在“{picked}”，两者不在同一社区，请核对后再提交。',
  'geo.mismatchConfirmTitle': '地址与选点不一致',
  'geo.mismatchConfirm': '所填地址（{address}）与地图选点（{picked}）不在同一社区。仍要提交吗？',
  'geo.submitAnyway': '仍然提交',
  'geo.checkAgain': '返回核对',
  'geo.addressOnly': '未选点时，将按所填地址自动定位到社区和网格。',
  'geo.useMyLocation': '使用我的位置',
  'geo.locating': '正在定位…',
  'geo.map.streets': '街道',
  'geo.map.communities': '社区',
  'geo.map.grids': '网格',
  'geo.map.addresses': '标准地址',
  'geo.map.landmarks': '地标',
  'geo.map.tiles': '底图',
};
export default geoZh;
