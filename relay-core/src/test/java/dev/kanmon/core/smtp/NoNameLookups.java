package dev.kanmon.core.smtp;

/**
 * Makes any host name lookup during a test an error. Parsing client input must never ask DNS: a lookup blocks the
 * event loop and lets the resolver decide what is valid syntax. {@code InetAddress} asks the security manager
 * {@code checkConnect(host, -1)} before every lookup of a name (never for a literal), so a security manager that
 * permits everything else catches exactly the lookups. Java 17 still allows installing one at run time; where a later
 * JDK refuses, the guard is skipped.
 */
@SuppressWarnings("removal")
final class NoNameLookups extends SecurityManager {

    private static SecurityManager previous;

    private NoNameLookups() {
    }

    static synchronized void install() {
        if (System.getSecurityManager() instanceof NoNameLookups) {
            return;
        }
        try {
            previous = System.getSecurityManager();
            System.setSecurityManager(new NoNameLookups());
        } catch (UnsupportedOperationException e) {
            // -Djava.security.manager=disallow (the default from JDK 18 on): run without the guard.
        }
    }

    static synchronized void uninstall() {
        if (System.getSecurityManager() instanceof NoNameLookups) {
            System.setSecurityManager(previous);
        }
    }

    @Override
    public void checkConnect(String host, int port) {
        if (port == -1) {
            throw new AssertionError("host name lookup of '" + host + "' while parsing");
        }
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
    }

    @Override
    public void checkPermission(java.security.Permission perm) {
        // everything else is allowed
    }

    @Override
    public void checkPermission(java.security.Permission perm, Object context) {
        // everything else is allowed
    }
}
