-- A target's payload filter (compact JSON, at most 4 KiB): an event that does not match it makes no
-- delivery for that target. Null: every event of the subscribed types matches.
ALTER TABLE webhook_target ADD COLUMN payload_filter VARCHAR(8000);
