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
export type Message = string | Bilingual;

export class AppError extends Error {
  /** the Chinese text, when the message was given in both languages */
  readonly zh?: string;
  constructor(
    readonly status: number,
    readonly code: string,
    message: Message,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(typeof message === 'string' ? message : message.en);
    if (typeof message !== 'string') this.zh = message.zh;
  }
  /** The message in the language asked for (English when no Chinese was given). */
  say(zh: boolean): string { return zh && this.zh ? this.zh : this.message; }
}

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ProblemBody {
  return { type: `https://gongzhi.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...extra };
}

export const badRequest = (code: string, msg: Message, extra?: Record<string, unknown>) => new AppError(400, code, msg, extra);
export const unauthorized = (msg: Message = { zh: '请先登录。', en: 'Log in first.' }) => new AppError(401, 'unauthenticated', msg);
export const forbidden = (msg: Message = { zh: '您无权执行此操作。', en: 'You may not do this.' }) => new AppError(403, 'forbidden', msg);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, msg: Message, extra?: Record<string, unknown>) => new AppError(409, code, msg, extra);
export const unprocessable = (code: string, msg: Message, extra?: Record<string, unknown>) => new AppError(422, code, msg, extra);
