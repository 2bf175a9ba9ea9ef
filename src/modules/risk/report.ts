// The 稳评 report as a printable Chinese PDF (社会稳定风险评估报告): the decision assessed, how it was
// assessed (public consultation, expert review), the risk points by priority with their importance,
// urgency and measures, the rating and the conclusion. The content is assessmentReportContent's; the
// platform's documents piece prints it with its embedded CJK font.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { chineseDate, renderTemplate, type DocumentTemplate } from '../../platform/documents/index.ts';
import { assessmentReportContent } from './assessments.ts';

export const assessmentReportTemplate: DocumentTemplate = {
  name: 'risk.stability_assessment',
  issuer: '{{issuer}}',
  title: '社会稳定风险评估报告',
  number: '{{number}}',
  footer: '{{footer}}',
  blocks: [
    { kind: 'paragraph', text: '{{intro}}', indent: true },
    { kind: 'heading', text: '一、评估事项' },
    { kind: 'fields', columns: 1, rows: [['事项名称', '{{decision.title}}'], ['事项类别', '{{decision.kind}}'], ['所在区域', '{{decision.region}}'], ['责任单位', '{{ownerUnit}}'], ['评估时间', '{{period}}'], ['事项概况', '{{decision.description}}']] },
    { kind: 'heading', text: '二、评估方法与过程' },
    { kind: 'paragraph', text: '（一）公众参与', indent: false },
    { kind: 'table', columns: [{ label: '方式', width: 2 }, { label: '日期', width: 3 }, { label: '参与人数', width: 2 }, { label: '支持', width: 1.5 }, { label: '反对', width: 1.5 }, { label: '支持率', width: 2 }],
      each: 'consultations', cells: ['{{method}}', '{{held}}', '{{participants}}', '{{support}}', '{{oppose}}', '{{rate}}'], empty: '未开展公众参与。' },
    { kind: 'paragraphs', each: 'consultations', text: '{{method}}意见：{{summary}}' },
    { kind: 'paragraph', text: '（二）专家论证', indent: false },
    { kind: 'table', columns: [{ label: '专家', width: 2 }, { label: '专业领域', width: 2 }, { label: '论证意见', width: 2 }, { label: '日期', width: 3 }],
      each: 'expertReviews', cells: ['{{expert}}', '{{field}}', '{{recommendation}}', '{{reviewed}}'], empty: '未开展专家论证。' },
    { kind: 'paragraphs', each: 'expertReviews', text: '{{expert}}：{{opinion}}' },
    { kind: 'heading', text: '三、风险点识别与评估' },
    { kind: 'paragraph', text: '风险点按重要性（1–5）与紧迫性（1–5）评分，优先级为两者之积，按优先级由高到低排列。', indent: true },
    { kind: 'table', columns: [{ label: '序号', width: 1 }, { label: '风险点', width: 5 }, { label: '类别', width: 2 }, { label: '重要性', width: 1.5 }, { label: '紧迫性', width: 1.5 }, { label: '优先级', width: 1.5 }],
      each: 'riskPoints', cells: ['{{no}}', '{{description}}', '{{category}}', '{{importance}}', '{{urgency}}', '{{priority}}'] },
    { kind: 'paragraph', text: '各风险点的防范化解措施（按上表序号）：', indent: true },
    { kind: 'list', each: 'riskPoints', item: '{{measuresText}}（责任主体：{{ownerText}}）' },
    { kind: 'heading', text: '四、风险等级' },
    { kind: 'paragraph', text: '经综合评估，该事项社会稳定风险等级为：{{rating.label}}。', indent: true },
    { kind: 'heading', text: '五、评估结论' },
    { kind: 'paragraph', text: '评估结论：{{conclusion.label}}。', indent: true },
    { kind: 'paragraph', text: '{{conclusion.text}}', indent: true },
    { kind: 'spacer', height: 16 },
    { kind: 'fields', columns: 1, rows: [['评估主体', '{{issuer}}'], ['报告日期', '{{completedOn}}']] },
  ],
};

/** The report of the decision's completed assessment as a PDF (409 assessment_required without one). */
export async function assessmentReportPdf(q: Queryable, actor: Actor, decisionId: number): Promise<{ filename: string; pdf: Buffer }> {
  const c = await assessmentReportContent(q, actor, decisionId);
  const completed = c.assessment.completedAt;
  const year = completed ? new Date(new Date(completed).getTime() + 8 * 3600_000).getUTCFullYear() : '';
  const data = {
    ...c,
    issuer: c.assessorUnit ?? c.decision.ownerUnit ?? c.decision.region ?? '',
    number: `稳评〔${year}〕${decisionId}号`,
    footer: c.title,
    intro: `根据社会稳定风险评估的有关规定，对“${c.decision.title}”开展社会稳定风险评估。评估通过公众参与、专家论证等方式，识别风险点${c.riskPoints.length}个，`
      + `开展公众参与${c.consultations.length}次、专家论证${c.expertReviews.length}人次，现将评估情况报告如下。`,
    ownerUnit: c.decision.ownerUnit ?? '—',
    period: `${chineseDate(c.assessment.startedAt)}至${chineseDate(completed)}`,
    completedOn: chineseDate(completed),
    consultations: c.consultations.map((x) => ({ ...x, held: chineseDate(x.heldOn), rate: x.supportRate == null ? '—' : `${x.supportRate}%` })),
    expertReviews: c.expertReviews.map((x) => ({ ...x, reviewed: chineseDate(x.reviewedOn), field: x.field ?? '—' })),
    riskPoints: c.riskPoints.map((p) => ({ ...p, category: p.category ?? '—', measuresText: p.measures ?? '待明确', ownerText: p.owner ?? '待明确' })),
  };
  return { filename: `stability-assessment-${decisionId}.pdf`, pdf: await renderTemplate(assessmentReportTemplate, data, { author: data.issuer }) };
}
