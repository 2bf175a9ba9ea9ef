// The registries module (人地事物组织): its plugin and its public surface. Other modules and the CLI
// use only what is exported here.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import type { RegistryDeps } from './common.ts';
import { Dictionaries, loadDictionaries } from './dictionaries.ts';
import { RegionDirectory } from './region-directory.ts';
import { registryRoutes } from './routes.ts';

export function registryDeps(ctx: AppContext): RegistryDeps {
  return { ctx, dictionaries: new Dictionaries(ctx.db), regions: new RegionDirectory(ctx.db) };
}

/**
 * Loads the code tables shipped with this version (when newer than the database's) and registers the routes.
 * `targetNames` name the audit's objects that other modules own (a case by its number), so the audit of
 * reveals shows names, not ids.
 */
export async function registryModule(app: FastifyInstance, ctx: AppContext, opts: Pick<RegistryDeps, 'targetNames'> = {}): Promise<RegistryDeps> {
  const applied = await loadDictionaries(ctx.db);
  if (applied.length) ctx.log.info({ dictionaries: applied }, 'dictionaries loaded');
  const deps = { ...registryDeps(ctx), ...opts };
  registryRoutes(app, deps);
  return deps;
}

export type { RegistryDeps } from './common.ts';
export { loadDictionaries, dictionaryLabels } from './dictionaries.ts';
export { checkIdNumber, makeIdNumber } from './id-number.ts';
export { checkCreditCode, CREDIT_CODE_ALPHABET, makeCreditCode } from './credit-code.ts';
export { startImport, getImport, type ImportOptions } from './import/pipeline.ts';
export { exportCsv, templateCsv } from './import/export.ts';
export { csvRecords, estimateRecords } from './import/sources.ts';
// Use cases and request schemas for callers inside the platform (the demo seed registers records
// exactly as the API would: schema first, then the use case).
export { createPerson, createLabel, createFollowup } from './persons.ts';
export { createRecord, patchRecord } from './records.ts';
export { createTenancy } from './links.ts';
export { TenancyCreate } from './contracts.ts';
export { PersonCreate } from './persons-model.ts';
export { createSchema, patchSchema, kinds, type KindName } from './kinds.ts';
export { LabelCreate, FollowupCreate } from './contracts.ts';
export { registryPolicy } from './policy.ts';
// Reads for the risk module (overdue follow-ups, sensors): ids, types and places, no personal data.
export { followupsDue, personPlace, personsMasked, regionsOf, registryRefNames, sensorDevices, type FollowupDue, type SensorDevice } from './reads.ts';
// The risk module's counsellors reach the person they were referred (name and phone, for a stated purpose, audited).
export { revealPersonContact } from './persons.ts';
// The grid worker's day (fieldwork module): key-person follow-up schedules and their due list (also for
// the risk module's rules), finding residents by name, surname, address or ID number, households with
// their members for visits.
export { followUpsDue, followUpInterval, followUpSchedule, type FollowUpDue } from './follow-up-schedule.ts';
export { searchResidents, householdsOf, activeLabelsOf, personsBrief, refreshSearchKeys, surnameOf, type ResidentHit, type HouseholdCard } from './person-search.ts';
// Grid splits and merges carry the registry's records to the successor grids (regions' GridCarrier).
export { registryCarrier } from './grid-carrier.ts';
export { buildingAddresses, buildingsVersion, type BuildingAddress } from './addresses.ts';
// Reads for participation (votes by person or household, resident accounts): masked names, regions, households.
export { participant, participantByIdentity, participantsIn, partyMembersIn, countParticipants, type Participant } from './reads.ts';
export { documentHash } from './prepare.ts';
