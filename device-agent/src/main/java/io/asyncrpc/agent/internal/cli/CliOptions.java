package io.asyncrpc.agent.internal.cli;

import io.asyncrpc.agent.internal.discovery.BrokerDiscovery;
import io.asyncrpc.protocol.ProtocolVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The CLI's settings, from arguments first, then {@code IOTCORE_*} environment variables, then
 * defaults.
 *
 * @param deviceId the device id ({@code null} only with {@code help})
 * @param host broker host, or {@code null} to discover the broker with mDNS
 * @param port broker MQTT port, or 0 to take the discovered one
 * @param username login, or {@code null}
 * @param password password, or {@code null}
 * @param pollInterval poll period while idle ({@code null} only with {@code help})
 * @param resultRetryInterval resend period of an uncommitted result ({@code null} only with {@code
 *     help})
 * @param sessionExpiry MQTT session expiry ({@code null} only with {@code help})
 * @param journal journal file, or {@code null}
 * @param acknowledgeTriggers whether triggers are acknowledged
 * @param protocol the protocol version the device speaks
 * @param tls the TLS settings, or {@code null} for plain MQTT
 * @param discovery how to find the broker when no host is given, or {@code null} with a host
 * @param help whether only the usage was asked for
 */
record CliOptions(
    @Nullable String deviceId,
    @Nullable String host,
    int port,
    @Nullable String username,
    @Nullable String password,
    @Nullable Duration pollInterval,
    @Nullable Duration resultRetryInterval,
    @Nullable Duration sessionExpiry,
    @Nullable Path journal,
    boolean acknowledgeTriggers,
    ProtocolVersion protocol,
    @Nullable Tls tls,
    @Nullable Discovery discovery,
    boolean help) {

  /**
   * How the CLI finds the broker when no host is given: an mDNS/DNS-SD browse.
   *
   * @param serviceType {@code _secure-mqtt._tcp.local.} with TLS, else {@code _mqtt._tcp.local.}
   * @param timeout how long to wait for an answer
   * @param address the local address whose interface is browsed, or {@code null} for the default
   */
  record Discovery(String serviceType, Duration timeout, @Nullable String address) {}

  /** These options with the broker that discovery found; an explicit port still wins. */
  CliOptions withBroker(String discoveredHost, int discoveredPort) {
    return new CliOptions(
        deviceId,
        discoveredHost,
        port > 0 ? port : discoveredPort,
        username,
        password,
        pollInterval,
        resultRetryInterval,
        sessionExpiry,
        journal,
        acknowledgeTriggers,
        protocol,
        tls,
        null,
        help);
  }

  /**
   * How the CLI connects over TLS.
   *
   * @param certificate the device certificate (chain) PEM file, or {@code null}
   * @param key the device's private key PEM file, or {@code null}
   * @param pkcs12 a PKCS#12 file with key and chain instead of the PEM files, or {@code null}
   * @param pkcs12Password its password
   * @param ca the trusted CA certificates (PEM), or {@code null} for the JVM's default
   */
  record Tls(
      @Nullable Path certificate,
      @Nullable Path key,
      @Nullable Path pkcs12,
      String pkcs12Password,
      @Nullable Path ca) {}

  static final String USAGE =
      """
      Usage: java -jar device-agent-cli.jar --device-id ID [options]

      Runs a device of the IoT Async-RPC Core: receives tasks over MQTT 5, runs a built-in demo
      handler and sends the result until the core commits it. Prints one line per task event.

      Options (environment variable in brackets):
        --device-id ID          device id = MQTT client id, [A-Za-z0-9_-]{1,64} (IOTCORE_DEVICE_ID)
        --host HOST             broker host (IOTCORE_MQTT_HOST); without it the broker is
                                found with mDNS: _secure-mqtt._tcp with TLS, else _mqtt._tcp
        --port PORT             broker MQTT port, default 1883 (IOTCORE_MQTT_PORT),
                                with TLS 8884 (IOTCORE_MQTT_TLS_PORT); without --host the
                                announced port unless --port is given
        --discovery-timeout DUR how long to look for the broker with mDNS, default 5s
                                (IOTCORE_DISCOVERY_TIMEOUT)
        --mdns-address IP       browse on the interface of this local address
                                (IOTCORE_MDNS_ADDRESS); default: chosen by the system
        --username USER         MQTT username (IOTCORE_MQTT_USERNAME)
        --password PASSWORD     MQTT password (IOTCORE_MQTT_PASSWORD)
        --tls                   connect over TLS (implied by --cert and --pkcs12)
        --cert FILE             device certificate (chain), PEM: mTLS login, the certificate's
                                CN is the username (IOTCORE_TLS_CERT)
        --key FILE              the device's private key, PKCS#8 PEM, EC or RSA (IOTCORE_TLS_KEY)
        --pkcs12 FILE           key and certificate chain in a PKCS#12 file instead
        --pkcs12-password PW    its password (IOTCORE_TLS_PKCS12_PASSWORD)
        --ca FILE               CA certificates to trust, PEM, e.g. the PKI's trust-bundle.pem;
                                default: the JVM's trust store (IOTCORE_TLS_CA)
        --poll-interval DUR     poll period while idle, default 30s (IOTCORE_POLL_INTERVAL)
        --result-retry DUR      resend an uncommitted result after, default 5s
        --session-expiry DUR    MQTT session expiry, default 0 (clean session)
        --journal FILE          remember finished tasks across restarts (IOTCORE_JOURNAL)
        --no-ack                do not acknowledge triggers
        --protocol 1|2          device protocol version, default 1 (IOTCORE_PROTOCOL); 2 runs
                                the tasks the core pushes and the next task of each commit
        --help                  show this help

      Enrollment (get a certificate from ca-service; the key is made here and never leaves):
        java -jar device-agent-cli.jar enroll --device-id ID --token TOKEN \\
            --ca-url http://127.0.0.1:8082 --out DIR
        writes DIR/device.key (owner-only), DIR/device.pem, DIR/chain.pem; then run with
            --cert DIR/device.pem --key DIR/device.key --ca DIR/chain.pem

      Device event (connect, publish one event, print the core's answer, exit):
        java -jar device-agent-cli.jar event --device-id ID --type 13 --id 4711 \\
            [--payload '{"101": 4711, "200": 13, "300": []}'] [--timestamp T] <options above>
        see java -jar device-agent-cli.jar event --help

      Every option with a value may also be given as --option=value.
      Durations: 500ms, 5s, 2m, 1h, a number of seconds, or ISO-8601 (PT5S).

      Demo method codes:
        echo    the result is the payload
        sleep   {"ms": N}: sleeps N ms, then {"slept_ms": N}
        fail    status 500 with the payload as the error document
        sum     {"values": [1, 2.5]}: {"sum": 3.5}
        progress {"steps": N, "step_ms": M}: reports the percent done after each step
        other   status 501 {"error": "unknown method_code ..."}
      """;

  /**
   * Parses {@code args} with {@code env} as the fallback.
   *
   * @throws IllegalArgumentException with a message fit for the user
   */
  static CliOptions parse(String[] args, Function<String, @Nullable String> env) {
    String deviceId = env.apply("IOTCORE_DEVICE_ID");
    String host = env.apply("IOTCORE_MQTT_HOST");
    String discoveryTimeout = orDefault(env.apply("IOTCORE_DISCOVERY_TIMEOUT"), "5s");
    String mdnsAddress = env.apply("IOTCORE_MDNS_ADDRESS");
    String port = orDefault(env.apply("IOTCORE_MQTT_PORT"), "1883");
    String username = env.apply("IOTCORE_MQTT_USERNAME");
    String password = env.apply("IOTCORE_MQTT_PASSWORD");
    String pollInterval = orDefault(env.apply("IOTCORE_POLL_INTERVAL"), "30s");
    String resultRetry = "5s";
    String sessionExpiry = "0";
    String journal = env.apply("IOTCORE_JOURNAL");
    String explicitPort = null;
    String certificate = env.apply("IOTCORE_TLS_CERT");
    String key = env.apply("IOTCORE_TLS_KEY");
    String pkcs12 = null;
    String pkcs12Password = env.apply("IOTCORE_TLS_PKCS12_PASSWORD");
    String ca = env.apply("IOTCORE_TLS_CA");
    boolean tls = false;
    boolean acknowledge = true;
    String protocol = orDefault(env.apply("IOTCORE_PROTOCOL"), "1");
    Arguments arguments = new Arguments(args);
    while (arguments.next()) {
      String option = arguments.option();
      switch (option) {
        case "--help", "-h" -> {
          arguments.flag();
          return new CliOptions(
              null,
              null,
              0,
              null,
              null,
              null,
              null,
              null,
              null,
              acknowledge,
              ProtocolVersion.V1,
              null,
              null,
              true);
        }
        case "--no-ack" -> {
          arguments.flag();
          acknowledge = false;
        }
        case "--tls" -> {
          arguments.flag();
          tls = true;
        }
        case "--device-id" -> deviceId = arguments.value();
        case "--host" -> host = arguments.value();
        case "--discovery-timeout" -> discoveryTimeout = arguments.value();
        case "--mdns-address" -> mdnsAddress = arguments.value();
        case "--port" -> explicitPort = arguments.value();
        case "--cert" -> certificate = arguments.value();
        case "--key" -> key = arguments.value();
        case "--pkcs12" -> pkcs12 = arguments.value();
        case "--pkcs12-password" -> pkcs12Password = arguments.value();
        case "--ca" -> ca = arguments.value();
        case "--username" -> username = arguments.value();
        case "--password" -> password = arguments.value();
        case "--poll-interval" -> pollInterval = arguments.value();
        case "--result-retry" -> resultRetry = arguments.value();
        case "--session-expiry" -> sessionExpiry = arguments.value();
        case "--journal" -> journal = arguments.value();
        case "--protocol" -> protocol = arguments.value();
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("--device-id (or IOTCORE_DEVICE_ID) is required");
    }
    if (username == null != (password == null)) {
      throw new IllegalArgumentException("give both --username and --password, or neither");
    }
    Tls tlsOptions = null;
    if (tls || !blank(certificate) || !blank(key) || pkcs12 != null) {
      tlsOptions = tls(certificate, key, pkcs12, pkcs12Password, ca);
      port = orDefault(env.apply("IOTCORE_MQTT_TLS_PORT"), "8884");
    }
    Discovery discovery = null;
    int brokerPort;
    if (blank(host)) {
      host = null;
      discovery =
          new Discovery(
              BrokerDiscovery.serviceType(tlsOptions != null),
              duration(discoveryTimeout, "--discovery-timeout"),
              blank(mdnsAddress) ? null : mdnsAddress);
      brokerPort = explicitPort != null ? port(explicitPort) : 0;
    } else {
      brokerPort = port(explicitPort != null ? explicitPort : port);
    }
    return new CliOptions(
        deviceId,
        host,
        brokerPort,
        username,
        password,
        duration(pollInterval, "--poll-interval"),
        duration(resultRetry, "--result-retry"),
        duration(sessionExpiry, "--session-expiry"),
        journal == null || journal.isBlank() ? null : Path.of(journal),
        acknowledge,
        protocol(protocol),
        tlsOptions,
        discovery,
        false);
  }

  private static Tls tls(
      @Nullable String certificate,
      @Nullable String key,
      @Nullable String pkcs12,
      @Nullable String pkcs12Password,
      @Nullable String ca) {
    if (pkcs12 != null && (!blank(certificate) || !blank(key))) {
      throw new IllegalArgumentException("give --pkcs12 or --cert and --key, not both");
    }
    if (blank(certificate) != blank(key)) {
      throw new IllegalArgumentException("give both --cert and --key, or neither");
    }
    return new Tls(
        path(certificate),
        path(key),
        path(pkcs12),
        pkcs12Password == null ? "" : pkcs12Password,
        path(ca));
  }

  private static @Nullable Path path(@Nullable String value) {
    return blank(value) ? null : Path.of(value);
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  /** Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, plain seconds or ISO-8601. */
  static Duration duration(String text, String option) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      Map<String, Function<Long, Duration>> units =
          Map.of(
              "ms", Duration::ofMillis,
              "s", Duration::ofSeconds,
              "m", Duration::ofMinutes,
              "h", Duration::ofHours);
      for (String unit : new String[] {"ms", "s", "m", "h"}) {
        if (value.endsWith(unit)) {
          return Objects.requireNonNull(units.get(unit), "a function for every unit listed")
              .apply(Long.parseLong(value.substring(0, value.length() - unit.length())));
        }
      }
      return Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(option + ": not a duration: " + text);
    }
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port: not a port: " + text);
  }

  private static ProtocolVersion protocol(String text) {
    try {
      Optional<ProtocolVersion> version = ProtocolVersion.of(Integer.parseInt(text.trim()));
      if (version.isPresent()) {
        return version.get();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--protocol: 1 or 2, not " + text);
  }

  private static String orDefault(@Nullable String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
