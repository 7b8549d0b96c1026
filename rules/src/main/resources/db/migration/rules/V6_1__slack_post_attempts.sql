-- A chat.postMessage whose answer never came back (the process was killed, or the attempt ran
-- past its deadline) may still have reached Slack: Slack has no idempotency key. Recorded, and
-- committed, before every first post of an incident to a channel; the next attempt looks for
-- the message in the channel's history (by its metadata) before posting again. Removed once the
-- message's ts is stored in slack_message.
CREATE TABLE slack_post_attempt (
  incident_id   BIGINT       NOT NULL REFERENCES incident (id),
  target        VARCHAR(200) NOT NULL,
  attempted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (incident_id, target)
);
