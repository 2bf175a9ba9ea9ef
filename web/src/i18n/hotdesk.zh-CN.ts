// 简体中文：the hotline desk (hd.*): caller history, 诉求类型, 即时办结, the knowledge base.
// Spread into zh-CN.ts; hotdesk.en.ts mirrors it.
const hotdeskZh = {
  'hd.callerHistory': '来电历史',
  'hd.repeatCaller': '重复来电 · 此前 {n} 件',
  'hd.firstCall': '首次来电',
  'hd.openTickets': '{n} 件在办',
  'hd.noHistory': '该号码此前没有工单。',
  'hd.appealKind': '诉求类型',
  'hd.kind.consult': '咨询',
  'hd.kind.help': '求助',
  'hd.kind.complaint': '投诉',
  'hd.kind.report': '举报',
  'hd.kind.suggestion': '建议',
  'hd.kind.praise': '表扬',
  'hd.answerOnCall': '即时办结',
  'hd.answerOnCallHint': '来电问题已在通话中答复的，填写答复内容后直接办结，无需定位。',
  'hd.answerPlaceholder': '答复内容（可从知识库选用）',
  'hd.closeOnCall': '即时办结',
  'hd.closedOnCall': '工单 {caseNo} 已即时办结',
  'hd.mergedCallers': '并入的重复件来电人（一并回访）',
  'hd.caseNoInput': '输入工单编号，如 RX202611160000123',
};
export default hotdeskZh;
