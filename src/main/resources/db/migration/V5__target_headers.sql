-- A target's own headers (say the Authorization of a gateway in front of the receiver), sent on every
-- attempt. Their values are secrets: sealed like signing secrets, as one JSON object; the preview is
-- the same object with each value masked, which is all the API ever shows.
ALTER TABLE webhook_target ADD COLUMN headers_sealed VARCHAR(32000);
ALTER TABLE webhook_target ADD COLUMN headers_preview VARCHAR(8000);
