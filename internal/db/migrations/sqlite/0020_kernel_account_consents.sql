-- A resident's consent to the processing of personal data given at
-- registration (152-FZ art. 9): the exact text shown, its version and the
-- time. Deleting (withdrawing) the account removes it with the account's data.
CREATE TABLE account_consents (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    given_at TIMESTAMP NOT NULL
);
CREATE INDEX account_consents_account ON account_consents (account_id);
