package dev.kanmon.delivery.smtp;

import dev.kanmon.core.queue.DeliveryRequest;
import io.vertx.core.buffer.Buffer;

/**
 * A message ready for the wire.
 *
 * @param request the delivery request (envelope, DSN parameters)
 * @param stuffed the message dot-stuffed and terminated by {@code CRLF.CRLF}
 * @param size    the message size in bytes as announced with SIZE=
 */
public record OutboundMessage(DeliveryRequest request, Buffer stuffed, long size) {

    public static OutboundMessage of(DeliveryRequest request, byte[] message) {
        return new OutboundMessage(request, DotStuffing.encode(message), message.length);
    }
}
