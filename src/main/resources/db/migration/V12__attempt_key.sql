-- An attempt is known by its delivery, series and number: the API lists a delivery's attempts by number
-- and never shows their own id. Keyed by those three, an attempt's row carries one index instead of two
-- (its id's and the unique one), on every delivery's busiest write.
--
-- The previous release still names the id when it records an attempt, so the column stays, nullable,
-- until a later release drops it. Renaming the table first makes PostgreSQL hold it exclusively until
-- this migration commits: an old instance's attempt waits for the copy instead of landing in a table
-- that is about to go. Both databases name keys and constraints their own way; a new table keeps the
-- script the same for both.
ALTER TABLE delivery_attempt RENAME TO delivery_attempt_v3;

CREATE TABLE delivery_attempt (
    delivery_id      VARCHAR(40)   NOT NULL,
    series           INTEGER       NOT NULL,
    number           INTEGER       NOT NULL,
    started_at       BIGINT        NOT NULL,
    latency_ms       BIGINT        NOT NULL,
    status_code      INTEGER,
    error            VARCHAR(1000),
    response_snippet VARCHAR(1000),
    id               VARCHAR(40),
    CONSTRAINT delivery_attempt_key PRIMARY KEY (delivery_id, series, number),
    CONSTRAINT delivery_attempt_delivery FOREIGN KEY (delivery_id) REFERENCES delivery (id) ON DELETE CASCADE
);

INSERT INTO delivery_attempt (delivery_id, series, number, started_at, latency_ms, status_code, error,
                              response_snippet, id)
SELECT delivery_id, series, number, started_at, latency_ms, status_code, error, response_snippet, id
FROM delivery_attempt_v3;

DROP TABLE delivery_attempt_v3;
