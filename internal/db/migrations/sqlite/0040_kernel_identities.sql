-- Sign-in through an OpenID Connect provider (ЕСИА through its gateway,
-- a regional Keycloak). identity_level is how far the portal knows who the
-- person is: 'email' (a local account whose address was confirmed, or
-- not yet) or 'verified' (the provider said at the last sign-in that the
-- person's identity is confirmed). account_identities links an account to
-- the provider's subject; one subject names one account of a municipality.
ALTER TABLE accounts ADD COLUMN identity_level TEXT NOT NULL DEFAULT 'email' CHECK (identity_level IN ('email', 'verified'));

CREATE TABLE account_identities (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    linked_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    UNIQUE (municipality_id, issuer, subject),
    UNIQUE (account_id, issuer)
);
