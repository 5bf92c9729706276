-- Answers published on the portal under article 10 part 4 of 59-FZ: an
-- appeal that concerns the rights of an indefinite circle of persons may be
-- answered on the official site, the text written by staff without
-- personal data. Article 11 part 5.1 letters link to them.
CREATE TABLE appeal_published_answers (
    id BIGSERIAL PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
    appeal_id BIGINT NOT NULL UNIQUE REFERENCES appeals(id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    published_on TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX appeal_published_answers_list ON appeal_published_answers (municipality_id, published_on, id);
