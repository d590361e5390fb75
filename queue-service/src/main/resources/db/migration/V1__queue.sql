-- Queue state owned by queue-service. One row per accepted message, one per envelope recipient,
-- one per delivery attempt result.

create table message (
    queue_id      varchar(26)  primary key,
    mail_from     varchar(512) not null,            -- '' for the null sender
    auth_user     varchar(255),
    client_ip     varchar(64),
    envid         varchar(255),
    ret           varchar(8),
    body_type     varchar(16)  not null,
    smtp_utf8     boolean      not null,
    is_dsn        boolean      not null,
    size          bigint       not null,
    received_at   timestamptz  not null,
    queued_at     timestamptz  not null,
    -- the topic the message came from: replicas sharing a schema but not topics (tests beside the
    -- running service) only ever reschedule their own messages
    intake_topic  varchar(255) not null,
    envelope_json text         not null             -- the envelope as received, for operators
);
create index message_mail_from on message (mail_from);
create index message_auth_user on message (auth_user);

-- Kept apart so that listing and state changes never load message bodies.
create table message_body (
    queue_id varchar(26) primary key references message (queue_id) on delete cascade,
    body     bytea       not null
);

create table recipient (
    id              bigserial    primary key,
    queue_id        varchar(26)  not null references message (queue_id) on delete cascade,
    position        int          not null,
    address         varchar(512) not null,
    domain          varchar(255) not null,
    notify          varchar(64)  not null,           -- comma-separated NOTIFY keywords, '' = default
    orcpt           varchar(512),
    state           varchar(16)  not null,
    attempts        int          not null default 0,  -- delivery requests published so far
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    delivery_id     varchar(26),                      -- the outstanding delivery request
    reply_code      int,
    enhanced_code   varchar(16),
    diagnostic      text,
    remote_mta      varchar(255),
    dsn_pending     varchar(16),                      -- DSN action owed to the sender (outbox)
    delay_warned    boolean      not null default false,
    updated_at      timestamptz  not null,
    unique (queue_id, position)
);
create index recipient_due on recipient (next_attempt_at) where state = 'deferred';
create index recipient_dsn_pending on recipient (queue_id) where dsn_pending is not null;
create index recipient_state on recipient (state);
create index recipient_domain on recipient (domain);

create table attempt (
    id            bigserial   primary key,
    recipient_id  bigint      not null references recipient (id) on delete cascade,
    delivery_id   varchar(26) not null,
    attempt       int         not null,
    status        varchar(16) not null,
    reply_code    int,
    enhanced_code varchar(16),
    diagnostic    text,
    remote_mta    varchar(255),
    finished_at   timestamptz not null,
    unique (recipient_id, delivery_id)               -- a redelivered result is applied once
);

-- DSNs sent per sender and window, for the backscatter rate limit.
create table dsn_quota (
    sender       varchar(512) not null,
    window_start timestamptz  not null,
    sent         int          not null,
    primary key (sender, window_start)
);
