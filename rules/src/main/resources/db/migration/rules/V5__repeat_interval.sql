-- When the receivers an incident reached are next reminded that it still fires unacknowledged
-- (NULL: nobody to remind, or it is acknowledged, resolved or muted). Kept here, not in memory,
-- so that reminders carry on after a restart and the worker finds the due ones without reading
-- every incident.
ALTER TABLE incident ADD COLUMN next_repeat_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX incident_repeat ON incident (next_repeat_at);
