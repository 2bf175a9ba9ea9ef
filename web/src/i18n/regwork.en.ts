// English: registry work in the console (rw.*); mirrors regwork.zh-CN.ts.
import type regworkZh from './regwork.zh-CN.ts';

const regworkEn: Record<keyof typeof regworkZh, string> = {
  'rw.head': 'Head of household',
  'rw.memberCount': 'Members',
};
export default regworkEn;
