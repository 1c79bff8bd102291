/**
 * The agent's machinery: protocol state (over the protocol module's {@code DeviceCodec}), result
 * journal and the HiveMQ MQTT 5 connection; not an API, it may change without notice.
 */
@NullMarked
package io.asyncrpc.agent.internal;

import org.jspecify.annotations.NullMarked;
