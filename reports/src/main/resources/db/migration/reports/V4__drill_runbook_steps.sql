-- The runbook steps a drill carried out ("<runbook> › <step>", one a line), in the order first used.
ALTER TABLE drill ADD COLUMN runbook_steps VARCHAR(4000);
