package dev.kanmon.submission.smtp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.config.SubmissionConfig.AuthenticatedAction;
import dev.kanmon.submission.dnsbl.ClientScreen;
import dev.kanmon.submission.dnsbl.ScreenVerdict;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticatedScreenTest {

    private static final ScreenVerdict BLOCK = new ScreenVerdict(ScreenVerdict.Verdict.BLOCK, 9, null, List.of("bl.test"));
    private static final ScreenVerdict FLAG = new ScreenVerdict(ScreenVerdict.Verdict.FLAG, 2, null, List.of("pbl.test"));

    private static AuthenticatedScreen.Decision check(ClientScreen screen, AuthenticatedAction action) {
        return new AuthenticatedScreen(screen, action).check("192.0.2.1").result();
    }

    @Test
    void blockRefusesAListedClientWithTheVerdictsReplyOrPostfixsWording() {
        SmtpReply own = SmtpReply.of(554, "5.7.1", "listed");
        assertThat(check(ip -> Future.succeededFuture(new ScreenVerdict(ScreenVerdict.Verdict.BLOCK, 9, own,
                List.of("bl.test"))), AuthenticatedAction.BLOCK).refusal()).isEqualTo(own);
        assertThat(check(ip -> Future.succeededFuture(BLOCK), AuthenticatedAction.BLOCK).refusal())
                .isEqualTo(AuthenticatedScreen.BLOCKED);
    }

    @Test
    void flagAndIgnoreLetItStand() {
        AuthenticatedScreen.Decision flagged = check(ip -> Future.succeededFuture(BLOCK), AuthenticatedAction.FLAG);
        assertThat(flagged.refusal()).isNull();
        assertThat(flagged.flagged()).isTrue();
        assertThat(check(ip -> Future.succeededFuture(FLAG), AuthenticatedAction.BLOCK).flagged()).isTrue();
        assertThat(check(ip -> { throw new AssertionError("not asked"); }, AuthenticatedAction.IGNORE).refusal())
                .isNull();
    }

    @Test
    void withoutAnAnswerOrADnsblTheAuthStands() {
        AuthenticatedScreen.Decision d = check(ip -> Future.failedFuture("down"), AuthenticatedAction.BLOCK);
        assertThat(d.refusal()).isNull();
        assertThat(d.flagged()).isFalse();
        assertThat(check(null, AuthenticatedAction.BLOCK).refusal()).isNull();
    }
}
