package dev.kanmon.submission.smtp;

import java.util.List;

/** Handles one SMTP verb against a session's {@link SessionContext}. Stateless; one instance serves all sessions. */
public interface CommandHandler {

    /** The verbs handled, upper case. */
    List<String> verbs();

    /**
     * @param session  the session, on its event loop
     * @param argument the text after the verb and one space, empty when none
     */
    Outcome handle(SessionContext session, String argument);

    /** Whether the command's line may exceed the command line limit up to the AUTH line limit (RFC 4954). */
    default boolean longLines() {
        return false;
    }
}
