-- Each incident's notifications to one receiver are sent in order by one task, which reads that
-- key's pending rows: by dedup_key, without scanning the outbox.
CREATE INDEX outbox_key ON outbox (dedup_key, status);
