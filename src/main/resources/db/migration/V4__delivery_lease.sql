-- A delivery's claimed_until is now its only lease: taken when it is queued (fan-out, sweeper, retry
-- timer, retry, replay) and held through the attempt, so the separate "known to be queued" mark goes.
ALTER TABLE delivery DROP COLUMN queued_until;
