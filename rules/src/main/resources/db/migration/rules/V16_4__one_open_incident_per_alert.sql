-- Several instances may open the incident of the same alert at once (both evaluating its rule
-- during a rebalance, or both receiving it from Alertmanager): open_key is the alert's rule and
-- fingerprint while its incident is open and NULL once it resolves, and unique, so the second
-- opening fails on it and attaches to the first one's incident. NULLs are distinct in a unique
-- index on both H2 and PostgreSQL, which is what keeps any number of resolved incidents.
ALTER TABLE incident ADD COLUMN open_key VARCHAR(240);
UPDATE incident SET open_key = rule || '/' || fingerprint WHERE state <> 'RESOLVED';
CREATE UNIQUE INDEX incident_open_key ON incident (open_key);
