-- Abuse automation: the hourly message limit of the subscriber's plan, from its last successful login (the auth-service
-- owns the plans), for the signal messages_vs_plan (docs/abuse.md).
alter table abuse_subscriber add column plan_messages_per_hour int;
