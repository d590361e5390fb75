package dev.kanmon.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.Ret;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MAIL and RCPT parameters become values, or the reply that names the bad one. */
class EsmtpParameterValuesTest {

    private static List<EsmtpParameter> params(String line) throws SmtpSyntaxException {
        return EsmtpParameters.parse(" " + line, 0, true);
    }

    private static String refusal(ThrowingParse parse) {
        try {
            parse.run();
        } catch (EsmtpParameterException e) {
            return e.reply().toString();
        } catch (SmtpSyntaxException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted");
    }

    interface ThrowingParse {
        void run() throws EsmtpParameterException, SmtpSyntaxException;
    }

    @Test
    void mailParametersAsValues() throws Exception {
        assertThat(MailParameters.parse(List.of()))
                .isEqualTo(new MailParameters(-1, BodyType.SEVEN_BIT, false, null, null));
        assertThat(MailParameters.parse(params("SIZE=10 BODY=8bitmime SMTPUTF8 RET=hdrs ENVID=a+2Bb AUTH=<>")))
                .isEqualTo(new MailParameters(10, BodyType.EIGHT_BIT_MIME, true, Ret.HDRS, "a+b"));
        assertThat(MailParameters.parse(params("BODY=BINARYMIME")).body()).isEqualTo(BodyType.BINARY_MIME);
    }

    @Test
    void badMailParametersAreNamed() {
        assertThat(refusal(() -> MailParameters.parse(params("SIZE=1x")))).isEqualTo("501 5.5.4 Bad SIZE value");
        assertThat(refusal(() -> MailParameters.parse(params("SIZE=1234567890123456789"))))
                .isEqualTo("501 5.5.4 Bad SIZE value");
        assertThat(refusal(() -> MailParameters.parse(params("BODY=9BIT")))).isEqualTo("501 5.5.4 Bad BODY value");
        assertThat(refusal(() -> MailParameters.parse(params("SMTPUTF8=1"))))
                .isEqualTo("501 5.5.4 SMTPUTF8 takes no value");
        assertThat(refusal(() -> MailParameters.parse(params("RET=ALL")))).isEqualTo("501 5.5.4 Bad RET value");
        assertThat(refusal(() -> MailParameters.parse(params("ENVID=a+2")))).isEqualTo("501 5.5.4 Bad ENVID value");
        assertThat(refusal(() -> MailParameters.parse(params("ENVID=" + "x".repeat(101)))))
                .isEqualTo("501 5.5.4 Bad ENVID value");
        assertThat(refusal(() -> MailParameters.parse(params("AUTH")))).isEqualTo("501 5.5.4 Bad AUTH value");
        assertThat(refusal(() -> MailParameters.parse(params("XCLIENT=1"))))
                .isEqualTo("555 5.5.4 Unsupported option: XCLIENT");
    }

    @Test
    void rcptParametersAsValues() throws Exception {
        assertThat(RcptParameters.parse(List.of())).isEqualTo(new RcptParameters(Set.of(), null));
        assertThat(RcptParameters.parse(params("NOTIFY=delay,FAILURE ORCPT=rfc822;a+40b.test")))
                .isEqualTo(new RcptParameters(Set.of(Notify.DELAY, Notify.FAILURE), "rfc822;a+40b.test"));
        assertThat(RcptParameters.parse(params("NOTIFY=NEVER")).notifications()).containsExactly(Notify.NEVER);
    }

    @Test
    void badRcptParametersAreNamed() {
        for (String bad : List.of("NOTIFY", "NOTIFY=NEVER,DELAY", "NOTIFY=SUCCESS,SUCCESS", "NOTIFY=SOMETIMES")) {
            assertThat(refusal(() -> RcptParameters.parse(params(bad)))).as(bad)
                    .isEqualTo("501 5.5.4 Bad NOTIFY value");
        }
        for (String bad : List.of("ORCPT", "ORCPT=rfc822", "ORCPT=;a@b", "ORCPT=rfc822;", "ORCPT=rfc822;a+4")) {
            assertThat(refusal(() -> RcptParameters.parse(params(bad)))).as(bad)
                    .isEqualTo("501 5.5.4 Bad ORCPT value");
        }
        assertThat(refusal(() -> RcptParameters.parse(params("SIZE=1")))).isEqualTo("555 5.5.4 Unsupported option: SIZE");
    }
}
