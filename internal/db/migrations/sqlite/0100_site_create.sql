-- The official site: sections, pages, news, revisions, the 8-FZ information
-- catalogue and page feedback (roadmap measures 1.2, 2.1, 2.2).
CREATE TABLE site_sections (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    parent_id INTEGER REFERENCES site_sections(id),
    slug TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    position INTEGER NOT NULL DEFAULT 0,
    in_menu BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, path)
);
CREATE INDEX site_sections_parent ON site_sections (municipality_id, parent_id, position);

CREATE TABLE site_pages (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    section_id INTEGER NOT NULL REFERENCES site_sections(id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    publish_at TIMESTAMP,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES accounts(id),
    UNIQUE (section_id, slug)
);
CREATE INDEX site_pages_section ON site_pages (section_id, state, position);
CREATE INDEX site_pages_due ON site_pages (state, publish_at);

CREATE TABLE site_news (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    section_id INTEGER REFERENCES site_sections(id),
    department_id INTEGER REFERENCES departments(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    publish_at TIMESTAMP,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES accounts(id)
);
CREATE INDEX site_news_public ON site_news (municipality_id, state, published_at);
CREATE INDEX site_news_section ON site_news (section_id, state, published_at);
CREATE INDEX site_news_due ON site_news (state, publish_at);

CREATE TABLE site_news_spheres (
    news_id INTEGER NOT NULL REFERENCES site_news(id) ON DELETE CASCADE,
    sphere_id INTEGER NOT NULL REFERENCES spheres(id) ON DELETE CASCADE,
    PRIMARY KEY (news_id, sphere_id)
);

CREATE TABLE site_revisions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    object_type TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    author_id INTEGER REFERENCES accounts(id),
    author TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX site_revisions_object ON site_revisions (object_type, object_id, id);

CREATE TABLE site_catalogue_items (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    code TEXT NOT NULL,
    category TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    rule TEXT NOT NULL,
    rule_days INTEGER NOT NULL DEFAULT 0,
    updated_on TEXT NOT NULL DEFAULT '',
    changed_on TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, code)
);
CREATE INDEX site_catalogue_department ON site_catalogue_items (municipality_id, department_id);

CREATE TABLE site_catalogue_links (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES site_catalogue_items(id) ON DELETE CASCADE,
    page_id INTEGER REFERENCES site_pages(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX site_catalogue_links_item ON site_catalogue_links (item_id, position);
CREATE INDEX site_catalogue_links_page ON site_catalogue_links (page_id);

CREATE TABLE site_catalogue_reminders (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, department_id)
);

CREATE TABLE site_feedback (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    path TEXT NOT NULL,
    section_id INTEGER REFERENCES site_sections(id) ON DELETE SET NULL,
    relevance INTEGER NOT NULL,
    completeness INTEGER NOT NULL,
    usefulness INTEGER NOT NULL,
    suggestion TEXT NOT NULL DEFAULT '',
    ip_key TEXT NOT NULL,
    browser_key TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, ip_key),
    UNIQUE (municipality_id, browser_key)
);
CREATE INDEX site_feedback_path ON site_feedback (municipality_id, path);
CREATE INDEX site_feedback_section ON site_feedback (municipality_id, section_id);
CREATE INDEX site_feedback_created ON site_feedback (municipality_id, created_at);

CREATE TABLE site_secrets (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    feedback_key TEXT NOT NULL
);
