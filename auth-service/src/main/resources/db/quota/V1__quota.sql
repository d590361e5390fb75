-- Per-subscriber outbound throttling (R7). Owned by auth-service, kept in its own schema and Flyway
-- history so it evolves independently of the credential tables.

CREATE TABLE plan (
    name                   text PRIMARY KEY,
    messages_per_minute    integer NOT NULL CHECK (messages_per_minute >= 0),
    messages_per_hour      integer NOT NULL CHECK (messages_per_hour >= 0),
    messages_per_day       integer NOT NULL CHECK (messages_per_day >= 0),
    recipients_per_message integer NOT NULL CHECK (recipients_per_message >= 0),
    recipients_per_day     integer NOT NULL CHECK (recipients_per_day >= 0),
    concurrent_sessions    integer NOT NULL CHECK (concurrent_sessions >= 0),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- NULL limit columns inherit from the plan.
CREATE TABLE subscriber (
    username               text PRIMARY KEY,
    plan                   text REFERENCES plan (name),
    messages_per_minute    integer CHECK (messages_per_minute >= 0),
    messages_per_hour      integer CHECK (messages_per_hour >= 0),
    messages_per_day       integer CHECK (messages_per_day >= 0),
    recipients_per_message integer CHECK (recipients_per_message >= 0),
    recipients_per_day     integer CHECK (recipients_per_day >= 0),
    concurrent_sessions    integer CHECK (concurrent_sessions >= 0),
    suspended              boolean NOT NULL DEFAULT false,
    suspended_reason       text,
    suspended_at           timestamptz,
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Fixed windows: one row per (user, metric, window length, window start). The conditional UPSERT on
-- this row is what makes the limit exact across replicas: PostgreSQL serialises the increments.
CREATE TABLE counter (
    username       text        NOT NULL,
    metric         text        NOT NULL,
    window_seconds integer     NOT NULL,
    window_start   timestamptz NOT NULL,
    used           bigint      NOT NULL,
    PRIMARY KEY (username, metric, window_seconds, window_start)
);
CREATE INDEX counter_window_start ON counter (window_start);

-- Live SMTP sessions per user; a lease that is not released (crashed pod) expires on its own.
CREATE TABLE session_lease (
    lease_id   uuid PRIMARY KEY,
    username   text        NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX session_lease_user ON session_lease (username, expires_at);

INSERT INTO plan (name, messages_per_minute, messages_per_hour, messages_per_day,
                  recipients_per_message, recipients_per_day, concurrent_sessions)
VALUES ('default', 30, 300, 1000, 100, 2000, 10);
