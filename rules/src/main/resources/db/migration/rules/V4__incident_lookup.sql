-- An alert finds its open incident by rule and fingerprint; "state <> 'RESOLVED'" cannot use an
-- index on state, so without this every firing alert scanned every incident ever kept.
CREATE INDEX incident_rule_fingerprint ON incident (rule, fingerprint);
