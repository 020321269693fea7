-- 'fifo': the target's deliveries go one at a time, in the order their events were accepted;
-- 'unordered': side by side.
ALTER TABLE webhook_target ADD COLUMN ordering VARCHAR(10) DEFAULT 'unordered' NOT NULL;
-- Attempts that may start per second, all instances together; null for no limit.
ALTER TABLE webhook_target ADD COLUMN rate_limit_per_second INTEGER;
-- The rate limit's budget: the first start slot (microseconds since the epoch) nobody has reserved yet.
-- Instances reserve a few slots at a time from it, so the limit holds for the cluster, not per instance.
ALTER TABLE webhook_target ADD COLUMN rate_next_slot_us BIGINT;
