// Password guessing, slowed without letting anyone lock a real user out. Only failed logins count,
// in @fastify/rate-limit's store (Redis when configured, so all processes share the counts):
// - per account and address pair, a delay that grows: 5 failures in a minute wait out that minute,
//   10 in a quarter of an hour that quarter, 20 in an hour that hour, 40 in a day that day. An
//   attacker elsewhere only slows themselves; the real user's own address keeps its own count;
// - per address, 20 failures a quarter of an hour across all accounts (one guess on each of many
//   accounts, password spraying). It holds back only accounts that have not logged in from that address
//   in the last 30 days: colleagues behind one office NAT or proxy keep logging in while somebody there
//   sprays, and the sprayer still cannot try new accounts;
// - per account, 100 failures a quarter of an hour from all addresses (a botnet): then only the
//   addresses this account logged in from in the last 30 days may still try.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import { AppError } from '../errors.ts';

const MINUTE = 60_000;
interface Tier { name: string; max: number; windowMs: number; key: (who: Who) => string }
interface Who { address: string; account: string }

const pair = (w: Who) => `${w.account}|${w.address}`;
const PAIR_TIERS: Tier[] = [
  { name: 'pair-1m', max: 5, windowMs: MINUTE, key: pair },
  { name: 'pair-15m', max: 10, windowMs: 15 * MINUTE, key: pair },
  { name: 'pair-1h', max: 20, windowMs: 60 * MINUTE, key: pair },
  { name: 'pair-1d', max: 40, windowMs: 24 * 60 * MINUTE, key: pair },
];
const ADDRESS_TIER: Tier = { name: 'address', max: 20, windowMs: 15 * MINUTE, key: (w) => w.address };
const ACCOUNT_TIER: Tier = { name: 'account', max: 100, windowMs: 15 * MINUTE, key: (w) => w.account };
/** Successful logins per pair over 30 days: a count above zero makes the address known for the account. */
const KNOWN_TIER: Tier = { name: 'known', max: 1_000_000, windowMs: 30 * 24 * 60 * MINUTE, key: pair };

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export interface LoginThrottle {
  /** Throws 429 (with retryAfter seconds) when this account may not be tried from this address now. */
  check(req: FastifyRequest, username: string): Promise<void>;
  failed(req: FastifyRequest, username: string): Promise<void>;
  succeeded(req: FastifyRequest, username: string): Promise<void>;
}

const WHO = Symbol('login.who');
type WithWho = FastifyRequest & { [WHO]?: Who };

export function loginThrottle(app: FastifyInstance): LoginThrottle {
  const build = (t: Tier): [Tier, Limiter] => [t, app.createRateLimit({
    max: t.max, timeWindow: t.windowMs, keyGenerator: (req) => `login:${t.name}:${t.key((req as WithWho)[WHO]!)}`,
  })];
  const guarded = [...PAIR_TIERS, ADDRESS_TIER].map(build);
  const address = guarded.find(([t]) => t === ADDRESS_TIER)![1];
  const [, account] = build(ACCOUNT_TIER);
  const [, known] = build(KNOWN_TIER);
  const counted = [...guarded.map(([, l]) => l), account];

  const tag = (req: FastifyRequest, username: string) => {
    (req as WithWho)[WHO] = { address: normalizeIP(req.ip), account: username.trim().toLowerCase() };
    return req;
  };

  return {
    async check(req, username) {
      tag(req, username);
      let pairWait = 0;
      for (const [tier, limiter] of guarded) {
        if (tier === ADDRESS_TIER) continue;
        const s = await limiter(req, { increment: false });
        if (!s.isAllowed && s.remaining === 0) pairWait = Math.max(pairWait, s.ttl);
      }
      let isKnown: boolean | undefined;
      const knownHere = async () => {
        if (isKnown === undefined) {
          const k = await known(req, { increment: false });
          isKnown = !k.isAllowed && k.remaining < k.max;
        }
        return isKnown;
      };
      const addr = await address(req, { increment: false });
      const addressWait = !addr.isAllowed && addr.remaining === 0 && !(await knownHere()) ? addr.ttl : 0;
      const a = await account(req, { increment: false });
      const accountWait = !a.isAllowed && a.remaining === 0 && !(await knownHere()) ? a.ttl : 0;
      const waitMs = Math.max(pairWait, addressWait, accountWait);
      if (waitMs > 0) {
        const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
        // which limit holds the user back decides what they can do about it: wait, or use their usual network
        const scope = waitMs === pairWait ? 'account_address' : waitMs === addressWait ? 'address' : 'account';
        const minutes = Math.ceil(retryAfter / 60);
        const detail = {
          account_address: {
            zh: `该账号从您所在地址登录失败次数过多，请 ${minutes} 分钟后再试。`,
            en: `Too many failed logins for this account from your address; try again in ${minutes} minute(s).`,
          },
          address: {
            zh: `您所在网络地址登录失败次数过多，请 ${minutes} 分钟后再试。曾从该地址登录过的账号不受影响。`,
            en: `Too many failed logins from your network address; try again in ${minutes} minute(s). Accounts that have logged in from this address before are not held back.`,
          },
          account: {
            zh: `该账号从多个地址登录失败次数过多，请 ${minutes} 分钟后再试，或从该账号以前登录过的地址登录。`,
            en: `Too many failed logins for this account from many addresses; try again in ${minutes} minute(s) or from an address it has logged in from before.`,
          },
        }[scope];
        throw new AppError(429, 'too_many_attempts', detail, { retryAfter, scope });
      }
    },
    async failed(req, username) {
      tag(req, username);
      await Promise.all(counted.map((limiter) => limiter(req)));
    },
    async succeeded(req, username) {
      tag(req, username);
      await known(req);
    },
  };
}
