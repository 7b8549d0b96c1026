-- H2 writes every page a commit changed, and an index whose new entries land on random pages costs
-- a page per incident at each commit. outbox_key no longer holds the status, which every outcome
-- changes (the rows of one dedup_key are few: filtering them by status is cheap). incident_open
-- served no query since alerts look up (rule, fingerprint), and H2 chose it for the escalation and
-- reminder passes, which then read every triggered incident each second rather than those due.
DROP INDEX outbox_key;
CREATE INDEX outbox_key ON outbox (dedup_key);
DROP INDEX incident_open;
