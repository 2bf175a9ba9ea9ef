// The administrator that `init` creates administers what was set up: for `--city`, the city (all of its
// districts), not the province that the region tree holds above it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDistricts } from '../../src/setup/init.ts';
import { administersPlatform } from '../../src/platform/auth/platform-admin.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { emptyDatabase, type EmptyDb } from '../helpers/empty-db.ts';

let empty: EmptyDb;
beforeAll(async () => { empty = await emptyDatabase(); await migrate(empty.db); }, 120_000);
afterAll(async () => { await empty?.drop(); });

describe('gongzhi init --city 4603', () => {
  it('scopes admin to the city 三沙市, whose three districts it set up', async () => {
    const r = await initDistricts(empty.db, { city: '4603', adminPassword: 'sansha-admin-2026' });
    expect(r.districts.map((d) => d.code)).toEqual(['460321', '460322', '460323']);
    const [admin] = await empty.db.query<{ region_code: string }>(`SELECT region_code FROM app_user WHERE username = 'admin'`);
    expect(admin.region_code).toBe('4603');
    const [province] = await empty.db.query<{ code: string }>(`SELECT code FROM region WHERE parent_code IS NULL`);
    expect(province.code).toBe('46'); // the tree still holds the province, as the city's parent
    // and the city's administrator edits the platform-wide settings (categories, calendar, dictionaries)
    expect(await administersPlatform(empty.db, { regionCode: '4603' })).toBe(true);
    expect(await administersPlatform(empty.db, { regionCode: '460321' })).toBe(false);
  });
});
