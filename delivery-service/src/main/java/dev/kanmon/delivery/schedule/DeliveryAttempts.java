package dev.kanmon.delivery.schedule;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import io.vertx.core.Future;

/** What the scheduler needs of the delivery itself: start one attempt, or report a record as deferred without one. */
public interface DeliveryAttempts {

    /** One delivery attempt; never fails, every problem becomes a recipient status. */
    Future<DeliveryResult> deliver(DeliveryRequest request, byte[] message);

    /** The result of a request handed back to the queue without trying it: every recipient deferred. */
    DeliveryResult deferred(DeliveryRequest request, String enhancedCode, String text);
}
