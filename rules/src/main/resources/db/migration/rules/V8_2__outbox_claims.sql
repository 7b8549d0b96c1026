-- Which instance sends a pending notification, and until when its claim holds: instances sharing
-- one database claim an incident's pending rows together (row locks, then these columns), so that
-- no notification is sent by two of them; a killed instance's claims end with their lease.
ALTER TABLE outbox ADD COLUMN claimed_by VARCHAR(64);
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
