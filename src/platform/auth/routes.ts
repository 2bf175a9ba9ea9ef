// Login, logout, who am I.
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { SESSION_COOKIE } from '../http/server.ts';
import type { AppContext } from '../context.ts';
import { login, logout } from './service.ts';
import { loginThrottle } from './throttle.ts';
import { AppError } from '../errors.ts';

const Login = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
}).strict();

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const throttle = loginThrottle(app);
  route(app, {
    method: 'POST', url: '/api/v1/auth/login', tags: ['auth'], auth: 'none',
    summary: 'Log in with username and password; returns a bearer token and sets the session cookie. '
      + 'Failed attempts are slowed per account and address (429 with Retry-After).',
    body: Login,
    handler: async ({ body, req, reply }) => {
      await throttle.check(req, body.username);
      const s = await login(ctx.db, body.username, body.password, ctx.config.GONGZHI_SESSION_HOURS, ctx.now()).catch(async (err) => {
        if (err instanceof AppError && err.status === 401) await throttle.failed(req, body.username);
        throw err;
      });
      await throttle.succeeded(req, body.username);
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/', httpOnly: true, sameSite: 'lax', expires: s.expiresAt,
        secure: process.env.NODE_ENV === 'production',
      });
      return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.actor };
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/auth/logout', tags: ['auth'],
    summary: 'Revoke the current session',
    status: 204,
    handler: async ({ req, reply }) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies[SESSION_COOKIE];
      if (token) await logout(ctx.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/auth/me', tags: ['auth'],
    summary: 'The logged-in user, role, unit and scope',
    handler: async ({ actor }) => actor,
  });
}
