package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The TLS profile as an auditor sees it: testssl.sh (Debian package, installed by bin/kanmon-stack) against 465
 * and 587 STARTTLS, limited to protocols, the suites per protocol and renegotiation (-p -E -R) to stay short.
 * Any suite outside Mozilla's "intermediate" profile, TLS below 1.2, or client-initiated renegotiation fails it.
 */
class TlsProfileE2ETest extends E2eBase {

    /** Mozilla intermediate (v5.7): TLS 1.2 ECDHE/DHE with AEAD only, and the TLS 1.3 suites. */
    private static final Set<String> INTERMEDIATE = Set.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /** A suite line of testssl's per-protocol table ends with the IANA name. */
    private static final Pattern SUITE = Pattern.compile("^\\s*x[0-9a-f]+\\s+\\S+.*\\s(TLS_\\w+)\\s*$", Pattern.MULTILINE);

    @Test
    void implicitTlsOn465OffersOnlyTheIntermediateProfile() throws Exception {
        assertProfile(testssl(List.of(HOST + ":" + SUBMISSIONS)));
    }

    @Test
    void startTlsOn587OffersOnlyTheIntermediateProfile() throws Exception {
        assertProfile(testssl(List.of("-t", "smtp", HOST + ":" + SUBMISSION)));
    }

    private static String testssl(List<String> target) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("testssl", "--quiet", "--color", "0", "--warnings", "off",
                "--ip", "one", "-p", "-E", "-R"));
        cmd.addAll(target);
        Proc.Result r = Proc.run(cmd, null, 300);
        assertThat(r.output()).as(r.output()).contains("Done");
        return r.output();
    }

    private static void assertProfile(String report) {
        List<String> offered = new ArrayList<>();
        Matcher m = SUITE.matcher(report);
        while (m.find()) {
            offered.add(m.group(1));
        }
        assertThat(offered).as(report).isNotEmpty().allMatch(INTERMEDIATE::contains)
                .anyMatch(s -> s.startsWith("TLS_ECDHE_")).anyMatch(s -> s.startsWith("TLS_AES_"));
        assertThat(report).as(report).containsPattern("TLS 1\\s+not offered").containsPattern("TLS 1\\.1\\s+not offered")
                .containsPattern("TLS 1\\.3\\s+offered").containsPattern("SSLv3\\s+not offered")
                .containsPattern("Secure Client-Initiated Renegotiation\\s+not vulnerable");
    }
}
