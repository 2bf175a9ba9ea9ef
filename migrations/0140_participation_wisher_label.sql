-- Wishers on the walls (issue 16 walk): a resident's wish showed the first digit of their phone (1***), from
-- the display name of a phone sign-in account. From now on a wish shows the linked registry person's masked
-- name, else 居民 with the tail of the masked phone; this brings the wishes already posted into line.
UPDATE pt_wish w SET wisher_masked = p.name_masked
  FROM pt_resident r JOIN person p ON p.id = r.person_id
  WHERE r.user_id = w.wisher_user_id;
UPDATE pt_wish w SET wisher_masked = '居民（尾号' || right(r.phone_masked, 4) || '）'
  FROM pt_resident r
  WHERE r.user_id = w.wisher_user_id AND r.person_id IS NULL AND r.phone_masked ~ '[0-9]{4}$';
