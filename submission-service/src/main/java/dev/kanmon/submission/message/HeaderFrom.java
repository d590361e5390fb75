package dev.kanmon.submission.message;

import dev.kanmon.core.smtp.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * The header {@code From:} policy for authenticated submissions (R3): every mailbox in every {@code From:}
 * field must be one of the user's addresses.
 */
final class HeaderFrom {

    static final SmtpReply NOT_OWNED = SmtpReply.of(550, "5.7.1", "From: header address not owned by user");

    private HeaderFrom() {
    }

    /**
     * Adds the edits the policy calls for, or throws when it rejects. A missing {@code From:} (required by
     * RFC 5322) is added with the envelope sender, as Postfix does for its own clients.
     *
     * @throws MessageRejectedException {@code 550 5.7.1} under {@link FromPolicy#REJECT}
     */
    static void enforce(FromPolicy policy, Submission s, byte[] message, HeaderBlock header, Splices edits) {
        List<String> owned = s.user().addresses();
        String sender = s.mailFrom().isEmpty() ? owned.stream().findFirst().orElse(null) : s.mailFrom();
        List<HeaderBlock.Field> froms = header.fields().stream().filter(f -> f.is("From")).toList();
        if (froms.isEmpty()) {
            if (sender != null) {
                edits.insert(header.end(), MessageFixups.field("From", sender));
            }
            return;
        }
        Set<String> mine = owned.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (froms.stream().allMatch(f -> ownedBy(f.rawValue(message), mine))) {
            return;
        }
        if (policy == FromPolicy.REJECT || sender == null) {
            throw new MessageRejectedException(NOT_OWNED, "header_from");
        }
        // The first From: becomes the sender; every original value is kept byte for byte as X-Original-From:.
        HeaderBlock.Field first = froms.get(0);
        edits.replace(first.start(), first.valueStart(),
                MessageFixups.concat(MessageFixups.field("From", sender), ascii("X-Original-From:")));
        for (HeaderBlock.Field other : froms.subList(1, froms.size())) {
            edits.replace(other.start(), other.valueStart(), ascii("X-Original-From:"));
        }
    }

    private static boolean ownedBy(byte[] rawValue, Set<String> mine) {
        String value = MimeUtil.unfold(new String(rawValue, StandardCharsets.UTF_8)).trim();
        MailboxList mailboxes = LenientAddressParser.DEFAULT.parseAddressList(value).flatten();
        return !mailboxes.isEmpty() && mailboxes.stream()
                .map(Mailbox::getAddress)
                .allMatch(a -> a != null && mine.contains(a.toLowerCase(Locale.ROOT)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
