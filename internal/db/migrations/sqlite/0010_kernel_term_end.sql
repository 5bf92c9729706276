-- The municipality's rule for a term that ends on a day off: 'preceding'
-- (the working day before it, the default) or 'next' (article 193 of the
-- Civil Code). The deadline kernel applies it to every term it counts.
CREATE TABLE deadline_settings (
    municipality_id INTEGER NOT NULL PRIMARY KEY REFERENCES municipalities(id),
    term_end TEXT NOT NULL DEFAULT 'preceding' CHECK (term_end IN ('preceding', 'next'))
);
