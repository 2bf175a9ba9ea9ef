-- Finding residents by name while names stay sealed: keyed hashes (HMAC) of a person's full name and of
-- their surname, refreshed from the sealed record whenever the person changed since (source_updated_at).
CREATE TABLE person_search_key (
  person_id         bigint PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
  region_code       text NOT NULL,
  name_hash         text NOT NULL,
  surname_hash      text NOT NULL,
  source_updated_at timestamptz NOT NULL
);
CREATE INDEX person_search_key_name_idx ON person_search_key (name_hash);
CREATE INDEX person_search_key_surname_idx ON person_search_key (surname_hash, region_code text_pattern_ops);
