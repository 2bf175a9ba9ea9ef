// Administration API: thin handlers over service.ts. Role admin; command centres may read units,
// categories and the responsibility list.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { route } from '../../platform/http/route.ts';
import {
  CalendarPut, CategoryCreate, CategoryListQuery, CategoryParams, CategoryPatch, IdParams, ResponsibilityCreate, ResponsibilityPatch,
  ResponsibilityListQuery, SetupTemplateParams, UnitCreate, UnitListQuery, UnitParams, UnitPatch, UserCreate, UserListQuery, UserPatch,
} from './contracts.ts';
import * as admin from './service.ts';
import { setupChecklist } from './setup-checklist.ts';
import { setupTemplateXlsx } from './setup-import.ts';

const templateNames = { units: '单位', users: '用户', responsibilities: '权责清单' } as const;

export function adminRoutes(app: FastifyInstance, ctx: AppContext, hooks: { reload: () => Promise<void>; caseTypes: () => string[] }): void {
  const deps: admin.AdminDeps = { ctx, reload: hooks.reload, caseTypes: hooks.caseTypes };
  const tags = ['admin'];

  route(app, {
    method: 'GET', url: '/api/v1/admin/users', tags, summary: 'Users in your region (search by name, filter by role; paged)',
    query: UserListQuery,
    handler: async ({ query, actor }) => admin.listUsers(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/admin/users', tags, status: 201, summary: 'Create a user (password ≥ 10 characters, stored as argon2id)',
    body: UserCreate,
    handler: async ({ body, actor }) => admin.createUserAccount(deps, actor, body),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/admin/users/:id', tags,
    summary: 'Change a user: name, role, unit, region, locale, active, password (a new password or deactivation ends their sessions)',
    params: IdParams, body: UserPatch,
    handler: async ({ params, body, actor }) => admin.patchUser(deps, actor, params.id, body),
  });

  route(app, {
    method: 'GET', url: '/api/v1/admin/units', tags, summary: 'Units in your region, including inactive ones',
    query: UnitListQuery,
    handler: async ({ query, actor }) => admin.listUnits(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/admin/units', tags, status: 201, summary: 'Create a unit',
    body: UnitCreate,
    handler: async ({ body, actor }) => admin.createUnit(deps, actor, body),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/admin/units/:id', tags, summary: 'Change or deactivate a unit',
    params: UnitParams, body: UnitPatch,
    handler: async ({ params, body, actor }) => admin.patchUnit(deps, actor, params.id, body),
  });

  route(app, {
    method: 'GET', url: '/api/v1/admin/categories', tags, summary: 'The whole category tree with time limits, including inactive categories',
    query: CategoryListQuery,
    handler: async ({ query, actor }) => admin.listCategories(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/admin/categories', tags, status: 201,
    summary: 'Add a child category (a leaf with limitMinutes, or a group without)',
    body: CategoryCreate,
    handler: async ({ body, actor }) => admin.createCategory(deps, actor, body),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/admin/categories/:code', tags,
    summary: 'Change a category: names, handling time limit (working minutes), filing and closing conditions, active',
    params: CategoryParams, body: CategoryPatch,
    handler: async ({ params, body, actor }) => admin.patchCategory(deps, actor, params.code, body),
  });

  route(app, {
    method: 'GET', url: '/api/v1/admin/setup-templates/:kind', tags,
    summary: 'The XLSX import template of units, users or the responsibility list (as `gongzhi template` writes it): an example row, drop-downs, the instructions, your territory\'s units and regions and (responsibilities) every category code with its name and level',
    params: SetupTemplateParams,
    handler: async ({ params, actor, reply }) => reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${params.kind}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${templateNames[params.kind]}导入模板.xlsx`)}`)
      .send(await setupTemplateXlsx(ctx.db, actor, params.kind)),
  });

  route(app, {
    method: 'GET', url: '/api/v1/admin/setup-checklist', tags,
    summary: 'A new district\'s set-up checklist (设置清单): regions, units, users, responsibility list, grid outlines, the administrator\'s password — each step done or not, from the database',
    handler: async ({ actor }) => setupChecklist(ctx.db, actor),
  });

  route(app, {
    method: 'GET', url: '/api/v1/admin/responsibilities', tags,
    summary: 'The responsibility list (权责清单) for your region: category × region prefix → lead and assisting units',
    query: ResponsibilityListQuery,
    handler: async ({ query, actor }) => admin.listResponsibilities(deps, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/v1/admin/responsibilities', tags, status: 201,
    summary: 'Add a responsibility rule; routing picks it up at once',
    body: ResponsibilityCreate,
    handler: async ({ body, actor }) => admin.createResponsibility(deps, actor, body),
  });
  route(app, {
    method: 'PATCH', url: '/api/v1/admin/responsibilities/:id', tags,
    summary: 'Change a responsibility rule: lead and assisting units, note, or its category and region (409 responsibility_exists if another rule holds them); routing follows at once',
    params: IdParams, body: ResponsibilityPatch,
    handler: async ({ params, body, actor }) => admin.patchResponsibility(deps, actor, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/v1/admin/responsibilities/:id', tags, status: 204,
    summary: 'Delete a responsibility rule; routing falls back to the next rule or 属地兜底',
    params: IdParams,
    handler: async ({ params, actor, reply }) => {
      await admin.deleteResponsibility(deps, actor, params.id);
      return reply.code(204).send();
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/admin/calendar', tags, summary: 'Working hours and the holiday/workday overrides',
    handler: async ({ actor }) => admin.getCalendar(deps, actor),
  });
  route(app, {
    method: 'PUT', url: '/api/v1/admin/calendar', tags,
    summary: "Set working hours ({periods:[{start:'HH:MM',end:'HH:MM'}]}) and/or the complete set of date overrides",
    body: CalendarPut,
    handler: async ({ body, actor }) => admin.putCalendar(deps, actor, body),
  });
}
