// Assembles the HTTP service: infrastructure plugins, error mapping, authentication, module routes.
import Fastify, { type FastifyInstance, type FastifyError, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { AppError, problem } from '../errors.ts';
import { wantsChinese } from './route.ts';
import { authenticate } from '../auth/service.ts';
import type { AppContext } from '../context.ts';
import { isUnsafeMethod, registerSecurityHeaders, sameOrigin } from './security.ts';
import { registerRateLimits } from './rate-limit.ts';
import { LazyChildLogger } from '../log.ts';
import type { Logger } from 'pino';

export const SESSION_COOKIE = 'gz_session';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type ModulePlugin = (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;

export async function buildHttp(ctx: AppContext, modules: ModulePlugin[]): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: 'http' }, { level: 'warn' }) as unknown as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Only the configured proxies may say who the client is (X-Forwarded-For) and how it came (-Proto).
    trustProxy: ctx.config.GONGZHI_TRUST_PROXY.length ? ctx.config.GONGZHI_TRUST_PROXY : false,
    ajv: { customOptions: { strict: false } },
    // the request's child logger (bound to its id) is made only if something is logged through it
    childLoggerFactory: (logger, bindings, opts) => (opts.level
      ? logger.child(bindings, opts)
      : new LazyChildLogger(logger as unknown as Logger, bindings, opts as Record<string, unknown>) as unknown as FastifyBaseLogger),
    // a request Node's HTTP parser refuses (e.g. raw, unencoded UTF-8 in the address): there is no request to ask
    // for its language, so the answer is in Chinese (the default) with the English after it
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) { socket.destroy(err); return; }
      const status = (err as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        ...problem(400, 'bad_url', `${fastifyMessagesZh.bad_url_chars}（The request could not be read: encode the address with percent-encoding.）`, {}, true),
        status,
        ...(status === 431 ? { title: '请求头过大', code: 'headers_too_large', detail: '请求头过大，请清除本站浏览数据后重试。（Request headers too large.）' } : {}),
      });
      socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json; charset=utf-8\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    // errors the router raises before any route runs (an undecodable URL, an over-long path parameter)
    frameworkErrors: (err, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const code = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path_too_long' : 'bad_url';
      const zh = wantsChinese(req as FastifyRequest);
      const detail = zh ? fastifyMessageZh(code)
        : code === 'path_too_long' ? 'A path parameter is too long.' : 'The URL is not valid: it has a broken percent-encoding.';
      (reply as unknown as FastifyReply).code(status).type('application/problem+json').send(problem(status, code, detail, {}, zh));
    },
  });
  // zod validates in the route helper; fastify's schemas only document.
  app.setValidatorCompiler(() => () => true);

  await registerSecurityHeaders(app, ctx.config);
  await registerRateLimits(app, ctx.config, ctx.log);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'gongzhi (共治) API',
        version: '1',
        description: 'Grid-based municipal social governance: regions, cases (12345 工单, 网格事件, 部件/事件), routing, 吹哨报到, events. Errors are RFC 9457 application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
  });
  // swagger-ui sets its own CSP on /docs (its page needs its inline bootstrap); it must not be framed either
  await app.register(swaggerUi, {
    routePrefix: '/docs', staticCSP: true, transformStaticCSP: (csp) => csp.replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'"),
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(err.extra.retryAfter ?? 60));
      return reply.code(err.status).type('application/problem+json').send(problem(err.status, err.code, err.say(wantsChinese(req)), err.extraFor(wantsChinese(req)), wantsChinese(req)));
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = fastifyCode(err as FastifyError);
      return reply.code(status).type('application/problem+json').send(problem(status, code, wantsChinese(req) ? fastifyMessageZh(code) : err.message, {}, wantsChinese(req)));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).type('application/problem+json').send(problem(500, 'internal',
      wantsChinese(req) ? '服务器内部出错，已记录，请稍后再试。' : 'Something went wrong on our side; it has been logged.', {}, wantsChinese(req)));
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    reply.code(404).type('application/problem+json').send(problem(404, 'not_found',
      wantsChinese(req) ? `没有 ${req.method} ${path} 这个接口。` : `No route ${req.method} ${path}.`, {}, wantsChinese(req)));
  });

  // Every 429, whoever raised it, says when to come back.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (reply.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
    done(null, payload);
  });

  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = bearer ? undefined : req.cookies?.[SESSION_COOKIE];
    if (!bearer && isUnsafeMethod(req.method)) refuseCrossSite(req, !!cookie, ctx);
    const token = bearer ?? cookie;
    req.actor = token ? await authenticate(ctx.db, token, ctx.now()) : null;
  });

  app.get('/healthz', { schema: { summary: 'Liveness and database check', tags: ['platform'] } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', engine: ctx.db.engine };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const m of modules) await m(app, ctx);
  return app;
}

/**
 * CSRF: a browser sends the session cookie with any request to us, whichever site started it, so a
 * write authenticated by the cookie must prove it comes from our own pages. Bearer tokens are never
 * sent by the browser on its own, so those clients are unaffected. A login from another site's page
 * is refused too (it would log the victim into the attacker's account).
 */
function refuseCrossSite(req: FastifyRequest, cookieAuthenticated: boolean, ctx: AppContext): void {
  const same = sameOrigin(req, ctx.config);
  const isLogin = req.url.split('?')[0] === '/api/v1/auth/login';
  if (same === false && (cookieAuthenticated || isLogin)) {
    throw new AppError(403, 'cross_site_request', { zh: `该请求来自其他网站；已登录的修改操作只接受来自本平台页面的请求。`, en: 'This request comes from another site; writes with the session cookie are accepted only from this platform\'s own pages.' });
  }
  if (same === null && cookieAuthenticated) {
    throw new AppError(403, 'cross_site_request', { zh: `无法确认该修改操作来自本平台页面，请在本平台页面中重新操作；接口调用请使用访问令牌。`, en: 'A write with the session cookie must carry an Origin or Referer header of this platform (browsers send one); other clients use an Authorization: Bearer token.' });
  }
}

/** Fastify's own refusals (its messages are English only), by their problem code, in Chinese. */
export const fastifyMessagesZh: Readonly<Record<string, string>> = {
  payload_too_large: '请求内容过大。',
  unsupported_media_type: '不支持该请求内容类型，请以 application/json 格式发送。',
  malformed_body: '请求内容不是有效的 JSON。',
  not_multipart: '请以 multipart/form-data 格式上传文件。',
  bad_request: '请求格式有误。',
  path_too_long: '路径参数过长。',
  bad_url: '网址无效：其中的百分号编码有误。',
  bad_url_chars: '网址无效：其中的中文等字符须经过编码，请从页面上的链接或按钮重新打开。',
};
const fastifyMessageZh = (code: string): string => fastifyMessagesZh[code] ?? fastifyMessagesZh.bad_request;

function fastifyCode(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': case 'FST_REQ_FILE_TOO_LARGE': case 'FST_FILES_LIMIT': return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return 'unsupported_media_type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': case 'FST_ERR_CTP_INVALID_JSON_BODY': return 'malformed_body';
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE': return 'not_multipart';
    default: return err.statusCode === 413 ? 'payload_too_large' : err.statusCode === 415 ? 'unsupported_media_type' : 'bad_request';
  }
}
