package dev.kanmon.delivery.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderQueuesTest {

    @Test
    void servesSendersInTurnOneMessageEach() {
        SenderQueues<String> q = new SenderQueues<>();
        for (int i = 1; i <= 5; i++) {
            q.add("flood", "F" + i);
        }
        q.add("few", "A1");
        q.add("few", "A2");
        q.add("one", "B1");
        List<String> order = new ArrayList<>();
        while (!q.isEmpty()) {
            order.add(q.next());
        }
        // each sender in its own arrival order; the flood gets one turn per round like everyone else
        assertThat(order).containsExactly("F1", "A1", "B1", "F2", "A2", "F3", "F4", "F5");
        assertThat(q.next()).isNull();
    }

    @Test
    void aSenderComingBackQueuesBehindThoseWaiting() {
        SenderQueues<String> q = new SenderQueues<>();
        q.add("a", "a1");
        q.add("b", "b1");
        assertThat(q.next()).isEqualTo("a1");
        q.add("a", "a2");
        assertThat(q.next()).isEqualTo("b1");
        assertThat(q.next()).isEqualTo("a2");
    }

    @Test
    void removesMatchingItemsWhereverTheyWait() {
        SenderQueues<String> q = new SenderQueues<>();
        q.add("a", "a1-x");
        q.add("a", "a2");
        q.add("b", "b1-x");
        q.add("c", "c1");
        assertThat(q.removeIf(i -> i.endsWith("-x"))).containsExactlyInAnyOrder("a1-x", "b1-x");
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.senders()).isEqualTo(2);
        assertThat(List.of(q.next(), q.next())).containsExactly("a2", "c1");
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void dropsTheNewestOfTheLongestQueue() {
        SenderQueues<String> q = new SenderQueues<>();
        q.add("flood", "F1");
        q.add("flood", "F2");
        q.add("flood", "F3");
        q.add("few", "A1");
        assertThat(q.dropFromLongest("few")).isEqualTo("F3");
        q.add("few", "A2");
        // a tie: the sender that just added pays
        assertThat(q.dropFromLongest("few")).isEqualTo("A2");
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.senders()).isEqualTo(2);
        q.add("one", "B1");
        assertThat(q.dropFromLongest("one")).isEqualTo("F2");
        assertThat(q.dropFromLongest("one")).isEqualTo("B1"); // every queue has one: the newcomer's goes
        assertThat(q.senders()).isEqualTo(2);
        assertThat(List.of(q.next(), q.next())).containsExactly("F1", "A1");
        assertThat(q.isEmpty()).isTrue();
    }
}
