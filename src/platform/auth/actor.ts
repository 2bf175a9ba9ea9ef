// Who is acting: the authenticated user, their role, unit and data scope.
export const roles = [
  'admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'resident',
] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  unitKind: string | null;
  /** The region the user works in; its code is the user's scope prefix (DESIGN rule 1). */
  regionCode: string;
  locale: string;
  /** A demo account (created by the demo seed): the console shows a 演示数据 banner. */
  demo?: boolean;
  /** The password was generated: every API call but changing it answers 403 password_change_required. */
  passwordChangeRequired?: boolean;
  /** The password is the published demo password (the banner says so only then). */
  passwordPublic?: boolean;
}

/** Staff roles whose scope is their region's code prefix. Departments see what is assigned to them; residents their own. */
export const territorialRoles: ReadonlySet<Role> = new Set([
  'admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator',
]);

declare module 'fastify' {
  interface FastifyRequest {
    actor?: import('./actor.ts').Actor | null;
  }
}
