CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NULL,
    password_hash TEXT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    verified INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_login TEXT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    description TEXT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NULL
);

CREATE TABLE apps (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    owner_id TEXT NOT NULL REFERENCES accounts(id),
    seq INTEGER NOT NULL UNIQUE,
    maintenance INTEGER NOT NULL DEFAULT 0,
    buildpack_description TEXT NULL,
    slug_size INTEGER NULL,
    released_at TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE config_vars (
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (app_id, key)
);

CREATE TABLE slugs (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    process_types TEXT NOT NULL,
    buildpack_description TEXT NULL,
    size INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    commit_sha TEXT NULL,
    stack TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE builds (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES accounts(id),
    status TEXT NOT NULL,
    source_url TEXT NULL,
    source_version TEXT NULL,
    source_checksum TEXT NULL,
    buildpacks TEXT NOT NULL,
    slug_id TEXT NULL,
    release_id TEXT NULL,
    failure TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX builds_app ON builds (app_id, created_at);

CREATE TABLE releases (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    slug_id TEXT NULL REFERENCES slugs(id),
    config TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (app_id, version)
);

CREATE TABLE formations (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    command TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    size TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (app_id, type)
);

CREATE TABLE dynos (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    command TEXT NOT NULL,
    size TEXT NOT NULL,
    state TEXT NOT NULL,
    release_id TEXT NOT NULL,
    release_version INTEGER NOT NULL,
    port INTEGER NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX dynos_app ON dynos (app_id);
