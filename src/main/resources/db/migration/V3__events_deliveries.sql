-- Events, their deliveries to targets, every attempt, and the raw log of Meta's webhooks.

-- Every POST Meta made to /webhooks/meta with a valid signature, stored before we answer 200.
CREATE TABLE meta_webhook_log (
    id           VARCHAR(40)       PRIMARY KEY,
    received_at  BIGINT            NOT NULL,
    body         VARCHAR(10485760) NOT NULL,
    -- received -> processed | malformed
    status       VARCHAR(20)       NOT NULL,
    account_id   VARCHAR(40),
    event_count  INTEGER           NOT NULL DEFAULT 0,
    unrouted     INTEGER           NOT NULL DEFAULT 0,
    error        VARCHAR(1000),
    processed_at BIGINT
);
CREATE INDEX meta_webhook_log_status ON meta_webhook_log (status, received_at);

-- Immutable: body is the envelope exactly as every delivery sends it.
CREATE TABLE event (
    id              VARCHAR(40)       PRIMARY KEY,
    account_id      VARCHAR(40)       NOT NULL REFERENCES account (id),
    type            VARCHAR(40)       NOT NULL,
    source          VARCHAR(20)       NOT NULL,
    phone_number_id VARCHAR(64),
    wa_message_id   VARCHAR(200),
    occurred_at     BIGINT            NOT NULL,
    created_at      BIGINT            NOT NULL,
    -- Meta redelivers for days: the same message (or status of it) must never make a second event.
    dedupe_key      VARCHAR(300)      NOT NULL UNIQUE,
    body            VARCHAR(10485760) NOT NULL
);
CREATE INDEX event_account ON event (account_id, id);
CREATE INDEX event_account_type ON event (account_id, type, id);

-- One per (event, target); its id is X-Pons-Delivery-Id on every attempt.
CREATE TABLE delivery (
    id               VARCHAR(40)   PRIMARY KEY,
    event_id         VARCHAR(40)   NOT NULL REFERENCES event (id),
    target_id        VARCHAR(40)   NOT NULL REFERENCES webhook_target (id) ON DELETE CASCADE,
    account_id       VARCHAR(40)   NOT NULL,
    event_type       VARCHAR(40)   NOT NULL,
    -- pending -> succeeded | failed
    status           VARCHAR(20)   NOT NULL,
    -- A retry or replay starts a new series: attempts count from 1 again, same delivery id.
    series           INTEGER       NOT NULL DEFAULT 1,
    attempt_count    INTEGER       NOT NULL DEFAULT 0,
    max_attempts     INTEGER       NOT NULL,
    next_attempt_at  BIGINT,
    -- Until when an instance holds the right to send it (cleared after the attempt); a claim
    -- that outlives this belongs to an instance that died, and the sweeper takes it back.
    claimed_until    BIGINT,
    -- Until when its id is known to sit on the queue (or in a near-term timer): the sweeper skips it.
    queued_until     BIGINT,
    last_status_code INTEGER,
    last_error       VARCHAR(1000),
    created_at       BIGINT        NOT NULL,
    delivered_at     BIGINT,
    updated_at       BIGINT        NOT NULL
);
CREATE INDEX delivery_due ON delivery (status, next_attempt_at);
CREATE INDEX delivery_target ON delivery (target_id, id);
CREATE INDEX delivery_event ON delivery (event_id);

CREATE TABLE delivery_attempt (
    id               VARCHAR(40)   PRIMARY KEY,
    delivery_id      VARCHAR(40)   NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    series           INTEGER       NOT NULL,
    number           INTEGER       NOT NULL,
    started_at       BIGINT        NOT NULL,
    latency_ms       BIGINT        NOT NULL,
    status_code      INTEGER,
    error            VARCHAR(1000),
    response_snippet VARCHAR(1000),
    UNIQUE (delivery_id, series, number)
);

-- Messages sent through POST /api/v1/accounts/{id}/messages.
CREATE TABLE outbound_message (
    id              VARCHAR(40)   PRIMARY KEY,
    account_id      VARCHAR(40)   NOT NULL REFERENCES account (id),
    phone_number_id VARCHAR(64)   NOT NULL,
    recipient       VARCHAR(64)   NOT NULL,
    type            VARCHAR(20)   NOT NULL,
    -- sent | failed, then Meta's statuses (delivered, read, failed) as they arrive
    status          VARCHAR(20)   NOT NULL,
    wa_message_id   VARCHAR(200)  UNIQUE,
    error           VARCHAR(1000),
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);
CREATE INDEX outbound_message_account ON outbound_message (account_id, id);
