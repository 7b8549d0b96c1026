-- The start of the alert's episode an incident opened for (Alertmanager's startsAt, a rule
-- alert's active since), to the microsecond (Alertmanager sends nanoseconds; PostgreSQL keeps
-- microseconds): a firing of an episode whose incident already resolved arrives late and reopens
-- nothing.
ALTER TABLE incident ADD COLUMN starts_at TIMESTAMP WITH TIME ZONE;

-- Resolves reported (by Alertmanager or Grafana) for an episode that had no incident yet: with
-- several senders a resolve can overtake its firing, which then opens its incident and resolves
-- it at once. Kept a day.
CREATE TABLE early_resolve (
  rule         VARCHAR(200) NOT NULL,
  fingerprint  VARCHAR(32)  NOT NULL,
  starts_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  reason       VARCHAR(4000) NOT NULL,
  PRIMARY KEY (rule, fingerprint, starts_at)
);
