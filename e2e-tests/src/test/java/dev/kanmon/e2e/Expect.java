package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

/** Assertions on the replies read from a client's transcript. */
final class Expect {

    private Expect() {
    }

    /** The transaction ended in {@code 250 2.0.0 Ok: queued as <id>}; returns the id. */
    static String queued(Proc.Result r, List<Reply> replies) {
        Optional<Reply> q = Transcripts.queued(replies);
        assertThat(q).as("a 'queued as' reply in:\n%s", r).isPresent();
        Reply reply = q.get();
        assertThat(reply.code()).as("reply %s\n%s", reply, r).isEqualTo(250);
        assertThat(reply.enhanced()).as("enhanced code of %s", reply).isEqualTo("2.0.0");
        assertThat(reply.text()).as("text of %s", reply).matches("Ok: queued as [0-9A-Za-z]+");
        assertThat(Transcripts.firstFailure(replies)).as("no 4xx/5xx reply in:\n%s", r).isEmpty();
        return reply.queueId();
    }

    /** The first failure reply has this code and enhanced code; returns it. */
    static Reply refused(Proc.Result r, List<Reply> replies, int code, String enhanced) {
        Optional<Reply> f = Transcripts.firstFailure(replies);
        assertThat(f).as("a failure reply in:\n%s", r).isPresent();
        assertThat(f.get().code()).as("first failure %s in:\n%s", f.get(), r).isEqualTo(code);
        assertThat(f.get().enhanced()).as("enhanced code of %s", f.get()).isEqualTo(enhanced);
        assertThat(Transcripts.queued(replies)).as("nothing queued").isEmpty();
        return f.get();
    }
}
