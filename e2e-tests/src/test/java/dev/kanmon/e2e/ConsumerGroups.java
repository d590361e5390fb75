package dev.kanmon.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/** Kafka consumer groups of the local broker as the AdminClient describes them (membership and assignment). */
final class ConsumerGroups implements AutoCloseable {

    static final String BOOTSTRAP = "127.0.0.1:19092";

    /** One member: its id (client id + UUID), client id, and the partitions it is assigned. */
    record Member(String memberId, String clientId, Set<Integer> partitions) {
        @Override
        public String toString() {
            return memberId + " " + partitions;
        }
    }

    /** A group's state and members (only partitions of {@code topic} are listed). */
    record Group(String state, List<Member> members) {
        Set<Integer> assigned() {
            Set<Integer> all = new TreeSet<>();
            members.forEach(m -> all.addAll(m.partitions()));
            return all;
        }

        Member member(String memberId) {
            return members.stream().filter(m -> m.memberId().equals(memberId)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return state + " " + members;
        }
    }

    private final Admin admin;

    ConsumerGroups() {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    int partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic)
                .partitions().size();
    }

    Group describe(String groupId, String topic) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId)).all().get(20, TimeUnit.SECONDS)
                .get(groupId);
        List<Member> members = new ArrayList<>();
        for (MemberDescription m : d.members()) {
            Set<Integer> parts = new TreeSet<>();
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (tp.topic().equals(topic)) {
                    parts.add(tp.partition());
                }
            }
            members.add(new Member(m.consumerId(), m.clientId(), parts));
        }
        members.sort((a, b) -> a.memberId().compareTo(b.memberId()));
        return new Group(String.valueOf(d.groupState()), List.copyOf(members));
    }

    @Override
    public void close() {
        admin.close();
    }
}
