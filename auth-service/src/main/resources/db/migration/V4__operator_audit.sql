-- Every operator action of the auth-service's APIs (suspensions, plans and limits, ban lifts, app password
-- revocations): who, what, on which target, why, with the state before and after. Append-only. The same shape as the
-- queue-service's audit_record; kanmonctl and the console show both together (docs/operations.md, "Audit log").
create table operator_audit (
    id          bigserial    primary key,
    at          timestamptz  not null,
    actor       varchar(255) not null,
    action      varchar(64)  not null,   -- e.g. subscriber.suspend, ban.lift
    target_kind varchar(32)  not null,   -- subscriber, plan, ban
    target      varchar(512) not null,
    reason      text,
    before      text,
    after       text
);
create index operator_audit_at on operator_audit (at);
create index operator_audit_target on operator_audit (target_kind, target, at);
