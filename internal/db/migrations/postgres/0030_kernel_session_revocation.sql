-- Sessions and API tokens end when they should (issue: a password reset
-- left old sessions and tokens working; re-enabling an account revived them).
-- session_epoch is copied into a session at login; raising it ends every
-- session of the account.
ALTER TABLE accounts ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
-- API tokens get a name, an expiry and a record of their last use.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = created_at + INTERVAL '365 days' WHERE expires_at IS NULL;
CREATE INDEX api_tokens_account ON api_tokens (account_id);
