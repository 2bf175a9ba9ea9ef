// Who may read and edit the knowledge base (deny by default). Every staff member may read it (the
// operators answer from it, the units check what callers were told); the centre edits it.
import { roles, type Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';

const staff = roles.filter((r) => r !== 'resident');

export const knowledgePolicy = definePolicy({
  'knowledge.read': { roles: staff, what: { zh: '检索和查看知识库', en: 'search and read the knowledge base' } },
  'knowledge.write': { roles: ['command_centre'] as Role[], what: { zh: '编写和下架知识库文章', en: 'write and retire knowledge-base articles' } },
});
