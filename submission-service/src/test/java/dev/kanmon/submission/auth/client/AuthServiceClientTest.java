package dev.kanmon.submission.auth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AuthServiceClientTest {

    @Test
    void mapsTheContractExamples() {
        AuthResult ok = AuthServiceClient.toResult(new JsonObject(
                "{\"outcome\":\"SUCCESS\",\"user\":\"alice\",\"addresses\":[\"alice@example.test\",\"a.test@example.test\"],\"reply\":null}"));
        assertThat(ok.success()).isTrue();
        assertThat(ok.addresses()).containsExactly("alice@example.test", "a.test@example.test");

        AuthResult bad = AuthServiceClient.toResult(new JsonObject(
                "{\"outcome\":\"FAILURE\",\"user\":null,\"addresses\":[],\"reply\":{\"code\":535,\"enhanced\":\"5.7.8\",\"text\":\"Authentication credentials invalid\"}}"));
        assertThat(bad.reply().toString()).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThat(bad.outcome()).isEqualTo(AuthResult.Outcome.FAILURE);
    }
}
