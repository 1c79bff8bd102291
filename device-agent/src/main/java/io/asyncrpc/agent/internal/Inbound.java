package io.asyncrpc.agent.internal;

import io.asyncrpc.protocol.WireMessage;

/** What the MQTT connection reports to the agent, always on the agent's event thread. */
interface Inbound {

  /** Connected and subscribed to {@code srv/<SN>/+}. */
  void onConnected();

  /** The connection was lost or could not be made. */
  void onDisconnected(Throwable cause);

  /** A message arrived on {@code srv/<SN>/+}. */
  void onMessage(WireMessage message);
}
