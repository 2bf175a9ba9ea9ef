// Server-Sent Events: every domain event the actor may see, live (DESIGN rule 8). A client that
// reconnects sends the last id it saw (Last-Event-ID, as EventSource does by itself) and first gets
// what it missed. The stream ends when its session does.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../errors.ts';
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE } from '../http/server.ts';
import { sessionStates, sessionTokenHash } from '../auth/service.ts';
import { EventStream, MAX_REPLAY } from './stream.ts';
import { StreamSessions } from './sessions.ts';

function sessionToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies?.[SESSION_COOKIE];
}

/** The position a client resumes after: digits only (the ids this endpoint hands out), or none. */
function lastEventId(req: FastifyRequest): number | null {
  const raw = req.headers['last-event-id'];
  if (raw == null || raw === '') return null;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!/^\d{1,15}$/.test(value)) throw badRequest('invalid_last_event_id', { zh: `Last-Event-ID 须为本事件流发送过的事件编号（数字）。`, en: 'Last-Event-ID must be an event id this stream sent (digits).' });
  return Number(value);
}

export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  const sessions = new StreamSessions(ctx.db, ctx.now, ctx.config.GONGZHI_STREAM_CHECK_SECONDS * 1000,
    (err) => ctx.log.warn({ err }, 'event stream session check failed; will retry'));
  app.addHook('onClose', async () => sessions.close());

  app.get('/api/v1/events', {
    schema: {
      summary: 'Live domain events in your scope (text/event-stream). Each event\'s id is its delivery position: send the last one '
        + `as Last-Event-ID to resume (up to ${MAX_REPLAY} positions back; further, an event "reset" says to reload). `
        + 'Ends with an event "session_ended" when the session is revoked, expires or the user is deactivated.',
      tags: ['events'],
      security: [{ bearer: [] }, { cookie: [] }],
      headers: { type: 'object', properties: { 'last-event-id': { type: 'string', pattern: '^[0-9]{1,15}$' } } },
    },
  }, async (req, reply) => {
    const actor = req.actor;
    const token = sessionToken(req);
    if (!actor || !token) throw new AppError(401, 'unauthenticated', { zh: `请先登录后再操作。`, en: 'Log in first.' });
    const after = lastEventId(req);
    const tokenHash = sessionTokenHash(token);
    const state = (await sessionStates(ctx.db, [tokenHash], ctx.now())).get(tokenHash);
    if (!state || state.ended) throw new AppError(401, 'unauthenticated', { zh: `您的会话已结束，请重新登录。`, en: 'Your session has ended; log in again.' });
    await ctx.events.start();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream = new EventStream(res, state.actor, ctx.events, after);
    req.raw.on('close', () => stream.close());
    sessions.watch(stream, tokenHash, state.expiresAt);
    try {
      await stream.open(after);
    } catch (err) {
      // the headers are sent: end the stream, and the client resumes from its last id
      ctx.log.warn({ err }, 'event stream replay failed');
      stream.close();
    }
  });
}
