-- The masked reporter name is stored at intake (like the masked phone), so lists never decrypt per row.
-- Rows written before this migration keep NULL and are masked on read.
ALTER TABLE "case" ADD COLUMN reporter_name_masked text;
