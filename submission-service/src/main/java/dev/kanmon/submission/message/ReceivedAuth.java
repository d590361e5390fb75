package dev.kanmon.submission.message;

/** How much of the authenticated identity the {@code Received:} header reveals. */
public enum ReceivedAuth {
    /** Postfix style {@code (Authenticated sender: alice)}: recipients can name the subscriber to the ISP. */
    USER,
    /** Only the protocol keyword ({@code ESMTPSA}) shows that the client authenticated. */
    NONE
}
