-- Numbers that must stay unique when several instances write history to one database: the
-- dictionary's series ids and the block rows' part numbers. Each instance takes a range at a time
-- from here (UPDATE then SELECT, in a short transaction of its own) instead of counting on from
-- the largest number it saw in the table, which two instances would both take.
CREATE TABLE history_counter (
  name VARCHAR(32) PRIMARY KEY,
  next_value BIGINT NOT NULL
);
INSERT INTO history_counter (name, next_value) SELECT 'series_id', COALESCE(MAX(id), 0) + 1 FROM history_series;
INSERT INTO history_counter (name, next_value) SELECT 'block_part', COALESCE(MAX(part), -1) + 1 FROM history_block;
