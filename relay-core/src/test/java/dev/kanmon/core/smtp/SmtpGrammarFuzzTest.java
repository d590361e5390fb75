package dev.kanmon.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz tests of the RFC 5321 command-argument grammar (docs/testing.md, "Fuzzing"). Property for every target:
 * any input gives a result or {@link SmtpSyntaxException}, never another exception, in time linear in its length,
 * and without a host name lookup ({@link NoNameLookups}).
 * Beyond that each target checks what its result promises (offsets, round trips, no control characters).
 *
 * <p>Inputs: {@link FuzzedDataProvider}; flags are taken from the last byte(s), the command text is the rest
 * decoded as UTF-8, which is what {@code LineFramer} hands the command handlers (never a lone surrogate). The seed
 * files under {@code SmtpGrammarFuzzTestInputs/<method>/} are therefore "text + one flag byte".
 */
class SmtpGrammarFuzzTest {

    /** Far above what linear parsing of {@link #AMPLIFIED} characters needs; a quadratic blow-up needs far more. */
    private static final long MAX_NANOS = 2_000_000_000L;
    private static final int AMPLIFIED = 32 * 1024;

    @BeforeAll
    static void guard() {
        NoNameLookups.install();
    }

    @AfterAll
    static void unguard() {
        NoNameLookups.uninstall();
    }

    /** MAIL FROM / RCPT TO: path then ESMTP parameters, exactly as MailHandler and RcptHandler call them. */
    @FuzzTest(maxDuration = "10m")
    void pathAndParameters(FuzzedDataProvider data) throws Exception {
        int flags = data.consumeByte();
        boolean utf8 = (flags & 1) != 0;
        boolean reverse = (flags & 2) != 0;
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        String in = (flags & 4) != 0 ? amplify(text) : text;
        long start = System.nanoTime();
        PathParser.Parsed parsed;
        try {
            parsed = reverse ? PathParser.reversePath(in, 0, utf8) : PathParser.forwardPath(in, 0, utf8);
        } catch (SmtpSyntaxException e) {
            assertBounded(start, in);
            return;
        }
        assertThat(parsed.end()).isBetween(2, in.length());
        assertThat(in.charAt(0)).isEqualTo('<');
        assertThat(in.charAt(parsed.end() - 1)).isEqualTo('>');
        Path path = parsed.path();
        if (path.isNull()) {
            assertThat(reverse).as("<> only as reverse-path").isTrue();
            assertThat(parsed.end()).isEqualTo(2);
        } else {
            checkMailbox(path.mailbox(), utf8);
            for (String hop : path.route()) {
                assertThat(hop).isNotEmpty().doesNotContain("@", ",", ":", ">");
            }
            // The canonical form (what the queue record and the next hop get) names the same mailbox.
            Path again = PathParser.forwardPath("<" + path.address() + ">", 0, utf8).path();
            assertThat(again.mailbox()).isEqualTo(path.mailbox());
        }
        try {
            List<EsmtpParameter> params = EsmtpParameters.parse(in, parsed.end(), utf8);
            checkParameters(params, utf8);
        } catch (SmtpSyntaxException e) {
            // fine: malformed parameters
        }
        assertBounded(start, in);
    }

    /** The parameter list on its own, from an arbitrary offset (the parser is handed {@code Parsed.end()}). */
    @FuzzTest(maxDuration = "10m")
    void esmtpParameters(FuzzedDataProvider data) {
        boolean utf8 = data.consumeBoolean();
        boolean amplify = data.consumeBoolean();
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        String in = amplify ? amplify(text) : text;
        long start = System.nanoTime();
        try {
            List<EsmtpParameter> params = EsmtpParameters.parse(in, 0, utf8);
            checkParameters(params, utf8);
            if (!params.isEmpty()) {
                // Rendering the list again and parsing it gives the same list.
                StringBuilder sb = new StringBuilder();
                for (EsmtpParameter p : params) {
                    sb.append(' ').append(p.keyword());
                    if (p.value() != null) {
                        sb.append('=').append(p.value());
                    }
                }
                assertThat(EsmtpParameters.parse(sb, 0, utf8)).isEqualTo(params);
            }
        } catch (SmtpSyntaxException e) {
            // fine
        }
        assertBounded(start, in);
    }

