-- Abuse automation: what a subscriber sent from networks new for it is counted apart (docs/abuse.md, "Scoring");
-- distinct values of that traffic are the kinds 'new_domain', 'new_from_name' and 'new_subject' of abuse_distinct.
alter table abuse_slot
    add column new_messages   bigint not null default 0,
    add column new_recipients bigint not null default 0;
