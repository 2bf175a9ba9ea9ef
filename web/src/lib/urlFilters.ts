// The case list's filters come from the address (bookmarks, shared links, hand-typed): a value the API would
// refuse (region=abc) is dropped, not shown as a raw regex error, an "Invalid Date" or a raw select value.

const csvOf = (re: RegExp) => (v: string) => v.split(',').every((x) => re.test(x));
const isoDate = (v: string) => /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v));

/** What each filter of the case list accepts (as GET /api/v1/cases does); a key not listed is left alone. */
export const caseListFilterChecks: Readonly<Record<string, (v: string) => boolean>> = {
  q: (v) => v.trim().length >= 1 && v.length <= 100,
  state: csvOf(/^[a-z_]{2,32}$/),
  type: csvOf(/^[a-z][a-z0-9_]{1,39}$/),
  group: (v) => /^[a-z_]{2,32}$/.test(v),
  category: (v) => /^\d{2,12}$/.test(v),
  region: (v) => /^\d{2,16}$/.test(v),
  sla: (v) => ['green', 'yellow', 'red'].includes(v),
  open: (v) => ['true', 'false', 'all'].includes(v),
  unit: (v) => /^[A-Za-z0-9._-]{1,64}$/.test(v),
  from: isoDate,
  to: isoDate,
  appealKind: csvOf(/^(consult|help|complaint|report|suggestion|praise)$/),
  overdueHours: (v) => /^\d{1,5}$/.test(v) && Number(v) <= 24 * 365,
  sort: (v) => ['created_at', '-created_at', 'due_at', '-due_at'].includes(v),
  page: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1,
  pageSize: (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 200,
};

/** The keys of the address's filters whose values are not valid (empty when all are). */
export function invalidFilters(params: URLSearchParams, checks = caseListFilterChecks): string[] {
  return [...new Set([...params.keys()])].filter((k) => checks[k] && params.getAll(k).some((v) => !checks[k](v)));
}
