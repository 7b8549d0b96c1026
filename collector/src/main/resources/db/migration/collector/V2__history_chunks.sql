-- History in two tables instead of a row of label text per series and minute (V1's
-- series_rollup, whose writes cost more CPU than scraping): each series' labels are written once,
-- and samples go in blocks of Gorilla-compressed chunks that name series by id. Portable SQL:
-- H2 and PostgreSQL both take it. Times are epoch milliseconds, as in samples.

-- The dictionary: labels as Prometheus writes them, found by a hash of that text (an index on
-- the text itself would not fit PostgreSQL's index entries for long label sets).
CREATE TABLE history_series (
  id BIGINT PRIMARY KEY,
  labels_hash BIGINT NOT NULL,
  labels VARCHAR(4000) NOT NULL,
  -- Refreshed about once an hour while the series is written; the dictionary's retention.
  last_written_millis BIGINT NOT NULL
);
CREATE INDEX history_series_by_hash ON history_series (labels_hash);
CREATE INDEX history_series_by_last_written ON history_series (last_written_millis);

-- The samples of [start_millis, end_millis) of up to a few thousand series: for each, its id
-- and a Gorilla chunk (see HistoryBlock). One write covers one window in parts.
CREATE TABLE history_block (
  start_millis BIGINT NOT NULL,
  part INTEGER NOT NULL,
  end_millis BIGINT NOT NULL,
  series_count INTEGER NOT NULL,
  payload BYTEA NOT NULL,
  PRIMARY KEY (start_millis, part)
);
CREATE INDEX history_block_by_end ON history_block (end_millis);

DROP TABLE series_rollup;
