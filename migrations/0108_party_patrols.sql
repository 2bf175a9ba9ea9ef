-- 党员到网格报到: a party member's patrol in their grid (党员巡逻) is one of the tasks that count for them.
-- A service entry of the grid says which kind of task it was: a service (the default, every entry so far)
-- or a patrol; the participation module's party record counts patrols apart (docs/participation.md).
ALTER TABLE grid_party_service ADD COLUMN kind text NOT NULL DEFAULT 'service' CHECK (kind IN ('service', 'patrol'));
