// English: the hotline desk (hd.*). Mirrors hotdesk.zh-CN.ts.
import type zh from './hotdesk.zh-CN.ts';

const hotdeskEn: Record<keyof typeof zh, string> = {
  'hd.callerHistory': 'Caller history',
  'hd.repeatCaller': 'Repeat caller · {n} earlier',
  'hd.firstCall': 'First call',
  'hd.openTickets': '{n} open',
  'hd.noHistory': 'No earlier tickets from this number.',
  'hd.appealKind': 'Request kind',
  'hd.kind.consult': 'Enquiry',
  'hd.kind.help': 'Request for help',
  'hd.kind.complaint': 'Complaint',
  'hd.kind.report': 'Report of wrongdoing',
  'hd.kind.suggestion': 'Suggestion',
  'hd.kind.praise': 'Praise',
  'hd.answerOnCall': 'Answered on the call',
  'hd.answerOnCallHint': 'When the question was answered during the call, write the answer and close the ticket now; no location needed.',
  'hd.answerPlaceholder': 'The answer (pick one from the knowledge base)',
  'hd.closeOnCall': 'Close as answered',
  'hd.closedOnCall': 'Ticket {caseNo} closed as answered on the call',
  'hd.mergedCallers': 'Callers of merged duplicates (call them back too)',
  'hd.caseNoInput': 'Type the case number, e.g. RX202611160000123',
};
export default hotdeskEn;
