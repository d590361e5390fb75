package dev.kanmon.dnsbl.api;

import static dev.kanmon.dnsbl.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** {@code GET /internal/v1/check} against the real rbldnsd test zones (bin/stack/rbldnsd) on 127.0.0.1:5301. */
@QuarkusTest
class CheckResourceTest {

    @Inject
    MeterRegistry registry;

    @Test
    void listedAddressIsBlockedWithTheTxtReason() {
        internal().queryParam("ip", "127.0.0.66").queryParam("port", 25).queryParam("authenticated", false)
                .get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("BLOCK"))
                .body("score", equalTo(3.0f))
                .body("listings.zone", contains("bl.test"))
                .body("listings[0].code", equalTo("127.0.0.2"))
                .body("listings[0].reason", equalTo("Listed in test DNSBL"))
                .body("reply.code", equalTo(554))
                .body("reply.enhanced", equalTo("5.7.1"))
                .body("reply.text", equalTo(
                        "Service unavailable; client [127.0.0.66] blocked using bl.test; Listed in test DNSBL"));
    }

    @Test
    void rfc5782TestEntryAddsBlAndPolicyList() {
        // 127.0.0.2 is in bl.test (127.0.0.2) and in pbl.test (127.0.0.11): 3 + 1
        internal().queryParam("ip", "127.0.0.2").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("BLOCK"))
                .body("score", equalTo(4.0f))
                .body("listings.zone", contains("bl.test", "pbl.test"))
                .body("reply.text", equalTo("Service unavailable; client [127.0.0.2] blocked using bl.test; "
                        + "Listed in test DNSBL, see http://bl.test/127.0.0.2"));
    }

    @Test
    void networkListingCarriesTheQueriedAddressInItsReason() {
        internal().queryParam("ip", "192.0.2.7").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("BLOCK"))
                .body("listings[0].reason", equalTo("Listed in test DNSBL, see http://bl.test/192.0.2.7"));
    }

    @Test
    void ipv6IsQueriedInNibbleForm() {
        internal().queryParam("ip", "2001:db8:bad::25").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("BLOCK"))
                .body("listings.zone", contains("bl.test"))
                .body("reply.text", equalTo("Service unavailable; client [2001:db8:bad::25] blocked using bl.test; "
                        + "Listed in test DNSBL (IPv6), see http://bl.test/2001:db8:bad::25"));
        internal().queryParam("ip", "2001:db8:600d::1").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("PASS"))
                .body("listings", empty());
    }

    @Test
    void allowListCancelsTheListing() {
        internal().queryParam("ip", "127.0.0.68").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("PASS"))
                .body("score", equalTo(0.0f))
                .body("listings.zone", contains("bl.test", "wl.test"))
                .body("reply", nullValue());
    }

    @Test
    void policyListOnlyFlags() {
        internal().queryParam("ip", "127.0.0.67").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("FLAG"))
                .body("score", equalTo(1.0f))
                .body("listings[0].zone", equalTo("pbl.test"))
                .body("listings[0].code", equalTo("127.0.0.10"))
                .body("reply", nullValue());
    }

    @Test
    void codesOutsideTheFilterAreNotListings() {
        for (String ip : new String[] {"127.0.0.69", "127.0.0.70"}) {
            internal().queryParam("ip", ip).get("/internal/v1/check").then().statusCode(200)
                    .body("verdict", equalTo("PASS"))
                    .body("listings", empty());
        }
    }

    @Test
    void unlistedAddressPasses() {
        // RFC 5782 §5: 127.0.0.1 must not be listed
        internal().queryParam("ip", "127.0.0.1").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("PASS"))
                .body("score", equalTo(0.0f))
                .body("listings", empty())
                .body("reply", nullValue());
    }

    @Test
    void notAnAddressIsRefused() {
        internal().queryParam("ip", "mx.example.test").get("/internal/v1/check").then().statusCode(400);
        internal().get("/internal/v1/check").then().statusCode(400);
    }

    @Test
    void secondLookupIsServedFromTheCache() {
        String ip = "192.0.2.201"; // used by no other test in this JVM, so the first lookup is a miss
        double queriesBefore = dnsQueries();
        double hitsBefore = registry.counter("kanmon.dnsbl.cache", "result", "hit").count();

        internal().queryParam("ip", ip).get("/internal/v1/check").then().statusCode(200).body("verdict", equalTo("BLOCK"));
        double queriesAfterFirst = dnsQueries();
        // A for bl.test, pbl.test and wl.test, then TXT for the listing in bl.test
        assertThat(queriesAfterFirst - queriesBefore).isEqualTo(4);

        internal().queryParam("ip", ip).get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("BLOCK"))
                .body("listings[0].reason", equalTo("Listed in test DNSBL, see http://bl.test/192.0.2.201"));
        assertThat(dnsQueries()).isEqualTo(queriesAfterFirst);
        assertThat(registry.counter("kanmon.dnsbl.cache", "result", "hit").count() - hitsBefore).isEqualTo(3);
    }

    private double dnsQueries() {
        return registry.find("kanmon.dnsbl.query").timers().stream().mapToDouble(Timer::count).sum();
    }
}
