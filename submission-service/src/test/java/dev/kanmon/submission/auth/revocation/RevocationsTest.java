package dev.kanmon.submission.auth.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which identity changes end open sessions (docs/authentication.md, "Open sessions"). */
class RevocationsTest {

    @Test
    void disablingDeletingAndCredentialChangesRevoke() {
        // disabling is an ADMIN_USER_UPDATE (the record does not say which field changed)
        assertThat(Revocations.revokes("u1", "ADMIN_USER_UPDATE")).isTrue();
        assertThat(Revocations.revokes("u1", "ADMIN_USER_DELETE")).isTrue();
        // reset-password, logout
        assertThat(Revocations.revokes("u1", "ADMIN_USER_ACTION")).isTrue();
        assertThat(Revocations.revokes("u1", "RESET_PASSWORD")).isTrue();
        assertThat(Revocations.revokes("u1", "UPDATE_PASSWORD")).isTrue();
        assertThat(Revocations.revokes("u1", "UPDATE_CREDENTIAL")).isTrue();
        assertThat(Revocations.revokes("u1", "UPDATE_TOTP")).isTrue();
        assertThat(Revocations.revokes("u1", "DELETE_ACCOUNT")).isTrue();
        assertThat(Revocations.revokes("u1", "USER_DISABLED_BY_PERMANENT_LOCKOUT")).isTrue();
    }

    @Test
    void creationLoginsProfileAndGroupChangesDoNot() {
        assertThat(Revocations.revokes("u1", "ADMIN_USER_CREATE")).isFalse();
        assertThat(Revocations.revokes("u1", "LOGIN")).isFalse();
        assertThat(Revocations.revokes("u1", "UPDATE_PROFILE")).isFalse();
        assertThat(Revocations.revokes("u1", "UPDATE_EMAIL")).isFalse();
        assertThat(Revocations.revokes("u1", "REMOVE_TOTP")).isFalse();
        assertThat(Revocations.revokes("u1", "ADMIN_GROUP_MEMBERSHIP_CREATE")).isFalse();
    }

    @Test
    void realmWideKeysAndBrokenRecordsDoNot() {
        assertThat(Revocations.revokes("*", "ADMIN_USER_SESSION_DELETE")).isFalse();
        assertThat(Revocations.revokes("*", "ADMIN_USER_UPDATE")).isFalse();
        assertThat(Revocations.revokes(null, "ADMIN_USER_UPDATE")).isFalse();
        assertThat(Revocations.revokes("", "ADMIN_USER_UPDATE")).isFalse();
        assertThat(Revocations.revokes("u1", null)).isFalse();
    }

    @Test
    void changeIsReadFromTheExtensionsJson() {
        assertThat(IdentityEventConsumer.change(
                "{\"realm\":\"kanmon\",\"userId\":\"u1\",\"change\":\"ADMIN_USER_UPDATE\",\"time\":1}"))
                .isEqualTo("ADMIN_USER_UPDATE");
        assertThat(IdentityEventConsumer.change("not json")).isNull();
        assertThat(IdentityEventConsumer.change(null)).isNull();
    }
}
