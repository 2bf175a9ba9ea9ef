// What the mediation module works with: the platform's services, the case engine (through its index.ts)
// and the petition time limits.
import type { AppContext } from '../../platform/context.ts';
import type { CaseDeps } from '../cases/index.ts';
import type { PetitionLimits } from './limits.ts';

export interface MediationDeps {
  ctx: AppContext;
  cases: CaseDeps;
  limits: PetitionLimits;
}
