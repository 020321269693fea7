-- An account may hold several API keys, each named, revocable on its own, and showing when it was last
-- used. Revoking a key deletes its row: a request with it finds no row and is refused at once.
CREATE TABLE api_key (
    id           VARCHAR(40)  PRIMARY KEY,
    account_id   VARCHAR(40)  NOT NULL REFERENCES account (id),
    name         VARCHAR(100) NOT NULL,
    -- SHA-256 of the key; the key itself is shown once and never stored.
    key_hash     VARCHAR(64)  NOT NULL UNIQUE,
    -- What lists show instead of the key: its prefix and last four characters.
    preview      VARCHAR(40)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    -- Written at most once a minute per key, not on every request.
    last_used_at BIGINT
);
CREATE INDEX api_key_account ON api_key (account_id, created_at);

-- Every account's one key becomes its first row, so it keeps working. Only its hash is known: its
-- preview is the bare prefix. Its id reuses the account id's 26 characters, which are unique and
-- sort by the account's creation, as an id made by the application would.
INSERT INTO api_key (id, account_id, name, key_hash, preview, created_at, last_used_at)
SELECT 'key_' || SUBSTRING(id FROM 6), id, 'Default', api_key_hash, 'pons_…', created_at, NULL
FROM account;

ALTER TABLE account DROP COLUMN api_key_hash;
