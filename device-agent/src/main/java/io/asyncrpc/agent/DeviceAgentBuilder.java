package io.asyncrpc.agent;

import io.asyncrpc.agent.internal.AgentConfig;
import io.asyncrpc.agent.internal.DefaultDeviceAgent;
import io.asyncrpc.agent.internal.tls.TlsMaterial;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.protocol.ProtocolVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link DeviceAgent}; obtained from {@link DeviceAgent#builder()}.
 *
 * <p>Only {@link #deviceId(String)} is required; everything else has a default suited to a local
 * broker.
 */
public final class DeviceAgentBuilder {

  private static final Pattern METHOD_CODE = Pattern.compile(ProtocolLimits.METHOD_CODE_PATTERN);

  private @Nullable String deviceId;
  private String host = "localhost";
  private int port = -1;
  private @Nullable String username;
  private byte @Nullable [] password;
  private @Nullable KeyManagerFactory keyManagers;
  private @Nullable TrustManagerFactory trustManagers;
  private boolean tls;
  private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
  private @Nullable TaskHandler fallbackHandler;
  private AgentListener listener = new AgentListener() {};
  private Duration pollInterval = Duration.ofSeconds(30);
  private boolean acknowledgeTriggers = true;
  private Duration resultRetryInterval = Duration.ofSeconds(5);
  private Duration reconnectMin = Duration.ofMillis(500);
  private Duration reconnectMax = Duration.ofSeconds(30);
  private Duration sessionExpiry = Duration.ZERO;
  private Duration keepAlive = Duration.ofSeconds(30);
  private @Nullable Path journal;
  private int journalCapacity = 1000;
  private ProtocolVersion protocol = ProtocolVersion.V1;
  private int eventAttempts = 5;
  private int eventQueueCapacity = 100;

  DeviceAgentBuilder() {}

  /** The device id, {@code [A-Za-z0-9_-]{1,64}}: MQTT client id and topic segment (required). */
  public DeviceAgentBuilder deviceId(String deviceId) {
    this.deviceId = new DeviceId(deviceId).value();
    return this;
  }

  /**
   * The broker's host and MQTT port.
   *
   * <p>Default {@code localhost}, port 1883, or 8883 with {@link #tls}.
   */
  public DeviceAgentBuilder broker(String host, int port) {
    this.host = Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535 but was " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * A username and password login (development brokers; with mTLS the certificate's CN is the
   * username and no password is needed).
   */
  public DeviceAgentBuilder credentials(String username, String password) {
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /**
   * Connects over TLS; with {@code keyManagers} the device presents its certificate (mTLS).
   *
   * @param keyManagers the device's key and certificate, or {@code null} for server-only TLS
   * @param trustManagers the CA certificates the broker's certificate must chain to, or {@code
   *     null} for the JVM's default trust store
   */
  public DeviceAgentBuilder tls(
      @Nullable KeyManagerFactory keyManagers, @Nullable TrustManagerFactory trustManagers) {
    this.tls = true;
    this.keyManagers = keyManagers;
    this.trustManagers = trustManagers;
    return this;
  }

  /**
   * Connects over mTLS with the device's certificate and key from PEM files (what {@code enroll}
   * writes), trusting the CA certificates of {@code trustBundle}. No username or password is sent:
   * the broker takes the certificate's CN as the username.
   *
   * @param certificateChain the device certificate first, optionally followed by its CA chain
   * @param privateKey the device's private key, PKCS#8 PEM (EC or RSA)
   * @param trustBundle the CA certificates the broker's certificate must chain to (PEM, e.g. the
   *     PKI's {@code trust-bundle.pem}), or {@code null} for the JVM's default trust store
   * @throws UncheckedIOException when a file cannot be read or the key does not fit
   */
  public DeviceAgentBuilder tlsFromPem(
      Path certificateChain, Path privateKey, @Nullable Path trustBundle) {
    try {
      return tls(
          TlsMaterial.keyManagers(
              Objects.requireNonNull(certificateChain, "certificateChain"),
              Objects.requireNonNull(privateKey, "privateKey")),
          trustBundle == null ? null : TlsMaterial.trustManagers(trustBundle));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * Connects over mTLS with the device's key and certificate chain from a PKCS#12 file.
   *
   * @param keyStore the PKCS#12 file
   * @param password its password (may be empty)
   * @param trustBundle the CA certificates the broker's certificate must chain to (PEM), or {@code
   *     null} for the JVM's default trust store
   * @throws UncheckedIOException when a file cannot be read or the password is wrong
   */
  public DeviceAgentBuilder tlsFromPkcs12(
      Path keyStore, char[] password, @Nullable Path trustBundle) {
    try {
      return tls(
          TlsMaterial.keyManagers(Objects.requireNonNull(keyStore, "keyStore"), password),
          trustBundle == null ? null : TlsMaterial.trustManagers(trustBundle));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Runs {@code handler} for tasks with {@code methodCode}. */
  public DeviceAgentBuilder handler(String methodCode, TaskHandler handler) {
    if (methodCode == null || !METHOD_CODE.matcher(methodCode).matches()) {
      throw new IllegalArgumentException(
          "method code must match " + ProtocolLimits.METHOD_CODE_PATTERN + ": " + methodCode);
    }
    handlers.put(methodCode, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /**
   * Runs {@code handler} for tasks with {@code methodCode}; it may report progress while it runs.
   */
  public DeviceAgentBuilder handler(String methodCode, ReportingTaskHandler handler) {
    return handler(methodCode, (TaskHandler) handler);
  }

  /**
   * Runs {@code handler} for method codes without their own handler. Without a fallback such a task
   * gets a {@code 501} result.
   */
  public DeviceAgentBuilder fallbackHandler(TaskHandler handler) {
    this.fallbackHandler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** Observes the agent's events. */
  public DeviceAgentBuilder listener(AgentListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** How often an idle agent polls for the head of its FIFO (default 30 s). */
  public DeviceAgentBuilder pollInterval(Duration pollInterval) {
    this.pollInterval = positive(pollInterval, "pollInterval");
    return this;
  }

  /**
   * Whether a trigger is acknowledged ({@code ack}, task becomes PENDING) before it is requested.
   */
  public DeviceAgentBuilder acknowledgeTriggers(boolean acknowledgeTriggers) {
    this.acknowledgeTriggers = acknowledgeTriggers;
    return this;
  }

  /**
   * How long to wait for a commit before a result is sent again, and for the answer to an event
   * before it is sent again (default 5 s).
   */
  public DeviceAgentBuilder resultRetryInterval(Duration resultRetryInterval) {
    this.resultRetryInterval = positive(resultRetryInterval, "resultRetryInterval");
    return this;
  }

  /** The first and the longest delay between reconnect attempts (default 0.5 s and 30 s). */
  public DeviceAgentBuilder reconnectBackoff(Duration min, Duration max) {
    positive(min, "min");
    positive(max, "max");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("reconnect backoff max " + max + " is below min " + min);
    }
    this.reconnectMin = min;
    this.reconnectMax = max;
    return this;
  }

  /**
   * The MQTT session expiry (default zero: a clean session each time, so messages published while
   * the device is offline wait in the core's FIFO, not in the broker). Above zero the session and
   * its queued triggers survive that long while the device is offline.
   */
  public DeviceAgentBuilder sessionExpiry(Duration sessionExpiry) {
    if (sessionExpiry == null || sessionExpiry.isNegative()) {
      throw new IllegalArgumentException("sessionExpiry must not be negative");
    }
    this.sessionExpiry = sessionExpiry;
    return this;
  }

  /** The MQTT keep-alive: how soon a silent dead connection is noticed (default 30 s). */
  public DeviceAgentBuilder keepAlive(Duration keepAlive) {
    this.keepAlive = positive(keepAlive, "keepAlive");
    return this;
  }

  /**
   * Persists finished task ids and their results to {@code file}, so that after a restart a task is
   * not run twice and an uncommitted result is sent again. Without it the journal is in memory
   * only.
   */
  public DeviceAgentBuilder journal(Path file) {
    this.journal = Objects.requireNonNull(file, "file");
    return this;
  }

  /** How many finished tasks the journal remembers (default 1000). */
  public DeviceAgentBuilder journalCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("journal capacity must be positive");
    }
    this.journalCapacity = capacity;
    return this;
  }

  /**
   * The protocol version the agent speaks (default {@link ProtocolVersion#V1}, what every core
   * understands). With {@link ProtocolVersion#V2} the agent declares it on its requests and
   * results, runs tasks the core pushes, and runs the next task a commit carries instead of polling
   * for it; it still polls after connecting and every {@link #pollInterval}.
   */
  public DeviceAgentBuilder protocol(ProtocolVersion protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    return this;
  }

  /**
   * How many times an unanswered event is sent, the first time included, before its future
   * completes with {@link EventOutcome.Status#UNANSWERED} (default 5; sends are {@link
   * #resultRetryInterval} apart).
   */
  public DeviceAgentBuilder eventAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("event attempts must be positive");
    }
    this.eventAttempts = attempts;
    return this;
  }

  /**
   * How many events may wait at once, unsent (the agent is offline) or unanswered (default 100); a
   * {@link DeviceAgent#publishEvent} beyond that fails at once.
   */
  public DeviceAgentBuilder eventQueueCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("event queue capacity must be positive");
    }
    this.eventQueueCapacity = capacity;
    return this;
  }

  /**
   * Builds the agent; it does nothing until {@link DeviceAgent#start()}.
   *
   * @throws IllegalStateException when no device id was given
   */
  public DeviceAgent build() {
    if (deviceId == null) {
      throw new IllegalStateException("a device id is required");
    }
    int effectivePort = port > 0 ? port : (tls ? 8883 : 1883);
    AgentConfig config =
        new AgentConfig(
            new DeviceId(deviceId),
            host,
            effectivePort,
            username,
            password == null ? null : password.clone(),
            tls,
            keyManagers,
            trustManagers,
            Map.copyOf(handlers),
            fallbackHandler,
            listener,
            pollInterval,
            acknowledgeTriggers,
            resultRetryInterval,
            reconnectMin,
            reconnectMax,
            sessionExpiry,
            keepAlive,
            journal,
            journalCapacity,
            protocol,
            eventAttempts,
            eventQueueCapacity);
    return new DefaultDeviceAgent(config);
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }
}
