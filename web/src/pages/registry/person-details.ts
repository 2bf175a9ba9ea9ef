// The fields of a person's population type (户籍, 流动, 境外, 留守: persons-model.ts populationDetails):
// the dictionary each coded one comes from, so the person page shows labels (户号, 流入原因 …) and code
// labels, never raw keys or codes. Their names are the rg.df.* messages.
export const DETAIL_DICT: Record<string, string> = {
  inflowReason: 'inflow_reason', residenceType: 'residence_type', nationality: 'nationality', visitPurpose: 'visit_purpose',
  leftBehindType: 'left_behind_type', healthStatus: 'health_status', familyMemberRelation: 'relationship',
};
export const DETAIL_DICT_NAMES = Object.values(DETAIL_DICT);
