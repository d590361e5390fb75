package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

import java.util.concurrent.TimeUnit;

/**
 * Connect, EHLO, TLS, QUIT a few times before measuring, without AUTH (so a cold-AUTH run stays
 * cold). The first TLS handshakes of a fresh JVM take seconds (class loading, JIT); without this
 * they would be charged to whichever server is measured first.
 */
final class ClientWarmup {
    private ClientWarmup() {
    }

    static void run(Vertx vertx, NetClient client, Target target, String ehlo, int rounds) throws Exception {
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < rounds; i++) {
            chain = chain.compose(v -> SmtpConnection.open(vertx, client, target)
                    .compose(c -> c.hello(target, ehlo).transform(ar -> c.quit())));
        }
        chain.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
