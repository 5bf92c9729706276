CREATE TABLE media_sources (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_fetched_at TIMESTAMP,
    last_ok_at TIMESTAMP,
    next_fetch_at TIMESTAMP,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, url)
);

CREATE TABLE media_rules (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    phrase TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE media_mentions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    source_id INTEGER NOT NULL REFERENCES media_sources(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    title_key TEXT NOT NULL,
    link_key TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    found_at TIMESTAMP NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    matched TEXT NOT NULL DEFAULT '',
    republished INTEGER NOT NULL DEFAULT 0,
    tonality TEXT NOT NULL DEFAULT '',
    tonality_by TEXT NOT NULL DEFAULT '',
    tonality_at TIMESTAMP,
    UNIQUE (municipality_id, title_key)
);
CREATE INDEX media_mentions_published ON media_mentions (municipality_id, published_at);
CREATE INDEX media_mentions_link ON media_mentions (municipality_id, link_key);

CREATE TABLE media_mention_sources (
    mention_id INTEGER NOT NULL REFERENCES media_mentions(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES media_sources(id) ON DELETE CASCADE,
    link TEXT NOT NULL,
    PRIMARY KEY (mention_id, source_id)
);

CREATE TABLE media_settings (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    lexicon TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
