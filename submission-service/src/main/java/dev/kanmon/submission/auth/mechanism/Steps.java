package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthResult;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Replies and conversions shared by the mechanisms. */
final class Steps {

    static final SmtpReply MALFORMED = SmtpReply.of(501, "5.5.2", "Cannot decode AUTH response");
    static final SmtpReply INVALID = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");

    private Steps() {
    }

    static Future<SaslStep> malformed() {
        return Future.succeededFuture(new SaslStep.Failure(MALFORMED));
    }

    static Future<SaslStep> challenge(byte[] data) {
        return Future.succeededFuture(new SaslStep.Challenge(data));
    }

    static Future<SaslStep> fail(SmtpReply reply) {
        return Future.succeededFuture(new SaslStep.Failure(reply));
    }

    /** SUCCESS → authenticated; FAILURE/TEMPFAIL → the auth-service's own reply. */
    static SaslStep toStep(AuthResult result, String mechanism, byte[] additionalData) {
        if (result.success()) {
            return new SaslStep.Success(new AuthenticatedUser(result.user(), result.addresses(), mechanism,
                    result.admission(), result.userId()), additionalData);
        }
        return new SaslStep.Failure(result.reply());
    }

    /** Strict UTF-8: an invalid byte sequence is a malformed response, not a replacement character. */
    static String utf8(byte[] bytes, int from, int to) throws MalformedResponseException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedResponseException("not UTF-8");
        }
    }

    static String utf8(byte[] bytes) throws MalformedResponseException {
        return utf8(bytes, 0, bytes.length);
    }
}
