// The participation module's public surface (issue 16): residents in the loop — votes with integrity,
// 微心愿, and the resident accounts linked to the registry. Other code uses only what is exported here.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import type { ParticipationDeps } from './deps.ts';
import { participationRoutes } from './routes.ts';
import type { Meetings } from '../../platform/meetings/index.ts';
import { registerDeliberation } from './topics.ts';
import { ResidentSignIn, smsSenderFor, type SmsSender } from './signin.ts';

export type { SmsSender } from './signin.ts';

export { participationPolicy } from './policy.ts';
export type { ParticipationDeps } from './deps.ts';
export { seedParticipation, seedPartyMemberAccount } from './demo.ts';
export { recordPatrol } from './party.ts';

/** The module's services; `sms` replaces the configured SMS sender (GONGZHI_SMS_WEBHOOK, or the development log). */
export function createParticipation(ctx: AppContext, opts: { sms?: SmsSender; meetings?: Meetings } = {}): ParticipationDeps {
  if (opts.meetings) registerDeliberation(opts.meetings); // 议事 meetings, on the shared meetings
  return { ctx, signIn: new ResidentSignIn(ctx, opts.sms ?? smsSenderFor(ctx)), meetings: opts.meetings };
}

export function participationModule(app: FastifyInstance, deps: ParticipationDeps): void {
  participationRoutes(app, deps);
}
