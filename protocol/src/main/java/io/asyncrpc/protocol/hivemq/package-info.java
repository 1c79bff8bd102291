/**
 * The protocol's messages on the HiveMQ MQTT 5 client, for the Java devices (the agent and the
 * swarm); the rest of the protocol module knows no MQTT client.
 */
@NullMarked
package io.asyncrpc.protocol.hivemq;

import org.jspecify.annotations.NullMarked;
