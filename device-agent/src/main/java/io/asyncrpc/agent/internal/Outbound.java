package io.asyncrpc.agent.internal;

import io.asyncrpc.protocol.WireMessage;

/** Where the agent's messages to the core go: the MQTT connection, or a test double. */
interface Outbound {

  /** Whether messages can be sent now (connected and subscribed). */
  boolean isConnected();

  /** Publishes {@code message} at QoS 1; failures are logged, never thrown. */
  void send(WireMessage message);
}
