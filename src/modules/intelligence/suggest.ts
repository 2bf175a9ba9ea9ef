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
