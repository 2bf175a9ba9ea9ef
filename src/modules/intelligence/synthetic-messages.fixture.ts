// Invented citizen messages for tests (written for these tests; not taken from any real data).
import type { Example } from './classifier.ts';

const TOPICS: Record<string, { subjects: string[]; problems: string[]; requests: string[] }> = {
  环境保护: {
    subjects: ['小区旁边的饭店', '河边的化工厂', '楼下的烧烤摊', '工地的搅拌站', '对面的洗车店'],
    problems: ['油烟扰民很严重', '排放的废水发黑发臭', '晚上噪音扰民睡不着', '粉尘污染到处都是灰', '污水直接流进河里'],
    requests: ['请环保部门来检测一下', '希望生态环境局尽快处理', '请求查处污染行为'],
  },
  交通运输: {
    subjects: ['公交车站', '城东客运站', '地铁口附近的出租车', '高速收费站', '通往学校的公交线路'],
    problems: ['班次太少等车一个小时', '出租车拒载还乱要价', '红绿灯时间太短行人过不去', '公交司机开车太猛', '网约车乱停堵住路口'],
    requests: ['请交通局调整线路', '希望运管部门加强管理', '请求增加公交班次'],
  },
  教育文体: {
    subjects: ['孩子所在的小学', '附近的幼儿园', '区里的中学', '培训机构', '社区体育馆'],
    problems: ['老师违规补课收费', '入学划片不合理', '学校乱收资料费', '校外培训机构退费难', '体育馆长期不对外开放'],
    requests: ['请教育局调查处理', '希望教育部门规范办学', '请求文体部门督促开放'],
  },
};

/** Deterministic invented messages: `perLabel` messages for each of 3 labels. */
export function syntheticMessages(perLabel: number): Example[] {
  const examples: Example[] = [];
  for (const [label, topic] of Object.entries(TOPICS)) {
    for (let i = 0; i < perLabel; i++) {
      const subject = topic.subjects[i % topic.subjects.length]!;
      const problem = topic.problems[(i * 3 + 1) % topic.problems.length]!;
      const request = topic.requests[(i * 7 + 2) % topic.requests.length]!;
      examples.push({ text: `我家住在A区，${subject}${problem}，已经反映过多次。${request}。`, label });
    }
  }
  return examples;
}
