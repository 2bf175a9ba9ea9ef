-- 知识库: the hotline centre's answers to what callers ask (policies, procedures, who handles what), by
-- category of the case tree, with the dates they hold for. An article belongs to a region (the district
-- whose centre wrote it, or the city) and applies to everything below it.

CREATE TABLE kb_article (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code   text NOT NULL REFERENCES region(code),
  category_code text REFERENCES category(code),
  title         text NOT NULL,
  question      text,
  answer        text NOT NULL,
  keywords      text[] NOT NULL DEFAULT '{}',
  source        text,
  valid_from    date,
  valid_to      date,
  active        boolean NOT NULL DEFAULT true,
  created_by    bigint REFERENCES app_user(id),
  updated_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX kb_article_region_idx ON kb_article (region_code, updated_at DESC);
CREATE INDEX kb_article_category_idx ON kb_article (category_code);
