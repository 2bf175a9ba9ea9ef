// English: intelligent routing, duplicates and hotspots (intel.*). Keys mirror intelligence.zh-CN.ts.
import type intelligenceZh from './intelligence.zh-CN.ts';

const intelligenceEn: Record<keyof typeof intelligenceZh, string> = {
  'intel.suggestions': 'Suggestions from the text',
  'intel.noModel': 'No text model available: suggestion from the responsibility list only.',
  'intel.modelVersion': 'classifier (trained {date}, {count} cases)',
  'intel.modelVersionSeed': 'classifier (trained {date}, {count} cases and {seeds} seed texts)',
  'intel.noReliable': 'No reliable suggestion',
  'intel.fromKeywords': 'from the category keywords (no text model yet)',
  'intel.confidence': 'Confidence',
  'intel.keyWords': 'Key words',
  'intel.unit': 'Unit',
  'intel.use': 'Use',
  'intel.inUse': 'In use',
  'intel.currentCategory': 'current category',
  'intel.autoThreshold': 'auto-dispatch at {percent}',
  'intel.duplicates': 'Possible duplicates',
  'intel.noDuplicates': 'No similar open case nearby recently.',
  'intel.score': 'Score',
  'intel.scoreParts': 'text {text} · distance {distance} · time {time}',
  'intel.mergeInto': 'Merge into this',
  'intel.hotspots': 'Hotspots',
  'intel.noHotspots': 'No repeated complaints have formed a hotspot recently.',
  'intel.heat': 'Heat',
  'intel.cases': 'Cases',
  'intel.reporters': 'Reporters',
  'intel.area': 'Area',
  'intel.problem': 'Problem',
  'intel.lastAt': 'Latest',
};
export default intelligenceEn;
