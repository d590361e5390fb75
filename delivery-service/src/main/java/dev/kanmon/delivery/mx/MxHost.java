package dev.kanmon.delivery.mx;

/**
 * One mail exchanger of a destination.
 *
 * @param name       host name without the trailing dot
 * @param preference MX preference (lower is tried first); 0 for an implicit MX
 */
public record MxHost(String name, int preference) {
}
