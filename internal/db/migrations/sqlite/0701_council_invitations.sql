CREATE TABLE council_invitations (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    meeting_id INTEGER NOT NULL REFERENCES council_meetings(id),
    email TEXT NOT NULL,
    account_id INTEGER,
    group_id INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, email)
);
CREATE INDEX council_invitations_mun ON council_invitations (municipality_id, meeting_id);
