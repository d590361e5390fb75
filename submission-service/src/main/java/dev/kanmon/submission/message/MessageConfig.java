package dev.kanmon.submission.message;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fix-ups applied to a message's header between the end of DATA and the queue. */
@ConfigMapping(prefix = "kanmon.submission.message")
public interface MessageConfig {

    /**
     * The relay's host name: the {@code by} part of {@code Received:} and the right-hand side of added
     * {@code Message-ID:}s. By default the name the SMTP greeting uses.
     */
    @WithDefault("${kanmon.submission.hostname:${HOSTNAME:localhost}}")
    String hostname();

    /** Header {@code From:} policy for authenticated submissions: {@code reject}, {@code rewrite} or {@code off}. */
    @WithDefault("rewrite")
    FromPolicy fromPolicy();

    /** Whether {@code Received:} names the authenticated user ({@code user}) or not ({@code none}). */
    @WithDefault("user")
    ReceivedAuth receivedAuth();

    /**
     * NUL octets in DATA or BDAT content: {@code reject} the message with {@code 554 5.6.0}, or {@code strip} them
     * and queue the rest [Postfix: message_reject_characters / message_strip_characters = \0]. Never forwarded.
     */
    @WithDefault("reject")
    NulPolicy nulOctets();
}
