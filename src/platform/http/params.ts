// Numbers in paths and query strings, written out in decimal digits only. z.coerce.number() would take
// '0x10', '1e3', ' 7' and '' (as 0): one resource with many names, and caches and audits that disagree.
import { z } from 'zod';

/** A row id in a path: 1 to 2^53 − 1, no sign, no leading zero. */
export const pathId = z.string()
  .regex(/^[1-9]\d{0,15}$/, 'ids are whole numbers written in decimal digits')
  .transform(Number).pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** A whole number in a query string, within [min, max], with a default when it is absent. */
export const queryInt = (min: number, max: number, dflt: number) => z.string()
  .regex(/^\d{1,9}$/, 'expected a whole number written in decimal digits')
  .transform(Number).pipe(z.number().int().min(min).max(max)).default(dflt);
