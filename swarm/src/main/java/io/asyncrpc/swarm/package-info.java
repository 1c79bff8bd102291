/**
 * Swarm simulator: many simulated devices in one JVM, each on its own MQTT 5 connection and each
 * speaking the device protocol like the device agent (trigger, poll, result until commit,
 * de-duplication; in v2 also pushed tasks and the next task of a commit), v1 unless configured; at
 * a configured rate they also publish device events and time their answers.
 */
@NullMarked
package io.asyncrpc.swarm;

import org.jspecify.annotations.NullMarked;
