// The effects the hazard case type names (risk.*), run by the case engine inside the transition's
// transaction: they write the register's facts (measures reported, the write-off) with the step itself,
// so the register and the case cannot disagree about what happened.
import type { EffectDef, EffectInput } from '../cases/index.ts';
import { recordChange } from './hazards.ts';

/** Makes sure the register entry exists before an effect writes to it (a case converted a moment ago). */
async function ensureEntry({ tx, c, now }: EffectInput): Promise<void> {
  await tx.query(
    `INSERT INTO hazard (case_id, district_code, region_code, street_code, community_code, case_no, title, state, is_open, lead_unit_id, kind, source,
       hazard_type, level, location, lat, lng, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, CASE WHEN $10 LIKE '6002%' THEN 'instability' ELSE 'hazard' END, 'other', $10,
       CASE $11 WHEN 'emergency' THEN 'red' WHEN 'urgent' THEN 'orange' ELSE 'yellow' END, $12, $13, $14, $15, $16, $16)
     ON CONFLICT (case_id, district_code) DO NOTHING`,
    [c.id, c.district_code, c.region_code, c.street_code, c.community_code, c.case_no, c.title, c.state, c.lead_unit_id, c.category_code,
      c.urgency, c.address, c.lat, c.lng, c.created_by, now]);
}

export const riskEffects: Record<string, EffectDef> = {
  /** 报送措施 / 报告化解: the measure the responsible unit took, a fact of the register. */
  'risk.record_measure': {
    needs: [{ name: 'note', kind: 'note' }],
    async run(x, e) {
      await ensureEntry(x);
      await recordChange(x.tx, x.c.id, x.c.district_code, x.actor?.id ?? null, x.now, 'measure', {
        note: x.input.note, unitId: x.actor?.unitId ?? null, attachmentIds: x.input.attachmentIds ?? [],
      });
      e.data = { measure: true };
    },
  },
  /** 销号: the register entry is closed with the case. */
  'risk.write_off': {
    needs: [],
    async run(x, e) {
      await ensureEntry(x);
      e.statements.push(['UPDATE hazard SET written_off_at = $3, updated_at = $3 WHERE case_id = $1 AND district_code = $2', [x.c.id, x.c.district_code, x.now]]);
      await recordChange(x.tx, x.c.id, x.c.district_code, x.actor?.id ?? null, x.now, 'struck_off', { note: x.input.note ?? null });
    },
  },
};
