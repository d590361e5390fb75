package dev.kanmon.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the server replies out of the transcripts that swaks, curl -v and our smtplib driver print. */
public final class Transcripts {

    /** swaks: {@code <-  250 ...} (plain), {@code <~  250 ...} (TLS), {@code <** 535 ...} / {@code <~* 535 ...} (errors). */
    private static final Pattern SWAKS = Pattern.compile("^<(?:-|~|\\*\\*|~\\*)\\s+(\\d{3})([ -])(.*)$");
    /** curl -v: {@code < 250 ...}. */
    private static final Pattern CURL = Pattern.compile("^< (\\d{3})([ -])(.*)$");
    /** smtplib driver (src/test/resources/smtplib_client.py): {@code S: 250 ...}. */
    private static final Pattern PY = Pattern.compile("^S: (\\d{3})([ -])(.*)$");

    private Transcripts() {
    }

    public static List<Reply> swaks(String transcript) {
        return parse(transcript, SWAKS);
    }

    public static List<Reply> curl(String transcript) {
        return parse(transcript, CURL);
    }

    public static List<Reply> python(String transcript) {
        return parse(transcript, PY);
    }

    /** The reply that ends DATA: the one carrying "queued as", or else the last reply before QUIT's 221. */
    public static Optional<Reply> queued(List<Reply> replies) {
        return replies.stream().filter(r -> r.queueId() != null).findFirst();
    }

    /** The first reply whose code is 4xx or 5xx. */
    public static Optional<Reply> firstFailure(List<Reply> replies) {
        return replies.stream().filter(r -> r.code() >= 400).findFirst();
    }

    private static List<Reply> parse(String transcript, Pattern p) {
        List<Reply> replies = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (String raw : transcript.split("\\r?\\n")) {
            Matcher m = p.matcher(raw);
            if (!m.matches()) {
                continue;
            }
            pending.add(m.group(3));
            if (m.group(2).equals(" ")) {
                replies.add(Reply.of(Integer.parseInt(m.group(1)), pending));
                pending = new ArrayList<>();
            }
        }
        return replies;
    }
}
