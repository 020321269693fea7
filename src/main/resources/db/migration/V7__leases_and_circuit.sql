-- A delivery's lease is called what it is.
ALTER TABLE delivery RENAME COLUMN claimed_until TO leased_until;
-- A target's circuit: null while it is closed; once the target keeps failing, when the next probe may
-- start (while a probe is out, the end of its lease). Its other deliveries wait in this table meanwhile.
ALTER TABLE webhook_target ADD COLUMN next_probe_at BIGINT;
-- The sweeper hands out each target's due deliveries oldest first, a bounded number at a time.
CREATE INDEX delivery_target_due ON delivery (target_id, status, next_attempt_at);
