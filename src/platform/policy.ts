// Abilities (STYLE habit 6): each module declares, in one policy, which roles may do what; everything not
// declared is denied. `can(actor, ability, resource)` answers; `assert` refuses with 403 for the role and
// 404 for a resource outside the actor's territory (as if it did not exist). The platform collects the
// policies so that GET /api/v1/auth/me can tell the console what the user may do: the console decides
// from these abilities and keeps no role lists of its own. docs/abilities.md is the reviewed matrix.
import type { Actor, Role } from './auth/actor.ts';
import { AppError, forbidden, roleZh, type Bilingual } from './errors.ts';
import { regionScope } from './scope.ts';

export interface AbilityDef {
  /** Roles that have the ability; a function for abilities that follow from data (the case types). */
  roles: readonly Role[] | (() => readonly Role[]);
  /** What it lets one do, for the 403 message: a verb phrase that reads after 无权 and after "may not". */
  what: Bilingual;
}

export interface Policy<A extends string = string> {
  readonly abilities: Readonly<Record<A, AbilityDef>>;
  /** True when the actor's role has the ability and, given a resource, it lies in their territory. */
  can(actor: Actor, ability: A, resource?: { regionCode?: string | null }): boolean;
  /** 403 when the role lacks the ability; 404 (`notFound`) when the resource lies outside the territory. */
  assert(actor: Actor, ability: A, resource?: { regionCode?: string | null }, notFound?: Bilingual): void;
  /** The roles that have the ability. */
  rolesWith(ability: A): readonly Role[];
}

/** The 403 that names what the role may not do: 当前角色（网格员）无权调整网格边界。 */
const refusal = (actor: Actor, what: Bilingual) =>
  forbidden({ zh: `当前角色（${roleZh(actor.role)}）无权${what.zh}。`, en: `Your role (${actor.role}) may not ${what.en}.` });

const rolesOf = (d: AbilityDef): readonly Role[] => (typeof d.roles === 'function' ? d.roles() : d.roles);

export function definePolicy<A extends string>(abilities: Record<A, AbilityDef>): Policy<A> {
  const has = (actor: Actor, ability: A) => Object.hasOwn(abilities, ability) && rolesOf(abilities[ability]).includes(actor.role);
  return {
    abilities,
    can(actor, ability, resource) {
      if (!has(actor, ability)) return false;
      return resource?.regionCode === undefined || regionScope(actor).has(resource.regionCode);
    },
    assert(actor, ability, resource, notFound = { zh: '该记录', en: 'The record' }) {
      if (!has(actor, ability)) throw refusal(actor, Object.hasOwn(abilities, ability) ? abilities[ability].what : { zh: '执行此操作', en: ability });
      if (resource?.regionCode !== undefined && !regionScope(actor).has(resource.regionCode)) {
        throw new AppError(404, 'not_found', { zh: `${notFound.zh}不存在。`, en: `${notFound.en} was not found.` });
      }
    },
    rolesWith: (ability) => (Object.hasOwn(abilities, ability) ? rolesOf(abilities[ability]) : []),
  };
}

/** The policies of the running platform, for /api/v1/auth/me. */
export class Abilities {
  private policies: Policy[] = [];

  add(policy: Policy<any>): void { this.policies.push(policy); }

  /** Every ability the actor's role has, sorted. */
  of(actor: Actor): string[] {
    const out: string[] = [];
    for (const p of this.policies) for (const [name, d] of Object.entries(p.abilities)) if (rolesOf(d).includes(actor.role)) out.push(name);
    return out.sort();
  }

  /** Every ability any policy declares. */
  all(): string[] { return this.policies.flatMap((p) => Object.keys(p.abilities)).sort(); }
}
