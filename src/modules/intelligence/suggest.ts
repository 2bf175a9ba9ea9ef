// Routing suggestions from text (智能分拨): the model's top categories, each with the unit the
// responsibility list (权责清单) names for it in the case's region, and the 自动派单 decision.
import { suggestRoute, type RoutingSuggestion, type RoutingTable } from '../cases/index.ts';
import type { Prediction } from './classifier.ts';

export interface TextSuggestion extends RoutingSuggestion {
  categoryCode: string;
  confidence: number;
  /** Words of the text that weighed most towards this category. */
  words: { term: string; weight: number }[];
}

/** Pure: each predicted category routed through the responsibility list for the case's region. */
export function routeSuggestions(
  table: RoutingTable,
  regionCode: string,
  predictions: readonly Prediction[],
  wordsFor: (label: string) => { term: string; weight: number }[],
): TextSuggestion[] {
  return predictions.map((p) => ({
    categoryCode: p.label,
    confidence: Math.round(p.confidence * 10_000) / 10_000,
    words: wordsFor(p.label).filter((w) => w.weight > 0),
    ...suggestRoute(table, p.label, regionCode),
  }));
}

export type AutoDispatchDecision =
  | { dispatch: true; leadUnitId: string; assistUnitIds: string[]; categoryCode: string; confidence: number }
  | { dispatch: false; reason: 'off' | 'no_model' | 'below_threshold' | 'no_unit' | 'other_category' };

/**
 * Pure: whether to dispatch a new case by itself. Only when the threshold is set, the model's top
 * category is confident enough, it is the category the case was reported under (the reporter and the
 * model agree), and the responsibility list names a unit for it — never on a territorial guess alone.
 */
export function autoDispatchDecision(
  threshold: number | undefined,
  reportedCategory: string,
  top: TextSuggestion | undefined,
): AutoDispatchDecision {
  if (threshold == null) return { dispatch: false, reason: 'off' };
  if (!top) return { dispatch: false, reason: 'no_model' };
  if (top.confidence < threshold) return { dispatch: false, reason: 'below_threshold' };
  if (top.categoryCode !== reportedCategory) return { dispatch: false, reason: 'other_category' };
  if (!top.leadUnitId || top.source !== 'responsibility_list') return { dispatch: false, reason: 'no_unit' };
  return { dispatch: true, leadUnitId: top.leadUnitId, assistUnitIds: top.assistUnitIds, categoryCode: top.categoryCode, confidence: top.confidence };
}

/** Below this confidence a suggestion is not offered as one (the console says 「暂无可靠建议」). */
export const SHOW_MIN_CONFIDENCE = 0.3;

/** Words that say nothing about a category: particles, fillers, urgency, measure words. */
const STOP_WORDS = new Set([
  '了', '的', '地', '得', '着', '过', '吗', '呢', '吧', '啊', '呀', '和', '与', '及', '或', '在', '是', '有', '没', '没有', '不', '也', '都', '就', '还',
  '很', '太', '又', '再', '被', '把', '给', '让', '对', '向', '从', '到', '这', '那', '这个', '那个', '我', '我们', '你', '他', '她', '他们', '请', '麻烦',
  '尽快', '赶紧', '马上', '立即', '希望', '要求', '反映', '投诉', '问题', '情况', '处理', '解决', '一下', '一直', '已经', '现在', '今天', '昨天', '每天',
  '栋', '号', '楼', '单元', '室', '层', '门口', '附近', '旁边', '小区', '社区', '街道', '路', '街', '巷', '村', '个', '次', '天', '点', '多', '好几',
]);

/**
 * Pure: the key words worth showing a dispatcher. Drops stop words, single characters, numbers and
 * words of the case's place (its address and area names: 营盘 says where, not what).
 */
export function displayWords(words: readonly { term: string; weight: number }[], placeText = ''): { term: string; weight: number }[] {
  const place = placeText.normalize('NFKC');
  return words.filter(({ term }) => {
    const parts = term.split(' ').filter(Boolean);
    if (!parts.length) return false;
    return parts.every((w) => w.length >= 2 && !STOP_WORDS.has(w) && !/^[\d０-９.,:：%-]+$/.test(w) && !/\d/.test(w) && !(place && place.includes(w)));
  });
}
