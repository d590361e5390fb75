-- Every change of the local allow/deny lists: who, which network, why (the comment), before and after. Append-only.
create table operator_audit (
    id          bigserial    primary key,
    at          timestamptz  not null,
    actor       varchar(255) not null,
    action      varchar(64)  not null,   -- dnsbl.add, dnsbl.remove
    target_kind varchar(32)  not null,   -- network
    target      varchar(512) not null,
    reason      text,
    before      text,
    after       text
);
create index operator_audit_at on operator_audit (at);
create index operator_audit_target on operator_audit (target_kind, target, at);
