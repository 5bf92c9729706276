-- The municipality's coat of arms, uploaded by an administrator: the
-- sanitised SVG (favicon and header) and/or the 180×180 PNG made from an
-- uploaded PNG (touch icon, link previews). No row: the neutral default.
CREATE TABLE coats_of_arms (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    svg BLOB,
    png BLOB,
    updated_at TIMESTAMP NOT NULL
);
