-- H2 writes every page a commit changed, and an alert's entries land on random pages of an index
-- keyed by its rule and fingerprint: one such page per index per opening. One index now serves
-- both what incident_rule_fingerprint did (an alert's incidents, by its rule and fingerprint
-- prefix) and what incident_open_key did (one open incident per alert across instances: open_key
-- is set while it is open and NULL once resolved, and NULLs are distinct in a unique index on H2
-- and PostgreSQL alike). A resolve moves the entry within the alert's own part of the index.
CREATE UNIQUE INDEX incident_alert ON incident (rule, fingerprint, open_key);
DROP INDEX incident_open_key;
DROP INDEX incident_rule_fingerprint;
