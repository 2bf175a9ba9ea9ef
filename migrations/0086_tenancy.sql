-- 以房管人: a tenancy links a registered person to the house (or one room of it) they rent, with the
-- lease; tenants are registry persons, not free text. A tenancy ends (ended_on) rather than vanishing,
-- so a house keeps the history of who lived there.
CREATE TABLE tenancy (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code    text NOT NULL,
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  house_id       bigint NOT NULL REFERENCES house(id) ON DELETE CASCADE,
  room_id        bigint REFERENCES room(id) ON DELETE SET NULL,
  person_id      bigint NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  rental_use     text,
  lease_start    date,
  lease_end      date,
  ended_on       date,
  note           text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenancy_house_idx ON tenancy (house_id);
CREATE INDEX tenancy_person_idx ON tenancy (person_id);
