package io.asyncrpc.agent.internal;

import io.asyncrpc.agent.AgentListener;
import io.asyncrpc.agent.TaskHandler;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.ProtocolVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Everything a built agent needs, validated by the builder.
 *
 * @param deviceId the device id and MQTT client id
 * @param host broker host
 * @param port broker MQTT port
 * @param username login, or {@code null}
 * @param password password bytes, or {@code null}
 * @param tls whether to connect over TLS
 * @param keyManagers the device's key material for mTLS, or {@code null}
 * @param trustManagers the trusted CAs, or {@code null} for the JVM default
 * @param handlers handler per method code
 * @param fallbackHandler handler for other method codes, or {@code null} (then 501)
 * @param listener observer of agent events
 * @param pollInterval poll period while idle
 * @param acknowledgeTriggers whether triggers are acknowledged
 * @param resultRetryInterval resend period of an uncommitted result
 * @param reconnectMin first reconnect delay
 * @param reconnectMax longest reconnect delay
 * @param sessionExpiry MQTT session expiry, zero for a clean session
 * @param keepAlive MQTT keep-alive
 * @param journal journal file, or {@code null} for memory only
 * @param journalCapacity finished tasks remembered
 * @param protocol the protocol version the agent speaks: v1, or v2 (pushed tasks, the next task in
 *     the commit)
 * @param eventAttempts sends of an unanswered event, the first included, before it is given up
 * @param eventQueueCapacity events waiting at once, unsent or unanswered
 */
public record AgentConfig(
    DeviceId deviceId,
    String host,
    int port,
    @Nullable String username,
    byte @Nullable [] password,
    boolean tls,
    @Nullable KeyManagerFactory keyManagers,
    @Nullable TrustManagerFactory trustManagers,
    Map<String, TaskHandler> handlers,
    @Nullable TaskHandler fallbackHandler,
    AgentListener listener,
    Duration pollInterval,
    boolean acknowledgeTriggers,
    Duration resultRetryInterval,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration sessionExpiry,
    Duration keepAlive,
    @Nullable Path journal,
    int journalCapacity,
    ProtocolVersion protocol,
    int eventAttempts,
    int eventQueueCapacity) {}
