// RFC 9457 problem details with a stable `code` (DESIGN rule 7).
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extra: string]: unknown;
}

/** A message said in both languages: zh-CN for Chinese users (the default), en for the rest. */
export interface Bilingual { zh: string; en: string }
/** Every refusal is said in both languages: a plain string does not compile (test/api/language-sweep.test.ts). */
export type Message = Bilingual;

/**
 * A failure outside HTTP (configuration, data key, files) said in both languages: `message` is the English (or
 * both, where callers match on the whole text), `zh` and `en` each language alone; the CLI prints the one it wants.
 */
export class BilingualError extends Error {
  readonly zh: string;
  readonly en: string;
  constructor(m: Bilingual, message = m.en) {
    super(message);
    this.zh = m.zh;
    this.en = m.en;
  }
}

export class AppError extends Error {
  /** the Chinese text (the English is `message`) */
  readonly zh: string;
  constructor(
    readonly status: number,
    readonly code: string,
    message: Message,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message.en);
    this.zh = message.zh;
  }
  /** The message in the language asked for. */
  say(zh: boolean): string { return zh ? this.zh : this.message; }
  /** The extra members in the language asked for: an issue of `errors` given with its Chinese (`zh`) says that or its English. */
  extraFor(zh: boolean): Record<string, unknown> {
    const errors = this.extra.errors;
    if (!Array.isArray(errors) || !errors.some((e) => e && typeof e === 'object' && 'zh' in e)) return this.extra;
    return {
      ...this.extra,
      errors: errors.map((e) => {
        if (!e || typeof e !== 'object' || !('zh' in e)) return e;
        const { zh: said, ...rest } = e as { zh: string; message: string };
        return zh ? { ...rest, message: said } : rest;
      }),
    };
  }
}

/** Role names for messages, in both languages. */
export const roleNames: Record<string, Bilingual> = {
  admin: { zh: '系统管理员', en: 'administrator' }, command_centre: { zh: '指挥中心', en: 'command centre' },
  street_centre: { zh: '街道综治中心', en: 'street centre' }, community: { zh: '社区', en: 'community' },
  grid_worker: { zh: '网格员', en: 'grid worker' }, hotline_operator: { zh: '12345话务员', en: 'hotline operator' },
  department: { zh: '职能部门', en: 'department' }, resident: { zh: '居民', en: 'resident' },
};
/** The Chinese name of a role (the role's key when it is not one of the platform's). */
export const roleZh = (role: string): string => roleNames[role]?.zh ?? role;

/** A terminal set to Chinese (LC_ALL, LC_MESSAGES or LANG zh…): the command line prints refusals in Chinese. */
export const terminalWantsChinese = (env: NodeJS.ProcessEnv = process.env): boolean =>
  /^zh/i.test(env.LC_ALL || env.LC_MESSAGES || env.LANG || '');

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error',
};

/** The titles in Chinese, for a request in Chinese (the default). */
export const titlesZh: Readonly<Record<number, string>> = {
  400: '错误的请求', 401: '未登录', 403: '无权访问', 404: '未找到', 405: '不支持的请求方法',
  409: '冲突', 413: '内容过大', 415: '不支持的内容格式', 422: '无法处理',
  429: '请求过多', 500: '服务器内部错误',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}, zh = false): ProblemBody {
  const title = zh ? titlesZh[status] ?? '出错了' : titles[status] ?? 'Error';
  return { type: `https://gongzhi.dev/problems/${code}`, title, status, code, detail, ...extra };
}

export const badRequest = (code: string, msg: Message, extra?: Record<string, unknown>) => new AppError(400, code, msg, extra);
export const unauthorized = (msg: Message = { zh: '请先登录。', en: 'Log in first.' }) => new AppError(401, 'unauthenticated', msg);
export const forbidden = (msg: Message = { zh: '您无权执行此操作。', en: 'You may not do this.' }) => new AppError(403, 'forbidden', msg);
/** 404 for a thing named in both languages, e.g. notFound({ zh: `案件 ${no}`, en: `Case ${no}` }). */
export const notFound = (what: Bilingual) => new AppError(404, 'not_found', { zh: `${what.zh}不存在。`, en: `${what.en} was not found.` });
export const conflict = (code: string, msg: Message, extra?: Record<string, unknown>) => new AppError(409, code, msg, extra);
export const unprocessable = (code: string, msg: Message, extra?: Record<string, unknown>) => new AppError(422, code, msg, extra);
