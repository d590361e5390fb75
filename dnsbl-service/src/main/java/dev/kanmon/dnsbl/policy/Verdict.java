package dev.kanmon.dnsbl.policy;

/** Outcome of a check: accept, accept but mark, or refuse. */
public enum Verdict {
    PASS, FLAG, BLOCK
}
