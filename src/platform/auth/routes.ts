// Login, logout, who am I, change my password.
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { route } from '../http/route.ts';
import { SESSION_COOKIE } from '../http/server.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { changePassword, login, logout, MIN_PASSWORD_LENGTH } from './service.ts';
import { loginThrottle } from './throttle.ts';
import { requestIsHttps } from '../http/security.ts';
import { checkSecondFactor, confirmEnrolment, disableTotp, startEnrolment, totpStatus } from './totp.ts';

const Login = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** the current code of an account with two-step verification */
  otp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
}).strict();
const OtpCode = z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') }).strict();

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
  // (a callback hook, not an async one: it runs on every request and almost always passes at once)
  app.addHook('preHandler', (req, _reply, done) => {
    if (!req.actor?.passwordChangeRequired) return done();
    const path = req.url.split('?')[0];
    if (!path.startsWith('/api/') || OPEN_WHILE_CHANGE_REQUIRED.has(`${req.method} ${path}`)) return done();
    done(new AppError(403, 'password_change_required', { zh: `请先设置您自己的密码（POST /api/v1/auth/password，提供 currentPassword 和 newPassword）。`, en: 'Choose your own password first: POST /api/v1/auth/password with currentPassword and newPassword.' }));
  });

  const throttle = loginThrottle(app);
  route(app, {
    method: 'POST', url: '/api/v1/auth/login', tags: ['auth'], auth: 'none',
    summary: 'Log in with username and password; returns a bearer token and sets the session cookie. passwordChangeRequired: the password must be changed before anything else. '
      + 'Failed attempts are slowed per account and address (429 with Retry-After).',
    body: Login,
    handler: async ({ body, req, reply }) => {
      await throttle.check(req, body.username);
      const now = ctx.now();
      const s = await login(ctx.db, body.username, body.password, ctx.config.GONGZHI_SESSION_HOURS, now,
        (userId) => checkSecondFactor(ctx.db, ctx.cipher, userId, body.otp, now)).catch(async (err) => {
        // a right password without its code is not counted: the user's own next step is to send it
        if (err instanceof AppError && err.status === 401 && err.code !== 'otp_required') await throttle.failed(req, body.username);
        throw err;
      });
      await throttle.succeeded(req, body.username);
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/', httpOnly: true, sameSite: 'lax', expires: s.expiresAt,
        // Secure in production mode, and whenever the client came over HTTPS (an https public address,
        // TLS, or a trusted proxy's X-Forwarded-Proto)
        secure: ctx.config.production || requestIsHttps(req, ctx.config),
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

  // Two-step verification (TOTP) for administrator and command-centre accounts, set up from the console.
  route(app, {
    method: 'GET', url: '/api/v1/auth/totp', tags: ['auth'],
    summary: 'Whether two-step verification is offered to you and whether it is on',
    handler: async ({ actor }) => totpStatus(ctx.db, actor),
  });
  route(app, {
    method: 'POST', url: '/api/v1/auth/totp/enrol', tags: ['auth'],
    summary: 'Start setting up two-step verification: a new secret and its otpauth:// URI for an authenticator app (administrators and command centres)',
    handler: async ({ actor }) => startEnrolment(ctx.db, ctx.cipher, actor),
  });
  route(app, {
    method: 'POST', url: '/api/v1/auth/totp/confirm', tags: ['auth'],
    summary: 'Confirm the set-up with the first code from the authenticator app; from then on logging in needs a code',
    body: OtpCode,
    handler: async ({ actor, body, req }) => {
      await throttle.check(req, actor.username);
      return confirmEnrolment(ctx.db, ctx.cipher, actor, body.code, ctx.now()).catch(async (err) => {
        if (err instanceof AppError && err.code === 'invalid_otp') await throttle.failed(req, actor.username);
        throw err;
      });
    },
  });
  route(app, {
    method: 'POST', url: '/api/v1/auth/totp/disable', tags: ['auth'],
    summary: 'Turn two-step verification off, with a current code',
    body: OtpCode,
    handler: async ({ actor, body, req }) => {
      await throttle.check(req, actor.username);
      return disableTotp(ctx.db, ctx.cipher, actor, body.code, ctx.now()).catch(async (err) => {
        if (err instanceof AppError && err.code === 'invalid_otp') await throttle.failed(req, actor.username);
        throw err;
      });
    },
  });
}
