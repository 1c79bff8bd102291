/**
 * Swarm simulator: many simulated devices in one JVM, each on its own MQTT 5 connection and each
 * speaking protocol v1 like the device agent (trigger, poll, result until commit, de-duplication).
 */
package io.asyncrpc.swarm;
