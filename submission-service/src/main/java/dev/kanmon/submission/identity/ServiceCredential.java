package dev.kanmon.submission.identity;

import io.vertx.core.Future;
import io.vertx.ext.web.client.HttpResponse;
import java.util.function.Function;

/**
 * The {@code Authorization} header value this service presents on internal calls (docs/service-identity.md). The
 * production implementation is {@link KeycloakServiceCredential}; {@link #fixed} serves tests against fake callees.
 */
public interface ServiceCredential {

    /** The header value, {@code Bearer <token>}; completes at once while a cached token is valid. */
    Future<String> authorization();

    /** The callee answered 401 to {@code authorization}: forget it, so that the next call gets a new token. */
    void rejected(String authorization);

    /**
     * Sends {@code request} with the current header; a 401 (a token the callee no longer accepts, e.g. after a key
     * rotation) is retried once with a new token. Any other answer is returned as it is.
     */
    default <T> Future<HttpResponse<T>> send(Function<String, Future<HttpResponse<T>>> request) {
        return authorization().compose(header -> request.apply(header).compose(response -> {
            if (response.statusCode() != 401) {
                return Future.succeededFuture(response);
            }
            rejected(header);
            return authorization().compose(request::apply);
        }));
    }

    /** A constant header value (tests against fake callees). */
    static ServiceCredential fixed(String authorization) {
        return new ServiceCredential() {
            @Override
            public Future<String> authorization() {
                return Future.succeededFuture(authorization);
            }

            @Override
            public void rejected(String header) {
            }
        };
    }
}
