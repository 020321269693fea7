-- A target is 'http' (a signed POST to its url) or 'jms' (a message to a destination the operator
-- configured, named in jms_destination; such a target has no url).
ALTER TABLE webhook_target ADD COLUMN target_type VARCHAR(10) DEFAULT 'http' NOT NULL;
ALTER TABLE webhook_target ADD COLUMN jms_destination VARCHAR(100);
ALTER TABLE webhook_target ALTER COLUMN url DROP NOT NULL;

-- Which of the operator's configured JMS destinations (pons.jms-targets.<name>.*) an account may
-- publish to. A tenant names a destination only through one of these rows.
CREATE TABLE jms_grant (
    id          VARCHAR(40)  PRIMARY KEY,
    account_id  VARCHAR(40)  NOT NULL REFERENCES account (id),
    name        VARCHAR(100) NOT NULL,
    created_at  BIGINT       NOT NULL,
    UNIQUE (account_id, name)
);
CREATE INDEX jms_grant_name ON jms_grant (name);
