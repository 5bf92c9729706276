CREATE TABLE groups_settings (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    max_groups INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE reference_groups (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    act_title TEXT NOT NULL DEFAULT '',
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    act_url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, name)
);

CREATE TABLE reference_group_spheres (
    group_id INTEGER NOT NULL REFERENCES reference_groups(id) ON DELETE CASCADE,
    sphere_id INTEGER NOT NULL REFERENCES spheres(id),
    PRIMARY KEY (group_id, sphere_id)
);
CREATE INDEX reference_group_spheres_sphere ON reference_group_spheres (sphere_id);

CREATE TABLE reference_group_members (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    group_id INTEGER NOT NULL REFERENCES reference_groups(id) ON DELETE CASCADE,
    account_id INTEGER REFERENCES accounts(id),
    organisation TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    show_name BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    applied_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by INTEGER REFERENCES accounts(id),
    left_at TIMESTAMP
);
CREATE INDEX reference_group_members_group ON reference_group_members (group_id, status);
CREATE INDEX reference_group_members_account ON reference_group_members (account_id, status);
CREATE UNIQUE INDEX reference_group_members_active ON reference_group_members (group_id, account_id) WHERE status IN ('pending', 'member') AND account_id IS NOT NULL;

CREATE TABLE reference_group_informed (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    consultation TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    groups_count INTEGER NOT NULL,
    letters INTEGER NOT NULL,
    informed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, consultation)
);

CREATE TABLE reference_group_notices (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    consultation TEXT NOT NULL,
    email TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, consultation, email)
);
