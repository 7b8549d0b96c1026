-- What the rule says about handling its incidents, and how far escalation has gone: the number
-- of the policy's levels notified so far and when the next one is due (NULL: none left), so that
-- a restart resumes where it stood and the worker finds due incidents without reading them all.
ALTER TABLE incident ADD COLUMN escalation VARCHAR(200);
ALTER TABLE incident ADD COLUMN escalation_level INT NOT NULL DEFAULT 0;
ALTER TABLE incident ADD COLUMN next_escalation_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX incident_escalation ON incident (next_escalation_at);
ALTER TABLE incident ADD COLUMN runbook VARCHAR(1000);
ALTER TABLE incident ADD COLUMN actions VARCHAR(2000);

-- Where a notification goes within its channel: a Slack channel, a PagerDuty routing key name
-- (NULL for the default key).
ALTER TABLE outbox ADD COLUMN target VARCHAR(200);

-- The one Slack message of an incident in a channel, edited in place with chat.update.
CREATE TABLE slack_message (
  incident_id  BIGINT       NOT NULL REFERENCES incident (id),
  target       VARCHAR(200) NOT NULL,
  channel_id   VARCHAR(64)  NOT NULL,
  ts           VARCHAR(32)  NOT NULL,
  PRIMARY KEY (incident_id, target)
);
