package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Size and idle limits, with small values so the tests stay quick (no timing is asserted). */
@QuarkusTest
@TestProfile(SmtpLimitsTest.SmallLimits.class)
class SmtpLimitsTest {

    public static final class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kanmon.submission.limits.max-message-size", "1000",
                    "kanmon.submission.limits.idle-timeout", "2s");
        }
    }

    @Test
    void sizeIsAdvertisedAndEnforcedAtMailDataAndBdat() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SmtpSessionTest.SMTP)) {
            c.expect("220");
            assertThat(c.send("EHLO x.test").expect("250 ")).contains("250-SIZE 1000");
            c.send("MAIL FROM:<a@example.test> SIZE=1001").expect("552 5.3.4");
            c.send("MAIL FROM:<a@example.test> SIZE=1000").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.send("DATA").expect("354");
            // The whole message is read before the verdict, so the end marker is not taken for commands.
            c.raw("Subject: big\r\n\r\n" + ("x".repeat(98) + "\r\n").repeat(30) + ".\r\n");
            c.expect("552 5.3.4");
            c.send("MAIL FROM:<a@example.test>").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.raw("BDAT 600\r\n" + "y".repeat(600)).expect("250 2.0.0 Ok: 600 octets received");
            c.raw("BDAT 600 LAST\r\n" + "z".repeat(600)).expect("552 5.3.4");
            c.send("NOOP").expect("250");
        }
    }

    @Test
    void idleSessionsAreClosedWith421() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SmtpSessionTest.SMTP)) {
            c.expect("220");
            c.send("EHLO x.test").expect("250 ");
            c.expect("421 4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
