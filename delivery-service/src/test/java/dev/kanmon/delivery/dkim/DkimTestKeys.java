package dev.kanmon.delivery.dkim;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.FailException;

/** Verifies DKIM signatures against the test key pair's public key instead of DNS. */
public final class DkimTestKeys {

    public static final Path PRIVATE_KEY = Path.of("src/test/resources/dkim/test.key");
    public static final Path PUBLIC_KEY = Path.of("src/test/resources/dkim/test.pub");

    private DkimTestKeys() {
    }

    /** The DNS TXT record a domain would publish for the test key (RFC 6376 §3.6.1). */
    public static String txtRecord() throws Exception {
        String pem = Files.readString(PUBLIC_KEY, StandardCharsets.US_ASCII);
        return "v=DKIM1; k=rsa; p=" + pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    public static boolean verify(byte[] message) throws Exception {
        String record = txtRecord();
        PublicKeyRecordRetriever dns = (method, selector, domain) -> List.of(record);
        DKIMVerifier verifier = new DKIMVerifier(dns);
        try {
            verifier.verify(new ByteArrayInputStream(message));
        } catch (FailException e) {
            return false; // jDKIM throws when no signature verifies
        }
        return verifier.hasAnyValidSignature();
    }
}
