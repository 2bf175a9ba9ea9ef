// The reasons of an import's error report in Chinese beside English: each refused cell's reason is
// written once in both languages (rows are checked in worker threads, the report is read later in the
// reader's language, Accept-Language). Reasons come from the API's own checks (zod schemas, ID and credit
// code checks, dictionaries, grids); this maps their codes and messages onto Chinese sentences.
import type { Issue } from '../kinds.ts';
import { schemaMessagesZh } from '../../../platform/fields.ts';

/** Chinese for the fixed messages of the registry's schemas and checks. */
const FIXED: Record<string, string> = {
  'an ID number has 18 characters: 17 digits and a digit or X': '公民身份号码为 18 位：17 位数字加 1 位数字或 X',
  'the check character does not match (GB 11643, ISO 7064 MOD 11-2)': '公民身份号码校验位不正确（GB 11643）',
  'the birth date in the ID number is not a real date, before 1900 or in the future': '公民身份号码中的出生日期不是真实日期',
  'the address code in the ID number is not a plausible GB/T 2260 region': '公民身份号码的地址码不是有效的行政区划代码',
  'a unified social credit code has 18 characters: digits and capitals without I, O, S, V, Z, with a 6-digit region code in positions 3–8':
    '统一社会信用代码为 18 位数字或大写字母（不含 I、O、S、V、Z）',
  'the check character does not match (GB 32100)': '统一社会信用代码校验位不正确（GB 32100）',
  "dates are real days written 'YYYY-MM-DD'": '日期须为真实日期，写作 YYYY-MM-DD',
  'codes are letters, digits or underscore': '代码只能是字母、数字或下划线',
  'region codes are 6–16 digits': '网格编码为 6–16 位数字',
  'give an 11-digit mobile number or a fixed line with its area code (e.g. 023-42812345)': '联系方式须为 11 位手机号码，或带区号的固定电话（如 023-42812345）',
  'document numbers are letters, digits and dashes': '证件号码只能是字母、数字和连字符',
  '户号 is letters, digits and dashes': '户号只能是字母、数字和连字符',
  'household numbers are letters, digits and dashes': '户号只能是字母、数字和连字符',
  'building codes are letters, digits and dashes': '楼栋编码只能是字母、数字和连字符',
  'facility codes are 16 digits: 6 region + 2 大类 + 2 小类 + 6 serial': '部件标识码为 16 位数字：6 位区划 + 2 位大类 + 2 位小类 + 6 位序号',
  '大类 is two digits': '大类为 2 位数字',
  '小类 is two digits': '小类为 2 位数字',
  'occupation categories are GB/T 6565 codes': '职业类别须为 GB/T 6565 代码',
  'places are 6-digit GB/T 2260 division codes (a province, prefecture or county)': '须为 6 位行政区划代码（GB/T 2260），请选择省、市或区县',
  'rental details need rented: true': '填写了出租信息，但“是否出租”不是“是”',
  'the lease ends before it starts': '租赁结束日期早于开始日期',
  'the sex does not match the ID number (17th digit: odd male, even female)': '性别与公民身份号码不符（第 17 位奇数为男、偶数为女）',
  'enterprises and social organisations need their unified social credit code': '企业和社会组织须填写统一社会信用代码',
  'digits 7–10 of the code must be the 大类 and 小类': '部件标识码第 7–10 位须为大类和小类',
  'the first 6 digits of the code must be the district of the grid': '部件标识码前 6 位须为网格所在区县',
  'give the grid (regionCode) the record belongs to': '请填写网格编码',
};

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/received undefined/, () => '必填，不能为空'],
  [/^Invalid input: expected number/, () => '应为数字'],
  [/^Invalid input: expected boolean/, () => '应为“是”或“否”'],
  [/^Invalid input: expected (string|array)/, () => '格式不正确'],
  [/^Invalid option/, () => '不是可选的值'],
  [/^Too big: expected string to have <=?(\d+) characters/, (m) => `不能超过 ${m[1]} 个字`],
  [/^Too big: expected number to be <=?([\d.]+)/, (m) => `不能大于 ${m[1]}`],
  [/^Too small: expected number to be >=?([\d.-]+)/, (m) => `不能小于 ${m[1]}`],
  [/^Too small: expected string to have >=?(\d+) characters/, (m) => `至少 ${m[1]} 个字`],
  [/^Too (big|small): expected array/, () => '项数不符合要求'],
  [/^Invalid input: expected int/, () => '应为整数'],
  [/^region (\d+) does not exist/, (m) => `区划 ${m[1]} 不存在`],
  [/^region (\d+) is a (\w+); records belong to a grid/, (m) => `${m[1]} 不是网格；记录须登记到网格`],
  [/^grid (\d+) is outside the region you work in/, (m) => `网格 ${m[1]} 不在你的工作区域内`],
  [/^the row has (\d+) fields; the header has (\d+)/, (m) => `此行有 ${m[1]} 列，表头有 ${m[2]} 列`],
  [/^duplicate of row (\d+) in this file/, (m) => `与本文件第 ${m[1]} 行重复`],
  [/^the ID number says (\S+)/, (m) => `与公民身份号码中的出生日期 ${m[1]} 不符`],
  [/^(\S+) is before (\S+)/, () => '日期先后顺序不对'],
  [/must be the 大类|is not a 大类|is not a 小类/, () => '不是有效的部件分类'],
  [/^a person with this ID number is registered already/, () => '此公民身份号码已登记'],
  [/^a house with this address is registered in this grid already/, () => '此网格已登记该地址的房屋'],
  [/^an organisation with this unified social credit code is registered already/, () => '此统一社会信用代码已登记'],
  [/^a facility with this code is registered already/, () => '此部件标识码已登记'],
];

/** The Chinese sentence for an issue of a column (its Chinese title) whose cell held `value`. */
export function zhReason(issue: Pick<Issue, 'code' | 'message'>, columnZh: string, value: string): string {
  if (issue.code === 'unknown_code') return `“${value}”不是${columnZh}的代码或名称`;
  const fixed = FIXED[issue.message];
  if (fixed) return fixed;
  for (const [re, f] of PATTERNS) {
    const m = re.exec(issue.message);
    if (m) return f(m);
  }
  // a rule the schema catalogue says in Chinese (a sensor needs its sensor type …), else the column's format
  if (Object.hasOwn(schemaMessagesZh, issue.message)) return schemaMessagesZh[issue.message];
  return `${columnZh}格式不正确`;
}

/** A column that does not apply to the row's population type: ignored, with a warning. */
export const notApplicable = (columnZh: string, typeZh: string) => ({
  en: `ignored: ${columnZh} does not apply to ${typeZh}`,
  zh: `已忽略：${typeZh}不填${columnZh}`,
});

export type Lang = 'zh' | 'en';
/** The reader's language from Accept-Language: the first of Chinese or English it names; Chinese when it names neither (the platform's default). */
export function langOf(acceptLanguage: string | undefined): Lang {
  const tags = (acceptLanguage ?? '').split(',').map((t) => t.trim().split(';')[0].toLowerCase()).filter(Boolean);
  for (const t of tags) {
    if (t.startsWith('zh')) return 'zh';
    if (t.startsWith('en')) return 'en';
  }
  return 'zh';
}
