-- One row per series and completed minute, written by RollupWriter; kept beyond the in-memory
-- retention for reports and for restart. Times are epoch milliseconds, as in samples.
CREATE TABLE series_rollup (
  series VARCHAR(4000) NOT NULL,
  metric_name VARCHAR(500) NOT NULL,
  minute_start_millis BIGINT NOT NULL,
  min_value DOUBLE PRECISION NOT NULL,
  max_value DOUBLE PRECISION NOT NULL,
  sum_value DOUBLE PRECISION NOT NULL,
  sample_count INTEGER NOT NULL,
  last_value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (series, minute_start_millis)
);

CREATE INDEX series_rollup_by_metric ON series_rollup (metric_name, minute_start_millis);
