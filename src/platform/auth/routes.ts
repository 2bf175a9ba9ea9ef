// Login, logout, who am I, change my password.
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../http/route.ts';
import { SESSION_COOKIE } from '../http/server.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { changePassword, login, logout, MIN_PASSWORD_LENGTH } from './service.ts';

const Login = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
}).strict();

const PasswordChange = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH, `passwords have at least ${MIN_PASSWORD_LENGTH} characters`).max(256),
}).strict();

const sessionToken = (req: FastifyRequest): string | null => {
  const header = req.headers.authorization;
  return (header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies[SESSION_COOKIE]) || null;
};

/** What a user whose password must be changed may still call: who am I, change it, log out. */
const OPEN_WHILE_CHANGE_REQUIRED = new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/logout']);

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  // A generated password (the first admin's, an imported user's) is known to whoever read it off the
  // console or the password file: until its owner has chosen their own, the account does nothing else.
  app.addHook('preHandler', async (req) => {
    if (!req.actor?.passwordChangeRequired) return;
    const path = req.url.split('?')[0];
    if (!path.startsWith('/api/') || OPEN_WHILE_CHANGE_REQUIRED.has(`${req.method} ${path}`)) return;
    throw new AppError(403, 'password_change_required', 'Choose your own password first: POST /api/v1/auth/password with currentPassword and newPassword.');
  });

  route(app, {
    method: 'POST', url: '/api/v1/auth/login', tags: ['auth'], auth: 'none',
    summary: 'Log in with username and password; returns a bearer token and sets the session cookie. passwordChangeRequired: the password must be changed before anything else',
    body: Login,
    handler: async ({ body, reply }) => {
      const s = await login(ctx.db, body.username, body.password, ctx.config.GONGZHI_SESSION_HOURS, ctx.now());
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/', httpOnly: true, sameSite: 'lax', expires: s.expiresAt,
        secure: ctx.config.production,
      });
      return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: { ...s.actor, abilities: ctx.abilities.of(s.actor) }, passwordChangeRequired: s.actor.passwordChangeRequired === true };
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/auth/logout', tags: ['auth'],
    summary: 'Revoke the current session',
    status: 204,
    handler: async ({ req, reply }) => {
      const token = sessionToken(req);
      if (token) await logout(ctx.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/auth/me', tags: ['auth'],
    summary: 'The logged-in user, role, unit and scope; demo: a demo account; passwordChangeRequired: must change the password first; abilities: what their role may do (the console offers exactly these)',
    handler: async ({ actor }) => ({ ...actor, abilities: ctx.abilities.of(actor) }),
  });

  route(app, {
    method: 'POST', url: '/api/v1/auth/password', tags: ['auth'], status: 204,
    summary: 'Change your own password (required after a generated one); ends your other sessions',
    body: PasswordChange,
    handler: async ({ actor, body, req, reply }) => {
      await changePassword(ctx.db, actor, body.currentPassword, body.newPassword, sessionToken(req), ctx.now());
      return reply.code(204).send();
    },
  });
}
