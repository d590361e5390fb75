-- Per-user SCRAM salt and iteration count, shared by all of the user's app passwords so that one SCRAM exchange
-- (one salt) can be checked against each of them, and PLAIN needs a single PBKDF2 run per attempt.
CREATE TABLE auth.user_salt (
    username   text PRIMARY KEY,
    salt       bytea NOT NULL,
    iterations integer NOT NULL
);

-- SMTP app passwords: SCRAM-SHA-256 verifiers only; CRAM-MD5 key material AES-GCM encrypted (nullable when no key).
CREATE TABLE auth.app_password (
    id           uuid PRIMARY KEY,
    username     text NOT NULL,
    label        text NOT NULL,
    stored_key   bytea NOT NULL,
    server_key   bytea NOT NULL,
    cram_secret  bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);
CREATE INDEX app_password_username ON auth.app_password (username);

-- Failed checks per key ('ip:192.0.2.1', 'user:alice') per fixed window; bumped with an atomic UPSERT.
CREATE TABLE auth.failure_window (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    failures     integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX failure_window_start ON auth.failure_window (window_start);

-- Active and recently expired bans; every instance reloads the active ones every few seconds.
CREATE TABLE auth.ban (
    key        text PRIMARY KEY,
    kind       text NOT NULL,
    value      text NOT NULL,
    until      timestamptz NOT NULL,
    failures   integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ban_until ON auth.ban (until);
