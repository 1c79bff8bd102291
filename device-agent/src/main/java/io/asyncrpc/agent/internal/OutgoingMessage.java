package io.asyncrpc.agent.internal;

import io.asyncrpc.protocol.Topic;
import java.util.Map;

/**
 * One MQTT 5 message from the device to the core, before it is handed to the MQTT client. Always
 * QoS 1.
 *
 * @param topic where it goes, for example {@code dev/SN1/res}
 * @param correlationData the task id as the 36-char text's bytes
 * @param userProperties user properties in order, values as strings
 * @param payload the payload bytes, empty for none
 */
public record OutgoingMessage(
    Topic topic, byte[] correlationData, Map<String, String> userProperties, byte[] payload) {}