    /**
     * xtext (ENVID, ORCPT, AUTH=): no information may be lost. A decoded value encodes back to the input with only
     * its needless escapes ({@code +41} for {@code A}) undone, so the ENVID passed on to the next hop is the client's.
     */
    @FuzzTest(maxDuration = "10m")
    void xtext(FuzzedDataProvider data) {
        boolean amplify = data.consumeBoolean();
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        String in = amplify ? amplify(text) : text;
        long start = System.nanoTime();
        String decoded;
        try {
            decoded = Xtext.decode(in);
        } catch (SmtpSyntaxException e) {
            assertBounded(start, in);
            return;
        }
        assertBounded(start, in);
        assertThat(Xtext.encode(decoded)).isEqualTo(canonicalXtext(in));
        try {
            assertThat(Xtext.decode(Xtext.encode(decoded))).isEqualTo(decoded);
        } catch (SmtpSyntaxException e) {
            throw new AssertionError("encode() produced invalid xtext for " + decoded, e);
        }
    }

    /** A bare mailbox, as configured addresses are parsed. */
    @FuzzTest(maxDuration = "10m")
    void mailbox(FuzzedDataProvider data) throws Exception {
        boolean utf8 = data.consumeBoolean();
        String in = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        Mailbox m;
        try {
            m = PathParser.mailbox(in, utf8);
        } catch (SmtpSyntaxException e) {
            return;
        }
        checkMailbox(m, utf8);
        assertThat(PathParser.mailbox(m.address(), utf8)).isEqualTo(m);
    }

    private static void checkMailbox(Mailbox m, boolean utf8) {
        assertThat(m.localPart()).isNotEmpty();
        assertThat(m.domain()).isNotEmpty();
        // The address goes into reply texts, Received headers and the next hop's MAIL FROM: never a control.
        String address = m.address();
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            assertThat(c < 0x20 || c == 0x7f).as("control character in %s", address).isFalse();
            if (!utf8) {
                assertThat((int) c).as("non-ASCII without SMTPUTF8 in %s", address).isLessThan(0x80);
            }
        }
        if (m.addressLiteral()) {
            assertThat(m.domain()).endsWith("]");
        }
    }

    private static void checkParameters(List<EsmtpParameter> params, boolean utf8) {
        Set<String> keywords = new HashSet<>();
        for (EsmtpParameter p : params) {
            assertThat(p.keyword()).matches("[A-Z0-9][A-Z0-9-]*");
            assertThat(keywords.add(p.keyword())).as("duplicate %s", p.keyword()).isTrue();
            if (p.value() != null) {
                assertThat(p.value()).isNotEmpty().doesNotContain("=", " ");
                for (int i = 0; i < p.value().length(); i++) {
                    char c = p.value().charAt(i);
                    assertThat(c > 32 && c != 127 && (utf8 || c < 127)).as("value char %04x", (int) c).isTrue();
                }
            }
        }
    }

    /** The xtext with every {@code +XX} that encode() would not produce replaced by its character. */
    private static String canonicalXtext(String in) {
        StringBuilder sb = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '+') {
                int octet = Integer.parseInt(in.substring(i + 1, i + 3), 16);
                if (octet >= 33 && octet <= 126 && octet != '+' && octet != '=') {
                    sb.append((char) octet);
                } else {
                    sb.append(in, i, i + 3);
                }
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The input repeated to {@link #AMPLIFIED} characters: a pathological pattern shows as a timeout then. */
    private static String amplify(String text) {
        if (text.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(AMPLIFIED + text.length());
        while (sb.length() < AMPLIFIED) {
            sb.append(text);
        }
        return sb.toString();
    }

    private static void assertBounded(long start, String in) {
        long nanos = System.nanoTime() - start;
        assertThat(nanos).as("parsing %d chars took %d ms", in.length(), nanos / 1_000_000).isLessThan(MAX_NANOS);
    }
}
