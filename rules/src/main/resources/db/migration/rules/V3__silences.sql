-- Silences, in Alertmanager's shape: an alert whose labels all matchers match is muted from
-- starts_at until ends_at. Expiring one moves ends_at to the moment it was expired; rows are kept
-- for the report.
CREATE TABLE silence (
  id          VARCHAR(36)   PRIMARY KEY,
  matchers    VARCHAR(4000) NOT NULL,
  starts_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  ends_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by  VARCHAR(200)  NOT NULL,
  comment     VARCHAR(2000) NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX silence_starts ON silence (starts_at);
CREATE INDEX silence_ends ON silence (ends_at);

-- The alert's labels as a JSON object, for silences and inhibition to match (the labels column
-- is for people). What mutes the incident now (NULL: notifications flow), and the moment its
-- escalation is timed from: when it opened, or when it was last unmuted, since an unmuted alert
-- notifies as if it had just fired.
ALTER TABLE incident ADD COLUMN label_set VARCHAR(4000);
ALTER TABLE incident ADD COLUMN muted_by VARCHAR(1000);
ALTER TABLE incident ADD COLUMN escalation_from TIMESTAMP WITH TIME ZONE;
