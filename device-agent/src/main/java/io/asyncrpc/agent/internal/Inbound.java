package io.asyncrpc.agent.internal;

import java.util.Map;

/** What the MQTT connection reports to the agent, always on the agent's event thread. */
interface Inbound {

  /** Connected and subscribed to {@code srv/<SN>/+}. */
  void onConnected();

  /** The connection was lost or could not be made. */
  void onDisconnected(Throwable cause);

  /** A message arrived; {@code correlationData} may be {@code null}, {@code payload} empty. */
  void onMessage(
      String topic, byte[] correlationData, Map<String, String> userProperties, byte[] payload);
}
