// A thin route helper: zod schemas validate input and feed the OpenAPI document; handlers get typed
// input and the actor. Fastify's own validator is switched off so zod is the single source of truth.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Actor } from '../auth/actor.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Auth = 'required' | 'optional' | 'none';

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  auth?: Auth;
  params?: P;
  query?: Q;
  body?: B;
  /** HTTP status of a successful response (default 200). */
  status?: number;
  response?: z.ZodType;
  /** Parses the body instead of the generic validation (which still documents `body`), e.g. to name missing fields. */
  parseBody?: (raw: unknown) => z.infer<B>;
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    /** The authenticated actor; on auth 'none'/'optional' routes it may be null despite the type. */
    actor: Actor;
    req: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<unknown>;
}

const empty = z.object({}).strict();
/** A route without a query schema ignores query parameters. Built once: zod compiles a parser per schema instance. */
const anyQuery = z.object({});

export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** PostgreSQL text cannot hold NUL; no legitimate input carries one. */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 20 || value == null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const hit = findNul(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

function assertNoNul(value: unknown, where: string): void {
  const nul = findNul(value, where);
  if (nul) throw new AppError(400, 'validation_failed', `Invalid ${where}: ${nul} contains a NUL character.`, { errors: [{ path: nul, message: 'NUL characters are not allowed' }] });
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  assertNoNul(value, where);
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const errors = r.error.issues.slice(0, 20).map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const first = errors[0];
  throw new AppError(400, 'validation_failed', `Invalid ${where}: ${first.path} — ${first.message}`, { errors });
}

export function route<P extends z.ZodType = typeof empty, Q extends z.ZodType = typeof empty, B extends z.ZodType = typeof empty>(
  app: FastifyInstance,
  def: RouteDef<P, Q, B>,
): void {
  const auth = def.auth ?? 'required';
  const schema: Record<string, unknown> = { summary: def.summary, tags: def.tags };
  if (def.params) schema.params = toJsonSchema(def.params);
  if (def.query) schema.querystring = toJsonSchema(def.query);
  if (def.body) schema.body = toJsonSchema(def.body);
  if (def.response) schema.response = { [def.status ?? 200]: toJsonSchema(def.response) };
  if (auth !== 'none') schema.security = [{ bearer: [] }, { cookie: [] }];
  app.route({
    method: def.method,
    url: def.url,
    schema,
    handler: async (req, reply) => {
      const actor = req.actor ?? null;
      if (auth === 'required' && !actor) throw new AppError(401, 'unauthenticated', 'Log in first: send the session cookie or an Authorization: Bearer token.');
      const params = parse((def.params ?? empty) as P, req.params, 'path');
      const query = parse((def.query ?? anyQuery) as unknown as Q, req.query, 'query');
      const body = def.body ? (def.parseBody ? (assertNoNul(req.body, 'body'), def.parseBody(req.body ?? {})) : parse(def.body, req.body, 'body')) : ({} as z.infer<B>);
      const out = await def.handler({ params, query, body, actor: actor as Actor, req, reply });
      if (reply.sent) return reply;
      reply.code(def.status ?? 200);
      return out;
    },
  });
}
