// Server-Sent Events: every domain event the actor may see, live (DESIGN rule 8).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { AppContext } from '../context.ts';
import { eventVisibleTo } from './index.ts';

export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/events', {
    schema: { summary: 'Live domain events in your scope (text/event-stream)', tags: ['events'], security: [{ bearer: [] }, { cookie: [] }] },
  }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) throw new AppError(401, 'unauthenticated', 'Log in first.');
    await ctx.events.start();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);
    const off = ctx.events.subscribe((e) => {
      if (!eventVisibleTo(actor, e)) return;
      res.write(`id: ${e.id}\nevent: ${e.topic}\ndata: ${JSON.stringify({ ...e.payload, at: e.createdAt })}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.raw.on('close', () => { off(); clearInterval(ping); });
  });
}
