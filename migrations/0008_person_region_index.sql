-- Persons: one scope index instead of three. Grid codes begin with their community's code, which
-- begins with its street's (DESIGN rule 1), so a prefix range on region_code finds the persons of a
-- street, community or grid in one B-tree; text_pattern_ops serves `LIKE 'prefix%'` whatever the
-- database's collation, and equality on a grid code with pages in id order. Bulk imports write two
-- index entries fewer per person (raw COPY of the same rows ≈ 1.5–2 × faster; bench/README.md).
-- street_code and community_code stay as columns (reports, person_label).
DROP INDEX person_street_idx;
DROP INDEX person_community_idx;
DROP INDEX person_grid_idx;
CREATE INDEX person_region_idx ON person (region_code text_pattern_ops, id);
