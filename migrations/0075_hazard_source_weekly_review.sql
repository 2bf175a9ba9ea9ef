-- Risk prevention: a hazard may come from the weekly risk review meeting (风险隐患周研判), whose decisions
-- become hazard cases. The register's source list gains 'weekly_review'.
ALTER TABLE hazard DROP CONSTRAINT hazard_source_check;
ALTER TABLE hazard ADD CONSTRAINT hazard_source_check
  CHECK (source IN ('daily_check', 'grid_report', 'alert', 'hotline', 'sensor', 'inspection', 'petition', 'weekly_review', 'other'));
