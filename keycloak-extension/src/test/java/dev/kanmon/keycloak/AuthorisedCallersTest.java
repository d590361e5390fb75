package dev.kanmon.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory of checked caller tokens: bounded by the token's expiry and by the maximum age, per realm. */
class AuthorisedCallersTest {

    private static final long NOW = 1_000_000L;

    @Test
    void aRememberedTokenIsKnownUntilItExpires() {
        AuthorisedCallers callers = new AuthorisedCallers(60_000);
        callers.remember("realm", "token", NOW + 30_000, NOW);

        assertThat(callers.known("realm", "token", NOW + 29_999)).isTrue();
        assertThat(callers.known("realm", "token", NOW + 30_000)).isFalse();
    }

    @Test
    void aLongLivedTokenIsCheckedAgainAfterTheMaximumAge() {
        AuthorisedCallers callers = new AuthorisedCallers(60_000);
        callers.remember("realm", "token", NOW + 3_600_000, NOW);

        assertThat(callers.known("realm", "token", NOW + 59_999)).isTrue();
        assertThat(callers.known("realm", "token", NOW + 60_000)).isFalse();
    }

    @Test
    void aTokenIsKnownOnlyInTheRealmThatCheckedIt() {
        AuthorisedCallers callers = new AuthorisedCallers(60_000);
        callers.remember("kanmon", "token", NOW + 30_000, NOW);

        assertThat(callers.known("other", "token", NOW)).isFalse();
        assertThat(callers.known("kanmon", "other-token", NOW)).isFalse();
        assertThat(callers.known("kanmon", null, NOW)).isFalse();
    }

    @Test
    void maximumAgeZeroRemembersNothing() {
        AuthorisedCallers callers = new AuthorisedCallers(0);
        callers.remember("realm", "token", NOW + 30_000, NOW);

        assertThat(callers.known("realm", "token", NOW)).isFalse();
    }
}
