// What the command line says when a command cannot go on: one clear line in Chinese and in English (or the one
// language the terminal asks for), and a non-zero exit status — never a stack trace for a user's mistake (a
// missing file, an unknown option, a wrong kind or user). An unexpected failure says its message in one line
// too; GONGZHI_DEBUG=1 adds the stack trace for a bug report.
import { BilingualError, type Bilingual } from './errors.ts';

/**
 * The language of the command line's messages: zh or en from GONGZHI_LANG, LC_ALL, LC_MESSAGES or LANG
 * (zh_CN.UTF-8 → zh, en_US.UTF-8 → en); `both` (Chinese, then English) when none of them names one.
 */
export type CliLang = 'zh' | 'en' | 'both';
export function cliLang(env: NodeJS.ProcessEnv = process.env): CliLang {
  const v = (env.GONGZHI_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase();
  return v.startsWith('zh') ? 'zh' : v.startsWith('en') ? 'en' : 'both';
}

/** The lines of a message in `lang`: both languages, Chinese first, when the terminal names neither. */
export function sayIn(m: Bilingual, lang: CliLang): string[] {
  return lang === 'both' ? [m.zh, m.en] : [m[lang]];
}

/** A command refused what it was given: said in both languages, exit status `exitCode` (2 for wrong usage). */
export class CliError extends BilingualError {
  constructor(m: Bilingual, readonly exitCode = 1) { super(m); }
}

/** The message of a file the command could not open, read or write, by the system's error code. */
const fileProblems: Record<string, Bilingual> = {
  ENOENT: { zh: '文件或目录不存在', en: 'no such file or directory' },
  EACCES: { zh: '没有访问权限', en: 'permission denied' },
  EPERM: { zh: '不允许此操作', en: 'operation not permitted' },
  EISDIR: { zh: '这是一个目录，不是文件', en: 'it is a folder, not a file' },
  ENOTDIR: { zh: '路径中有一段不是目录', en: 'a part of the path is not a folder' },
  ENOSPC: { zh: '磁盘空间不足', en: 'no space left on the disk' },
  EROFS: { zh: '文件系统只读', en: 'the file system is read-only' },
  EMFILE: { zh: '打开的文件过多', en: 'too many open files' },
};

/** A file error from node:fs, said as a user reads it: which file, and what is wrong with it. */
export function fileProblem(err: unknown): Bilingual | null {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in fileProblems)) return null;
  const why = fileProblems[e.code];
  const path = e.path ?? '';
  return path
    ? { zh: `无法打开文件 ${path}：${why.zh}。`, en: `Cannot open the file ${path}: ${why.en}.` }
    : { zh: `文件操作失败：${why.zh}。`, en: `A file operation failed: ${why.en}.` };
}

/** Commander's refusals (unknown option or command, missing argument …), by its error code, in both languages. */
export function commanderProblem(code: string, message: string, command: string): Bilingual {
  const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  const [a = '', b = ''] = quoted;
  const suggestion = /\(Did you mean ([^?]+)\?\)/.exec(message)?.[1];
  const en = message.replace(/^error:\s*/, '').replace(/\s*\(Did you mean [^?]+\?\)/, '').trim() + (suggestion ? ` (did you mean ${suggestion}?)` : '');
  const hint = { zh: `（用法：npx gongzhi ${command}--help）`, en: ` (usage: npx gongzhi ${command}--help)` };
  const zh: Record<string, string> = {
    'commander.unknownOption': `未知的选项 ${a}${suggestion ? `（是否要用 ${suggestion}？）` : ''}`,
    'commander.unknownCommand': `未知的命令 ${a}${suggestion ? `（是否要用 ${suggestion}？）` : ''}`,
    'commander.missingArgument': `缺少参数 ${a}`,
    'commander.optionMissingArgument': `选项 ${a} 缺少取值`,
    'commander.missingMandatoryOptionValue': `缺少必需的选项 ${a}`,
    'commander.excessArguments': `命令 ${a} 的参数过多`,
    'commander.invalidArgument': `参数无效：${en}`,
    'commander.conflictingOption': `选项冲突：${a} 与 ${b} 不能同时使用`,
  };
  return { zh: `${zh[code] ?? en}${hint.zh}`, en: `${en.replace(/\.$/, '')}${hint.en}` };
}

export interface CliFailure { lines: string[]; exitCode: number; stack?: string }

/**
 * What the command line prints for an error that reached it: a CliError or an AppError in its two languages,
 * a file error naming the file, an unreadable file, an invalid configuration; anything else as
 * "gongzhi 出错 / gongzhi failed: message", with the stack trace only when GONGZHI_DEBUG is set.
 */
export function describeFailure(err: unknown, lang: CliLang, env: NodeJS.ProcessEnv = process.env): CliFailure {
  const e = err as Error & { zh?: unknown; en?: unknown };
  if (e instanceof CliError) return { lines: sayIn({ zh: e.zh, en: e.message }, lang), exitCode: e.exitCode };
  // AppError, BilingualError (configuration, data key) and UnreadableFileError carry their Chinese as `zh`
  if (e instanceof Error && typeof e.zh === 'string') {
    return { lines: sayIn({ zh: e.zh, en: typeof e.en === 'string' ? e.en : e.message }, lang), exitCode: 1 };
  }
  const net = err as NodeJS.ErrnoException & { port?: number };
  if (net?.syscall === 'listen') {
    return { lines: sayIn({ zh: `端口 ${net.port ?? ''} 已被占用或无权使用：请换一个 PORT。`, en: `Port ${net.port ?? ''} is in use or not allowed: choose another PORT.` }, lang), exitCode: 1 };
  }
  const file = fileProblem(err);
  if (file) return { lines: sayIn(file, lang), exitCode: 1 };
  const message = e instanceof Error ? e.message : String(err);
  return {
    lines: sayIn({
      zh: `gongzhi 出错：${message}（设置 GONGZHI_DEBUG=1 可显示详细的出错位置）`,
      en: `gongzhi failed: ${message} (GONGZHI_DEBUG=1 shows where)`,
    }, lang),
    exitCode: 1,
    stack: env.GONGZHI_DEBUG && e instanceof Error ? e.stack : undefined,
  };
}
