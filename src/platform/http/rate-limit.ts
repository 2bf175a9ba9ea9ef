// Rate limits by @fastify/rate-limit: per route (`config.rateLimit`, route() `rateLimit`) and by hand
// (createRateLimit, for login failures). Counted in Redis when GONGZHI_REDIS_URL is set, so every
// process behind the load balancer shares one count; in this process's memory otherwise.
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Config } from '../config.ts';

export type RateLimitConfig = Pick<Config, 'GONGZHI_REDIS_URL' | 'GONGZHI_REDIS_PREFIX'>;

/** Connects to Redis, waiting a few seconds at most: without it limits are skipped, not the platform stopped. */
async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    // a rate limit that waits for Redis would stall every request: fail fast and let the request through
    connectTimeout: 2_000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true,
  });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis for rate limits unavailable; limits are skipped until it is back'));
  await redis.connect().catch(() => undefined);
  return redis;
}

export async function registerRateLimits(app: FastifyInstance, config: RateLimitConfig, log: Logger): Promise<void> {
  const redis = config.GONGZHI_REDIS_URL ? await connectRedis(config.GONGZHI_REDIS_URL, log) : undefined;
  await app.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${config.GONGZHI_REDIS_PREFIX}rl:`,
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) => new AppError(ctx.statusCode, 'rate_limited',
      { zh: `您所在地址的请求过于频繁，请 ${Math.max(1, Math.ceil(ctx.ttl / 1000))} 秒后再试。`, en: `Too many requests from your address; try again in ${ctx.after}.` }, { retryAfter: Math.max(1, Math.ceil(ctx.ttl / 1000)) }),
  });
  if (redis) app.addHook('onClose', async () => { redis.disconnect(); });
}
