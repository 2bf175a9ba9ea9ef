// The demo city's knowledge base (知识库): the answers a 12345 operator gives most often, written by the
// district centre (zhihui), with their categories and dates. One article is out of date (kept for the
// editors' view, never offered on a call).
import type { Platform } from '../app.ts';
import { getActor } from '../platform/auth/service.ts';
import { createArticle, type ArticleCreateT } from '../modules/knowledge/index.ts';

type Demo = Omit<ArticleCreateT, 'keywords'> & { keywords: string[] };

export const demoArticles: Demo[] = [
  {
    categoryCode: '050201', title: '城乡居民养老保险怎么缴费', question: '城乡居民养老保险在哪里缴、缴多少？',
    answer: '城乡居民养老保险每年1月至12月均可缴费，缴费档次由本人自选（200元至6000元共十四档）。可通过"渝快办"APP、社保卡银行网点或户籍所在街道（镇）社保所办理；60周岁以上且累计缴费满15年按月领取待遇。',
    keywords: ['养老保险', '社保', '缴费', '城乡居民'], source: '区人力社保局 2026年城乡居民养老保险缴费公告', validFrom: '2026-01-01', validTo: '2026-12-31',
  },
  {
    categoryCode: '050202', title: '医保异地就医备案', question: '到外地看病怎么用医保？',
    answer: '异地长期居住或临时外出就医，可在"国家医保服务平台"APP或"渝快办"线上备案，也可到区医保中心窗口办理；备案后在就医地定点医院直接结算，未备案的先自付再回参保地报销（比例降低10%）。',
    keywords: ['医保', '异地就医', '备案', '报销'], source: '区医保局办事指南', validFrom: '2026-01-01',
  },
  {
    categoryCode: '030201', title: '停水停电怎么查、找谁', question: '家里突然停水（停电）了怎么办？',
    answer: '计划停水停电会提前在小区公告栏和"合川发布"公布。突发停水可拨打供水公司服务热线96069，停电拨打95598；若整栋楼停水停电，先询问物业是否在检修。如超过24小时未恢复，12345将转供水（供电）公司督办。',
    keywords: ['停水', '停电', '没水', '没电', '供水', '供电'], source: '区城管局、国网合川供电公司', validFrom: '2026-01-01',
  },
  {
    categoryCode: '090101', title: '2026年秋季小学一年级入学', question: '孩子上小学一年级怎么报名？',
    answer: '2026年秋季一年级新生按"户籍+房产"划片入学，网上报名时间为6月10日至6月20日，登录"合川区义务教育招生入学服务平台"填报；随迁子女需提供居住证和父母一方社保缴费证明。具体学区划分以区教委公告为准。',
    keywords: ['入学', '报名', '一年级', '学位', '划片'], source: '区教委 2026年义务教育招生工作方案', validFrom: '2026-03-01', validTo: '2026-09-30',
  },
  {
    categoryCode: '100101', title: '低保怎么申请', question: '家里困难，怎么申请低保？',
    answer: '向户籍所在地街道（镇）社会事务办或村（社区）提出书面申请，提供身份证、户口簿、家庭收入和财产情况说明，并签署经济状况核对授权书。街道在30个工作日内完成审核，经公示无异议后报区民政局审批。',
    keywords: ['低保', '最低生活保障', '困难', '救助'], source: '区民政局社会救助办事指南', validFrom: '2026-01-01',
  },
  {
    categoryCode: '030502', title: '不动产权证（房产证）办理', question: '新房交房后多久能办房产证？',
    answer: '开发企业在交房后90日内为购房人申请办理首次登记和转移登记，购房人可登录"重庆市不动产登记"小程序查询进度；逾期未办的可向区住建委投诉，并可依合同追究开发企业违约责任。',
    keywords: ['房产证', '不动产', '办证', '产权证'], source: '区规划自然资源局', validFrom: '2026-01-01',
  },
  {
    categoryCode: '040101', title: '夜间施工噪音的规定', question: '晚上工地施工太吵，可以施工吗？',
    answer: '每日22时至次日6时禁止产生噪声的建筑施工作业；因抢修、抢险或连续作业工艺需要夜间施工的，须持有住建部门出具的夜间施工证明并公告附近居民。无证夜间施工可由12345转区住建委和生态环境局查处。',
    keywords: ['噪音', '噪声', '施工', '夜间施工', '扰民'], source: '《中华人民共和国噪声污染防治法》第四十三条', validFrom: '2022-06-05',
  },
  {
    categoryCode: '040202', title: '生活垃圾分类投放', question: '垃圾怎么分类，大件垃圾怎么扔？',
    answer: '生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类，按小区分类桶投放；家具等大件垃圾请联系物业或社区预约清运，不得随意堆放在楼道和路边。垃圾清运不及时可报12345由区城管局督促。',
    keywords: ['垃圾', '垃圾分类', '大件垃圾', '垃圾清运'], source: '区城市管理局', validFrom: '2026-01-01',
  },
  {
    categoryCode: '110202', title: '接到疑似诈骗电话怎么办', question: '接到自称公检法的电话要转账，怎么办？',
    answer: '公检法机关不会通过电话办案或要求转账到"安全账户"。请立即挂断，不要转账；已转账的马上拨打110或96110反电诈专线报警，并保存通话记录和转账凭证。可下载"国家反诈中心"APP预警。',
    keywords: ['诈骗', '电诈', '转账', '安全账户', '公检法'], source: '区公安分局反诈中心', validFrom: '2026-01-01',
  },
  {
    categoryCode: '120101', title: '居住证办理', question: '外地户口在合川怎么办居住证？',
    answer: '在合川居住满半年，有合法稳定就业、住所或连续就读之一的，可携带身份证、居住登记凭证和相关证明到居住地派出所或社区警务室申领居住证，15个工作日内发证。',
    keywords: ['居住证', '暂住证', '外地户口'], source: '区公安分局户政科', validFrom: '2026-01-01',
  },
  {
    categoryCode: '050201', title: '2025年城乡居民养老保险缴费标准', question: '2025年城乡居民养老保险缴费档次',
    answer: '（已过期）2025年度城乡居民养老保险缴费档次为100元至5000元共十三档，缴费截止2025年12月31日。',
    keywords: ['养老保险', '缴费'], source: '区人力社保局 2025年公告', validFrom: '2025-01-01', validTo: '2025-12-31',
  },
];

/** Writes the demo articles as the district command centre (zhihui). */
export async function seedKnowledge(p: Platform): Promise<number> {
  const [cmd] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'zhihui'`);
  const actor = (await getActor(p.ctx.db, Number(cmd.id)))!;
  for (const a of demoArticles) await createArticle(p.ctx, actor, a);
  return demoArticles.length;
}
