-- Abuse automation (docs/abuse.md): per-subscriber signals in compact counters, the score and the measures in force,
-- and the audit record of every automatic and operator action. Shared by all queue-service replicas; a subscriber's
-- evaluation locks its abuse_subscriber row, so two replicas never decide the same step twice.

-- One row per subscriber ever scored: the last assessment and the measures in force.
create table abuse_subscriber (
    username            varchar(255) primary key,
    email               varchar(512),                      -- registered address (from the last successful login)
    score               int          not null default 0,
    signals             text         not null default '{}', -- JSON: signal name -> value of the last assessment
    slowed              boolean      not null default false,
    slowed_until        timestamptz,
    held                boolean      not null default false,
    notified_at         timestamptz,
    suspended           boolean      not null default false,
    pardon_score        int          not null default 0,    -- forgiven by an operator's undo until pardon_until
    pardon_until        timestamptz,
    stuffing_failures   int          not null default 0,    -- failures before the last stuffing success
    stuffing_at         timestamptz,
    baseline_messages   double precision not null default 0, -- EWMA of messages per hour
    baseline_recipients double precision not null default 0,
    baseline_hour       timestamptz,                       -- the last hour folded into the baselines
    evaluated_at        timestamptz,
    updated_at          timestamptz  not null
);
create index abuse_subscriber_score on abuse_subscriber (score desc);
create index abuse_subscriber_held on abuse_subscriber (username) where held;

-- Client networks (/24, /48) a user logged in from; 'novel' when the user had other networks then.
create table abuse_network (
    username   varchar(255) not null,
    network    varchar(64)  not null,
    first_seen timestamptz  not null,
    last_seen  timestamptz  not null,
    novel      boolean      not null,
    primary key (username, network)
);
create index abuse_network_last_seen on abuse_network (last_seen);

-- Counters per user and slot (10 minutes by default): the window sums the last slots.
create table abuse_slot (
    username            varchar(255) not null,
    slot_start          timestamptz  not null,
    messages            bigint       not null default 0,
    recipients          bigint       not null default 0,
    login_failures      int          not null default 0,
    delivered           bigint       not null default 0,
    rejected            bigint       not null default 0,
    deferred_reputation bigint       not null default 0,
    bounced             bigint       not null default 0,
    primary key (username, slot_start)
);
create index abuse_slot_start on abuse_slot (slot_start);

-- Distinct values per user, kind ('domain', 'from_name', 'subject') and slot; names and subjects as hashes.
create table abuse_distinct (
    username   varchar(255) not null,
    kind       varchar(16)  not null,
    slot_start timestamptz  not null,
    value      varchar(255) not null,
    primary key (username, kind, slot_start, value)
);
create index abuse_distinct_start on abuse_distinct (slot_start);

-- Every automatic and operator action: who, what, on which target, why, with the state before and after.
create table audit_record (
    id          bigserial    primary key,
    at          timestamptz  not null,
    actor       varchar(255) not null,   -- 'abuse-automation' or the operator's user name
    automatic   boolean      not null,
    action      varchar(64)  not null,   -- e.g. SLOW_DOWN, HOLD, queue.release
    target_kind varchar(32)  not null,   -- 'subscriber', 'message'
    target      varchar(512) not null,
    reason      text,
    score       int,
    signals     text,                    -- JSON: signal name -> value
    before      text,                    -- JSON or text: the state before
    after       text                     -- JSON or text: the state after
);
create index audit_record_target on audit_record (target_kind, target, at);
create index audit_record_at on audit_record (at);
