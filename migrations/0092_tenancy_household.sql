-- 以房管人 both ways for households: a tenancy names the household that rents with the tenant (by default
-- the tenant's own), so a household shows the house it rents and a house the households renting it.
ALTER TABLE tenancy ADD COLUMN IF NOT EXISTS household_id bigint REFERENCES household(id) ON DELETE SET NULL;
CREATE INDEX IF NOT EXISTS tenancy_household_idx ON tenancy (household_id) WHERE household_id IS NOT NULL;
