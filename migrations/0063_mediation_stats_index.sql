-- Statistics of disputes and petitions for a district read a year of rows: covering indexes let them be
-- read from the index alone (index-only scans, ≈ a fifth of the table's bytes; the rows carry their texts
-- and risk reasons). Measured in bench/mediation-stats.ts (bench/README.md).
CREATE INDEX dispute_stats_idx ON dispute (district_code, received_at)
  INCLUDE (street_code, community_code, region_code, category_code, level, org_id, lead_mediator_id, success, is_open,
           agreed_at, failed_at, closed_at, risk_score);
CREATE INDEX petition_stats_idx ON petition (district_code, received_at)
  INCLUDE (street_code, community_code, region_code, form, first_time, repeat_kind, petitioners, is_open, concluded_at,
           backlog, backlog_closed_at, accepted_at, accept_due_on);
