// RFC 9457 problem details with a stable `code` (DESIGN rule 7).
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extra: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ProblemBody {
  return { type: `https://gongzhi.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...extra };
}

export const badRequest = (code: string, msg: string, extra?: Record<string, unknown>) => new AppError(400, code, msg, extra);
export const unauthorized = (msg = 'Log in first.') => new AppError(401, 'unauthenticated', msg);
export const forbidden = (msg = 'You may not do this.') => new AppError(403, 'forbidden', msg);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, msg: string, extra?: Record<string, unknown>) => new AppError(409, code, msg, extra);
export const unprocessable = (code: string, msg: string, extra?: Record<string, unknown>) => new AppError(422, code, msg, extra);
