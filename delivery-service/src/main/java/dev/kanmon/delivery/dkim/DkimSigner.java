package dev.kanmon.delivery.dkim;

import dev.kanmon.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.exceptions.FailException;

/**
 * DKIM signing (RFC 6376, rsa-sha256, relaxed/relaxed) with Apache jDKIM for messages whose From domain is a
 * configured signing domain; the {@code DKIM-Signature} header is prepended.
 */
@ApplicationScoped
public class DkimSigner {

    private record Key(String selector, PrivateKey key) {
    }

    private final Map<String, Key> keys;
    private final List<String> headers;

    public DkimSigner(DeliveryConfig config) {
        this.keys = config.dkim().domains().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT),
                e -> new Key(e.getValue().selector(), loadKey(Path.of(e.getValue().keyPath())))));
        this.headers = config.dkim().headers().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** The message with a DKIM-Signature prepended when its From domain is a signing domain, else unchanged. */
    public byte[] sign(byte[] message) {
        if (keys.isEmpty()) {
            return message;
        }
        Optional<String> domain = MessageHeaders.parse(message).fromDomain();
        Key key = domain.map(keys::get).orElse(null);
        return key == null ? message : sign(message, domain.get(), key.selector(), key.key(), headers);
    }

    /** Signs {@code message} for {@code domain}, covering those of {@code headers} that the message has. */
    static byte[] sign(byte[] message, String domain, String selector, PrivateKey key, List<String> headers) {
        Set<String> present = MessageHeaders.parse(message).names();
        Set<String> signed = new LinkedHashSet<>();
        for (String h : headers) {
            if (present.contains(h)) {
                signed.add(h);
            }
        }
        String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + "; h=" + String.join(":", signed) + "; bh=; b=;";
        try {
            String header = new DKIMSigner(template, key).sign(new ByteArrayInputStream(message));
            byte[] prefix = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[prefix.length + message.length];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(message, 0, out, prefix.length, message.length);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (FailException e) {
            throw new IllegalStateException("DKIM signing for " + domain + " failed: " + e.getMessage(), e);
        }
    }

    static PrivateKey loadKey(Path pem) {
        try {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            if (!text.contains("BEGIN PRIVATE KEY")) {
                throw new IllegalArgumentException(pem + ": expected a PKCS#8 PEM key (BEGIN PRIVATE KEY)");
            }
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return DKIMSigner.getPrivateKey(base64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DKIM key " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid DKIM key " + pem, e);
        }
    }
}
