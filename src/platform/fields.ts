// The Chinese names of the API's field names and of its schemas' own messages, so that a validation
// refusal reads "请求内容无效：姓名 — 必填" to a Chinese user, not "Invalid body: body.name — …".
// test/api/language-sweep.test.ts walks every field of every route's schema: a field without a Chinese
// name here fails it.

const whereZh: Record<string, string> = { path: '路径参数', query: '查询参数', body: '请求内容', params: '路径参数' };
/** "请求内容" for body, "查询参数" for query, "路径参数" for path. */
export const zhWhere = (where: string): string => whereZh[where] ?? where;

/** Field name → its Chinese name. */
export const fieldNamesZh: Readonly<Record<string, string>> = {
  // FIELDS
};

/** The Chinese name of one field (the name itself when it has none). */
export const fieldZh = (name: string): string => (Object.hasOwn(fieldNamesZh, name) ? fieldNamesZh[name] : name);

/**
 * A request path such as `body.callers.0.phone` as a Chinese reader says it: "来电人 › 第1项 › 电话"
 * (the leading `body.`/`query.`/`path.` is said by the sentence around it).
 */
export function fieldPathZh(path: string, where?: string): string {
  const parts = path.split('.');
  if (where !== undefined && parts[0] === where) parts.shift();
  if (!parts.length) return zhWhere(where ?? '');
  return parts.map((p) => (/^\d+$/.test(p) ? `第${Number(p) + 1}项` : fieldZh(p))).join(' › ');
}

/** The schemas' own English messages (`.regex(…, 'message')`, `.refine(…, 'message')`) in Chinese. */
export const schemaMessagesZh: Readonly<Record<string, string>> = {
  // MESSAGES
};

/** A schema's own message in Chinese; zod's own (already Chinese under its zh-CN locale) pass through. */
export const schemaMessageZh = (message: string): string => (Object.hasOwn(schemaMessagesZh, message) ? schemaMessagesZh[message] : message);
