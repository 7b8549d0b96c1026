-- An incident's dedup_key names its id, so it is set right after its insert, in the same
-- transaction: NULL until then, rather than a unique placeholder that its unique index took in
-- and gave up again at every opening (one more index page written per incident).
ALTER TABLE incident ALTER COLUMN dedup_key DROP NOT NULL;
