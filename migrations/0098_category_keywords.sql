-- Everyday words for categories (井盖, 垃圾, 坑, 噪音, 漏水 …): the category picker finds a category by
-- them, and category suggestions work from the first day from names and keywords, before a text model
-- has closed cases to learn from.

ALTER TABLE category ADD COLUMN keywords text[] NOT NULL DEFAULT '{}';
