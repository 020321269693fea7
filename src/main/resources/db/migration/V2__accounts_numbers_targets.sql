-- Accounts, their WhatsApp numbers and webhook targets: what a user configures.

CREATE TABLE account (
    id           VARCHAR(40)  PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    -- SHA-256 of the API key; the key itself is shown once and never stored.
    api_key_hash VARCHAR(64)  NOT NULL UNIQUE,
    created_at   BIGINT       NOT NULL
);

CREATE TABLE phone_number (
    -- Meta's phone number id: one number belongs to one account, across all accounts.
    phone_number_id      VARCHAR(64)  PRIMARY KEY,
    account_id           VARCHAR(40)  NOT NULL REFERENCES account (id),
    display_phone_number VARCHAR(40)  NOT NULL,
    -- Cloud API access token, AES-GCM sealed (SecretBox); never returned.
    access_token_sealed  VARCHAR(4000),
    created_at           BIGINT       NOT NULL
);
CREATE INDEX phone_number_account ON phone_number (account_id);

CREATE TABLE webhook_target (
    id                         VARCHAR(40)   PRIMARY KEY,
    account_id                 VARCHAR(40)   NOT NULL REFERENCES account (id),
    name                       VARCHAR(200)  NOT NULL,
    url                        VARCHAR(2048) NOT NULL,
    -- Comma-separated event types and phone number ids (empty: all numbers).
    events                     VARCHAR(400)  NOT NULL,
    phone_number_ids           VARCHAR(4000) NOT NULL,
    enabled                    BOOLEAN       NOT NULL,
    max_attempts               INTEGER       NOT NULL,
    timeout_ms                 INTEGER       NOT NULL,
    initial_backoff_ms         BIGINT        NOT NULL,
    max_backoff_ms             BIGINT        NOT NULL,
    secret_sealed              VARCHAR(400)  NOT NULL,
    secret_preview             VARCHAR(40)   NOT NULL,
    previous_secret_sealed     VARCHAR(400),
    previous_secret_expires_at BIGINT,
    consecutive_failures       INTEGER       NOT NULL DEFAULT 0,
    failing_since              BIGINT,
    last_success_at            BIGINT,
    last_failure_at            BIGINT,
    last_error                 VARCHAR(1000),
    disabled_reason            VARCHAR(400),
    created_at                 BIGINT        NOT NULL,
    updated_at                 BIGINT        NOT NULL
);
CREATE INDEX webhook_target_account ON webhook_target (account_id, id);
