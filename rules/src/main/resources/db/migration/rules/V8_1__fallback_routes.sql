-- A notification sent through a fallback route copies a row of the failing receiver: mirror_of is
-- that row, unique so that a row is copied once, however often the dispatcher looks at it.
ALTER TABLE outbox ADD COLUMN mirror_of BIGINT REFERENCES outbox (id);
CREATE UNIQUE INDEX outbox_mirror ON outbox (mirror_of);
