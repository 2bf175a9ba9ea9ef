// 简体中文：registry work in the console (rw.*): person and household forms, links, label life cycle,
// imports and the audit. Spread into zh-CN.ts; regwork.en.ts mirrors it.
const regworkZh = {
  'rw.head': '户主',
  'rw.memberCount': '成员数',
};
export default regworkZh;
