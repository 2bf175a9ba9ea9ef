// What the participation services work with: the platform context (database, cipher, clock, files).
import type { Bilingual } from '../../platform/errors.ts';
import type { AppContext } from '../../platform/context.ts';
import type { ResidentSignIn } from './signin.ts';
import type { Meetings } from '../../platform/meetings/index.ts';
import { registryDeps, type RegistryDeps } from '../registry/index.ts';

export interface ParticipationDeps { ctx: AppContext; signIn?: ResidentSignIn; meetings?: Meetings; registry?: RegistryDeps }

/** The registry's services (person search, households), made once per deps. */
export const registryOf = (deps: ParticipationDeps): RegistryDeps => (deps.registry ??= registryDeps(deps.ctx));

/** Bilingual detail for a refusal: the API answers in the request's language (the Chinese as a sentence). */
export const both = (zh: string, en: string): Bilingual => ({ zh: /[。！？]$/.test(zh) ? zh : `${zh}。`, en });
