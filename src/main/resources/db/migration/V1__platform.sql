-- Runs unchanged on H2 and PostgreSQL: portable types only (varchar, bigint, integer, boolean).
-- Long text is VARCHAR(10485760), PostgreSQL's largest varchar: TEXT means CLOB on H2, which
-- neither maps to a plain String nor compares like one.

-- Operator self-test rows (POST /api/v1/diagnostics/pings).
CREATE TABLE diagnostic_ping (
    id               VARCHAR(40) PRIMARY KEY,
    poison           BOOLEAN     NOT NULL,
    created_at       BIGINT      NOT NULL,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    received_at      BIGINT,
    dead_lettered_at BIGINT
);

-- Instance-independent settings the service keeps for itself (the development encryption key).
CREATE TABLE pons_setting (
    name          VARCHAR(100)  PRIMARY KEY,
    setting_value VARCHAR(4000) NOT NULL
);
