-- Every query that selects deliveries by status also names their target, and delivery_target_due serves
-- it; the gauges count target by target. A status index changes with every finished delivery: an entry
-- removed and one added, in each of the instance's busiest commits, for two counts a scrape reads.
DROP INDEX delivery_due;
