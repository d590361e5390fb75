package dev.kanmon.submission.smtp;

import dev.kanmon.submission.auth.window.LoginWindow;
import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.config.SubmissionConfig;
import dev.kanmon.submission.dnsbl.ClientScreen;
import dev.kanmon.submission.message.MessageAcceptor;
import dev.kanmon.submission.quota.QuotaClient;
import dev.kanmon.submission.smtp.policy.AuthenticatedScreen;
import dev.kanmon.submission.smtp.policy.ProxyPolicy;
import dev.kanmon.submission.smtp.policy.RelayPolicy;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every session shares, resolved once at startup: limits, policy, collaborators and the command table.
 * Immutable, so the event loops read it without synchronisation.
 */
public final class SmtpEnvironment {

    private final String hostname;
    private final long maxMessageSize;
    private final int maxCommandLine;
    private final int maxAuthLine;
    private final int maxRecipients;
    private final int hardErrorLimit;
    private final long idleTimeoutMillis;
    private final boolean normalizeBareLineEndings;
    private final boolean tlsAvailable;
    private final boolean tlsRequiredOnSubmission;
    private final RelayPolicy relayPolicy;
    private final ProxyPolicy proxyPolicy;
    private final List<SaslMechanism> mechanisms;
    private final MessageAcceptor acceptor;
    private final ClientScreen screen;
    private final QuotaClient quota;
    private final SmtpMetrics metrics;
    private final boolean screenAtConnect;
    private final AuthenticatedScreen authenticatedScreen;
    private final Map<String, CommandHandler> commands = new HashMap<>();
    /** Set once at start-up, before any listener accepts (the rest is constructor-bound). */
    private volatile LoginWindow loginWindow;

    public SmtpEnvironment(String hostname, SubmissionConfig.Limits limits, boolean tlsAvailable,
            boolean tlsRequiredOnSubmission,
            RelayPolicy relayPolicy, ProxyPolicy proxyPolicy, List<SaslMechanism> mechanisms, MessageAcceptor acceptor, ClientScreen screen,
            QuotaClient quota, SubmissionConfig.Dnsbl dnsbl, SmtpMetrics metrics, List<CommandHandler> handlers) {
        this.hostname = hostname;
        this.maxMessageSize = limits.maxMessageSize();
        this.maxCommandLine = limits.maxCommandLine();
        this.maxAuthLine = Math.max(limits.maxAuthLine(), limits.maxCommandLine());
        this.maxRecipients = limits.maxRecipients();
        this.hardErrorLimit = limits.hardErrorLimit();
        this.idleTimeoutMillis = limits.idleTimeout().toMillis();
        this.normalizeBareLineEndings = limits.bareLineEndings() == SubmissionConfig.BareLineEndings.NORMALIZE;
        this.tlsAvailable = tlsAvailable;
        this.tlsRequiredOnSubmission = tlsRequiredOnSubmission;
        this.relayPolicy = relayPolicy;
        this.proxyPolicy = proxyPolicy;
        this.mechanisms = mechanisms.stream()
                .sorted(Comparator.comparingInt(SaslMechanism::strength).reversed()).toList();
        this.acceptor = acceptor;
        this.screen = screen;
        this.quota = quota != null && quota.enabled() ? quota : null;
        this.screenAtConnect = screen != null && dnsbl.connectCheck();
        this.authenticatedScreen = new AuthenticatedScreen(screen, dnsbl.authenticatedAction());
        this.metrics = metrics;
        for (CommandHandler h : handlers) {
            for (String verb : h.verbs()) {
                commands.put(verb, h);
            }
        }
    }

    public String hostname() {
        return hostname;
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    public int maxCommandLine() {
        return maxCommandLine;
    }

    public int maxAuthLine() {
        return maxAuthLine;
    }

    public int maxRecipients() {
        return maxRecipients;
    }

    public int hardErrorLimit() {
        return hardErrorLimit;
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public boolean normalizeBareLineEndings() {
        return normalizeBareLineEndings;
    }

    /** Whether a certificate is configured (STARTTLS can be offered). */
    public boolean tlsAvailable() {
        return tlsAvailable;
    }

    /**
     * Whether a session must run STARTTLS before AUTH and MAIL: a submission listener still in cleartext while
     * {@code tls.required-on-submission} is on (465 is never in cleartext).
     */
    public boolean startTlsRequired(ListenerKind listener, boolean tls) {
        return tlsRequiredOnSubmission && listener.submission() && !tls;
    }

    public RelayPolicy relayPolicy() {
        return relayPolicy;
    }

    /** Enabled mechanisms that may be offered now, strongest first; those that require TLS only under it. */
    public List<SaslMechanism> offeredMechanisms(boolean tls) {
        return mechanisms.stream().filter(SaslMechanism::enabled).filter(m -> tls || !m.requiresTls()).toList();
    }

    /** An enabled mechanism by name (case-insensitive), or null. */
    public SaslMechanism mechanism(String name) {
        for (SaslMechanism m : mechanisms) {
            if (m.enabled() && m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        return null;
    }

    public MessageAcceptor acceptor() {
        return acceptor;
    }

    /** The DNSBL screen, or null when no implementation is deployed. */
    public ClientScreen screen() {
        return screen;
    }

    /** Whether port 25 clients are screened before the greeting. */
    public boolean screenAtConnect() {
        return screenAtConnect;
    }

    /** What a DNSBL listing does to a successful AUTH. */
    public AuthenticatedScreen authenticatedScreen() {
        return authenticatedScreen;
    }

    public SmtpMetrics metrics() {
        return metrics;
    }

    /** Login-before-SMTP on 587, or null when it is off (docs/authentication.md). */
    public LoginWindow loginWindow() {
        return loginWindow;
    }

    /** Turns login-before-SMTP on when {@code window} is enabled; call before the listeners start. */
    public void loginWindow(LoginWindow window) {
        this.loginWindow = window != null && window.enabled() ? window : null;
    }

    public ProxyPolicy proxyPolicy() {
        return proxyPolicy;
    }

    /** The per-user quota ledger (R7), or null when throttling is off. */
    public QuotaClient quota() {
        return quota;
    }

    /** Runs one command line through its handler; unknown verbs and over-long lines are answered here. */
    Outcome dispatch(SessionContext session, String line, int octets) {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        CommandHandler handler = commands.get(verb.toUpperCase(Locale.ROOT));
        metrics.command(handler == null ? "unknown" : verb.toUpperCase(Locale.ROOT));
        if (handler == null) {
            return Outcome.reply(Replies.UNKNOWN_COMMAND);
        }
        if (octets + 2 > maxCommandLine && !handler.longLines()) {
            return Outcome.reply(Replies.LINE_TOO_LONG);
        }
        return handler.handle(session, space < 0 ? "" : line.substring(space + 1));
    }
}
