package dev.kanmon.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.Ret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    static final Capabilities FULL = new Capabilities(true, true, true, 1000, true, true, true, false, Set.of());

    @Test
    void dotStuffsNormalisesLineEndsAndTerminates() {
        String out = DotStuffing.encode(".a\r\nb\n..c\r\nlast".getBytes(StandardCharsets.US_ASCII)).toString(StandardCharsets.US_ASCII);
        assertThat(out).isEqualTo("..a\r\nb\r\n...c\r\nlast\r\n.\r\n");
        assertThat(DotStuffing.encode("x\r\n".getBytes(StandardCharsets.US_ASCII)).toString(StandardCharsets.US_ASCII))
                .isEqualTo("x\r\n.\r\n");
        assertThat(DotStuffing.encode(new byte[0]).toString(StandardCharsets.US_ASCII)).isEqualTo(".\r\n");
        assertThat(DotStuffing.encode("\n.\n.".getBytes(StandardCharsets.US_ASCII)).toString(StandardCharsets.US_ASCII))
                .isEqualTo("\r\n..\r\n..\r\n.\r\n");
    }

    /** The bulk-copying encoder against the rules applied byte by byte, on random text rich in dots and line ends. */
    @Test
    void dotStuffingMatchesTheByteByByteRules() {
        java.util.Random random = new java.util.Random(7);
        byte[] alphabet = {'.', '\r', '\n', 'a', ' '};
        for (int n = 0; n < 2000; n++) {
            byte[] message = new byte[random.nextInt(40)];
            for (int i = 0; i < message.length; i++) {
                message[i] = alphabet[random.nextInt(alphabet.length)];
            }
            StringBuilder expected = new StringBuilder();
            boolean lineStart = true;
            for (int i = 0; i < message.length; i++) {
                char c = (char) message[i];
                if (lineStart && c == '.') {
                    expected.append('.');
                }
                if (c == '\n' && (i == 0 || message[i - 1] != '\r')) {
                    expected.append('\r');
                }
                expected.append(c);
                lineStart = c == '\n';
            }
            expected.append(lineStart ? "" : "\r\n").append(".\r\n");
            assertThat(DotStuffing.encode(message).toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        }
    }

    @Test
    void mailAndRcptCarryTheParametersThePeerOffers() {
        DeliveryRecipient rcpt = new DeliveryRecipient(1,
                new EnvelopeRecipient("u@d.test", Set.of(Notify.FAILURE, Notify.SUCCESS), "rfc822;u@d.test"));
        DeliveryRequest request = new DeliveryRequest("d", "q", "s@x.test", "d.test", List.of(rcpt), BodyType.EIGHT_BIT_MIME,
                true, "id=1", Ret.FULL, 1, 500);
        assertThat(MailCommands.mailFrom(request, FULL, 500))
                .isEqualTo("MAIL FROM:<s@x.test> SIZE=500 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=id+3D1");
        assertThat(MailCommands.rcptTo(rcpt, FULL)).isEqualTo("RCPT TO:<u@d.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@d.test");
        assertThat(MailCommands.mailFrom(request, Capabilities.HELO, 500)).isEqualTo("MAIL FROM:<s@x.test>");
        assertThat(MailCommands.rcptTo(rcpt, Capabilities.HELO)).isEqualTo("RCPT TO:<u@d.test>");
        DeliveryRequest bounce = new DeliveryRequest("d", "q", "", "d.test", List.of(rcpt), null, false, null, null, 1, 10);
        assertThat(MailCommands.mailFrom(bounce, FULL, 10)).isEqualTo("MAIL FROM:<> SIZE=10");
    }

    @Test
    void sessionStatesAllowOnlyProtocolOrder() {
        assertThat(SessionState.GREETING.canEnter(SessionState.HELLO)).isTrue();
        assertThat(SessionState.GREETING.canEnter(SessionState.MAIL)).isFalse();
        assertThat(SessionState.READY.canEnter(SessionState.DATA)).isFalse();
        assertThat(SessionState.RCPT.canEnter(SessionState.DATA)).isTrue();
        assertThat(SessionState.BODY.canEnter(SessionState.READY)).isTrue();
        assertThat(SessionState.MAIL.canEnter(SessionState.QUIT)).isTrue();
    }
}
