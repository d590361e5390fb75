-- The message body is no longer copied into PostgreSQL: it stays in the Kafka record the message arrived in
-- (relay.submitted.v1, whose retention exceeds kanmon.queue.retry.max-lifetime), found again by partition and
-- offset for retries and DSNs. Rows queued before this migration have no offset and keep their message_body row.
alter table message
    add column intake_partition int,
    add column intake_offset    bigint;

-- Highest offset per partition of the submitted topic whose delivery requests Kafka has acknowledged. Recipients
-- are inserted as 'delivering' before their requests are published; a replayed record at or below this mark
-- was published already, one above it has its recipients without a result published again (docs/queue.md).
create table intake_progress (
    topic            varchar(255) not null,
    partition        int          not null,
    published_offset bigint       not null,
    primary key (topic, partition)
);
