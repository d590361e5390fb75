package dev.kanmon.submission.auth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AuthServiceClientTest {

    @Test
    void mapsTheContractExamples() {
        AuthResult ok = AuthServiceClient.toResult(new JsonObject(
                "{\"outcome\":\"SUCCESS\",\"user\":\"alice\",\"addresses\":[\"alice@example.test\",\"a.test@example.test\"],\"reply\":null}"), 0);
        assertThat(ok.success()).isTrue();
        assertThat(ok.addresses()).containsExactly("alice@example.test", "a.test@example.test");

        AuthResult bad = AuthServiceClient.toResult(new JsonObject(
                "{\"outcome\":\"FAILURE\",\"user\":null,\"addresses\":[],\"reply\":{\"code\":535,\"enhanced\":\"5.7.8\",\"text\":\"Authentication credentials invalid\"}}"), 0);
        assertThat(bad.reply().toString()).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThat(bad.outcome()).isEqualTo(AuthResult.Outcome.FAILURE);
    }

    @Test
    void aSuccessCarriesTheQuotaSessionOpenedWithIt() {
        AuthResult ok = AuthServiceClient.toResult(new JsonObject("""
                {"outcome":"SUCCESS","user":"alice","addresses":["alice@example.test"],"reply":null,
                 "session":{"allowed":true,"leaseId":"6f1c7f9e-1b2a-4c3d-9e8f-0a1b2c3d4e5f","reply":null,
                            "recipientsPerMessage":50,
                            "escrow":{"seq":1,"messages":10,"recipients":20,"validMillis":5000}}}
                """), 1_000L);
        assertThat(ok.admission().allowed()).isTrue();
        assertThat(ok.admission().leaseId()).isEqualTo("6f1c7f9e-1b2a-4c3d-9e8f-0a1b2c3d4e5f");
        assertThat(ok.admission().recipientsPerMessage()).isEqualTo(50);
        assertThat(ok.admission().block().messages()).isEqualTo(10);
        assertThat(ok.admission().block().recipients()).isEqualTo(20);
        assertThat(ok.admission().block().validUntil()).isEqualTo(1_000L + 5_000_000_000L);

        AuthResult refused = AuthServiceClient.toResult(new JsonObject("""
                {"outcome":"SUCCESS","user":"alice","addresses":["alice@example.test"],"reply":null,
                 "session":{"allowed":false,"leaseId":null,"recipientsPerMessage":50,
                            "reply":{"code":535,"enhanced":"5.7.8","text":"Authentication failed: account suspended"},
                            "escrow":{"seq":0,"messages":0,"recipients":0,"validMillis":0}}}
                """), 0);
        assertThat(refused.admission().allowed()).isFalse();
        assertThat(refused.admission().reply().toString()).isEqualTo("535 5.7.8 Authentication failed: account suspended");

        AuthResult unopened = AuthServiceClient.toResult(new JsonObject(
                "{\"outcome\":\"SUCCESS\",\"user\":\"alice\",\"addresses\":[],\"reply\":null}"), 0);
        assertThat(unopened.admission()).as("the session asks the ledger itself").isNull();
    }
}
