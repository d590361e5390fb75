package dev.kanmon.auth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kanmon.auth.credential.Decision;
import dev.kanmon.auth.quota.SessionGrant;
import java.util.Base64;
import java.util.List;

/**
 * The contract's answer (docs/architecture.md): always HTTP 200 when the service could decide.
 *
 * @param serverSignature base64 SCRAM ServerSignature, present only on a SCRAM success
 * @param session         the quota session opened with a successful check, when the request asked for it and the
 *                        ledger answered (as {@code POST /internal/v1/quota/sessions} would); absent otherwise
 * @param userId          the Keycloak user id on success, when known: the key of the identity changes on
 *                        {@code relay.identity.v1}, by which the submission service ends the user's open sessions
 */
public record AuthResponse(String outcome, String user, List<String> addresses, Reply reply,
        @JsonInclude(JsonInclude.Include.NON_NULL) String serverSignature,
        @JsonInclude(JsonInclude.Include.NON_NULL) SessionGrant session,
        @JsonInclude(JsonInclude.Include.NON_NULL) String userId) {

    AuthResponse withSession(SessionGrant grant) {
        return new AuthResponse(outcome, user, addresses, reply, serverSignature, grant, userId);
    }

    static AuthResponse of(Decision d) {
        boolean ok = d.outcome() == Decision.Outcome.SUCCESS;
        return new AuthResponse(d.outcome().name(),
                ok ? d.identity().username() : null,
                ok ? d.identity().addresses() : List.of(),
                Reply.of(d.reply()),
                d.serverSignature() == null ? null : Base64.getEncoder().encodeToString(d.serverSignature()), null,
                ok ? d.identity().userId() : null);
    }
}
