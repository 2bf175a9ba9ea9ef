// The addresses module's requests for the ability matrix (test/api/ability-matrix.test.ts,
// docs/abilities.md): geocoding a caller's text, and importing a row into the library of the home
// community (each role its own landmark). Scope (imports only inside the importer's territory) is
// tested in test/api/geocode.test.ts.
import type { Role } from '../../../src/platform/auth/actor.ts';
import type { Res, TestPlatform } from '../../helpers/platform.ts';
import { homeCommunity } from '../../helpers/fixtures.ts';

type Probe = (as: ReturnType<TestPlatform['as']>, role: Role) => Promise<Res>;

export const hotlineGeoExercise: Record<string, Probe> = {
  'address.geocode': (as) => as.get(`/api/v1/geocode?q=${encodeURIComponent(`${homeCommunity.shortName}菜市场旁边`)}`),
  'address.manage': (as, role) => as.post('/api/v1/addresses/import', {
    format: 'csv', content: `类型,名称,区划代码\n地标,${role}测试亭,${homeCommunity.code}\n`,
  }),
};
