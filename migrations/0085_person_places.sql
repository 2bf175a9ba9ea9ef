-- GB/T 31000 person fields the registry lacked: 职业类别 (GB/T 6565), 户籍地 and 现住地 (GB/T 2260 codes
-- beside the detailed addresses).
ALTER TABLE person ADD COLUMN IF NOT EXISTS occupation_category text;
ALTER TABLE person ADD COLUMN IF NOT EXISTS registered_place text;
ALTER TABLE person ADD COLUMN IF NOT EXISTS current_place text;
