package io.asyncrpc.core.southbound;

import io.asyncrpc.core.task.ClaimedTask;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * One message the core is about to send to a device, built by {@link DevicePublisher} and sent with
 * others in one go ({@link DevicePublisher#sendAll}).
 *
 * @param message the protocol message
 * @param kind its kind, for the metrics
 * @param expirationMillis how long it may wait in the device's queue, or 0 for no expiry
 * @param carries the task this message hands out, locked for the device, to be taken back when the
 *     broker cannot route it (v2 pushes and commits with a next task); null otherwise
 */
public record Outgoing(
    WireMessage message, MessageKind kind, long expirationMillis, @Nullable ClaimedTask carries) {

  /** The AMQP routing key on {@code amq.topic}: {@code srv.<SN>.<kind>}. */
  public String routingKey() {
    return Topic.parseMqtt(message.topic()).orElseThrow().routingKey();
  }
}
