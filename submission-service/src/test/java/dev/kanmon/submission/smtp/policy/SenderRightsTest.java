package dev.kanmon.submission.smtp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.smtp.PathParser;
import dev.kanmon.submission.auth.AuthenticatedUser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderRightsTest {

    private final AuthenticatedUser bob = new AuthenticatedUser("bob", List.of("bob@example.test", "b.o.b@Other.Test"),
            "PLAIN");

    private boolean owns(String path) throws Exception {
        return SenderRights.owns(bob, PathParser.reversePath(path, 0, true).path().mailbox());
    }

    @Test
    void ownAddressesOnlyWithTheLocalPartExactAndTheDomainInAnyCase() throws Exception {
        assertThat(owns("<bob@example.test>")).isTrue();
        assertThat(owns("<bob@EXAMPLE.TEST>")).isTrue();
        assertThat(owns("<b.o.b@other.test>")).isTrue();
        assertThat(owns("<Bob@example.test>")).isFalse();
        assertThat(owns("<alice@example.test>")).isFalse();
        assertThat(owns("<bob@example.test.evil>")).isFalse();
    }
}
