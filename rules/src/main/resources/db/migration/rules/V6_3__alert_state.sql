-- The active alerts of each rule, as Prometheus keeps ALERTS_FOR_STATE: when each label set
-- became active and whether it fires yet, with the labels of the incident it belongs to. Read
-- at start, so that a restart neither restarts `for` timers nor forgets an alert whose incident
-- is open: one that no longer fires then resolves at the first evaluation, and one whose rule is
-- gone resolves with a note. Labels are JSON objects with sorted keys.
CREATE TABLE alert_state (
  rule          VARCHAR(200)  NOT NULL,
  labels        VARCHAR(4000) NOT NULL,
  group_labels  VARCHAR(4000) NOT NULL,
  active_since  TIMESTAMP WITH TIME ZONE NOT NULL,
  firing        BOOLEAN       NOT NULL,
  PRIMARY KEY (rule, labels)
);
