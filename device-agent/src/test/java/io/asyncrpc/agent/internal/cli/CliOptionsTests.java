package io.asyncrpc.agent.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.asyncrpc.protocol.ProtocolVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link CliOptions}. */
class CliOptionsTests {

  @Test
  void parsesTheDocumentedOptions() {
    CliOptions options =
        CliOptions.parse(
            new String[] {
              "--device-id",
              "SN-1",
              "--host",
              "10.0.0.5",
              "--port",
              "1884",
              "--username",
              "device",
              "--password",
              "device",
              "--poll-interval",
              "5s",
              "--journal",
              "agent.jsonl",
              "--no-ack"
            },
            Map.<String, String>of()::get);

    assertThat(options.deviceId()).isEqualTo("SN-1");
    assertThat(options.host()).isEqualTo("10.0.0.5");
    assertThat(options.port()).isEqualTo(1884);
    assertThat(options.username()).isEqualTo("device");
    assertThat(options.password()).isEqualTo("device");
    assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.journal()).isEqualTo(Path.of("agent.jsonl"));
    assertThat(options.acknowledgeTriggers()).isFalse();
  }

  @Test
  void fallsBackToEnvironmentThenDefaults() {
    Map<String, String> env = Map.of("IOTCORE_DEVICE_ID", "SN-env", "IOTCORE_MQTT_PORT", "2883");

    CliOptions options = CliOptions.parse(new String[0], env::get);

    assertThat(options.deviceId()).isEqualTo("SN-env");
    assertThat(options.host()).as("no host: found with mDNS").isNull();
    assertThat(options.discovery().serviceType()).isEqualTo("_mqtt._tcp.local.");
    assertThat(options.discovery().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.resultRetryInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.acknowledgeTriggers()).isTrue();
    assertThat(options.journal()).isNull();
  }

  @Test
  void argumentsWinOverEnvironment() {
    CliOptions options =
        CliOptions.parse(
            new String[] {"--device-id", "SN-arg"}, Map.of("IOTCORE_DEVICE_ID", "SN-env")::get);

    assertThat(options.deviceId()).isEqualTo("SN-arg");
  }

  @Test
  void withoutAHostTheBrokerIsDiscoveredAndAGivenPortWins() {
    CliOptions tls =
        CliOptions.parse(
            new String[] {
              "--device-id", "SN-1", "--tls", "--discovery-timeout", "2s", "--mdns-address", "::1"
            },
            Map.<String, String>of()::get);
    CliOptions plain =
        CliOptions.parse(
            new String[] {"--device-id", "SN-1", "--port", "1884"}, Map.<String, String>of()::get);

    assertThat(tls.discovery())
        .isEqualTo(
            new CliOptions.Discovery("_secure-mqtt._tcp.local.", Duration.ofSeconds(2), "::1"));
    assertThat(tls.port()).as("taken from the announcement").isZero();
    assertThat(tls.withBroker("192.0.2.7", 8884).host()).isEqualTo("192.0.2.7");
    assertThat(tls.withBroker("192.0.2.7", 8884).port()).isEqualTo(8884);
    assertThat(tls.withBroker("192.0.2.7", 8884).discovery()).isNull();
    assertThat(plain.withBroker("192.0.2.7", 1883).port()).isEqualTo(1884);
  }

  @Test
  void aGivenHostNeedsNoDiscovery() {
    CliOptions options =
        CliOptions.parse(
            new String[] {"--device-id", "SN-1"},
            Map.of("IOTCORE_MQTT_HOST", "broker.lan", "IOTCORE_MQTT_PORT", "2883")::get);

    assertThat(options.discovery()).isNull();
    assertThat(options.host()).isEqualTo("broker.lan");
    assertThat(options.port()).isEqualTo(2883);
  }

  @Test
  void readsDurationsInSeveralForms() {
    assertThat(CliOptions.duration("500ms", "x")).isEqualTo(Duration.ofMillis(500));
    assertThat(CliOptions.duration("2m", "x")).isEqualTo(Duration.ofMinutes(2));
    assertThat(CliOptions.duration("1h", "x")).isEqualTo(Duration.ofHours(1));
    assertThat(CliOptions.duration("7", "x")).isEqualTo(Duration.ofSeconds(7));
    assertThat(CliOptions.duration("PT5S", "x")).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void refusesBadInputWithAMessage() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CliOptions.parse(new String[0], Map.<String, String>of()::get))
        .withMessageContaining("--device-id");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CliOptions.parse(new String[] {"--device-id"}, k -> null))
        .withMessageContaining("needs a value");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--port", "x"}, k -> null))
        .withMessageContaining("--port");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CliOptions.parse(new String[] {"--device-id", "a", "--bogus"}, k -> null))
        .withMessageContaining("unknown option");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CliOptions.duration("soon", "--poll-interval"))
        .withMessageContaining("--poll-interval");
  }

  @Test
  void speaksV1UnlessToldOtherwise() {
    assertThat(CliOptions.parse(new String[] {"--device-id", "a"}, k -> null).protocol())
        .isEqualTo(ProtocolVersion.V1);
    assertThat(
            CliOptions.parse(new String[] {"--device-id", "a", "--protocol", "2"}, k -> null)
                .protocol())
        .isEqualTo(ProtocolVersion.V2);
    assertThat(
            CliOptions.parse(
                    new String[] {"--device-id", "a"}, Map.of("IOTCORE_PROTOCOL", "2")::get)
                .protocol())
        .isEqualTo(ProtocolVersion.V2);
  }

  @Test
  void refusesAnUnknownProtocolVersion() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--protocol", "3"}, k -> null))
        .withMessage("--protocol: 1 or 2, not 3");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--protocol=v2"}, k -> null))
        .withMessage("--protocol: 1 or 2, not v2");
  }

  @Test
  void acceptsOptionEqualsValue() {
    CliOptions options =
        CliOptions.parse(
            new String[] {
              "--device-id=SN-1",
              "--host=10.0.0.5",
              "--port=1884",
              "--username=device",
              "--password=a=b",
              "--poll-interval=5s",
              "--protocol=2",
              "--no-ack"
            },
            k -> null);

    assertThat(options.deviceId()).isEqualTo("SN-1");
    assertThat(options.host()).isEqualTo("10.0.0.5");
    assertThat(options.port()).isEqualTo(1884);
    assertThat(options.password()).as("only the first = separates").isEqualTo("a=b");
    assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.protocol()).isEqualTo(ProtocolVersion.V2);
    assertThat(options.acknowledgeTriggers()).isFalse();
  }

  @Test
  void refusesAMissingValueInEitherForm() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CliOptions.parse(new String[] {"--device-id="}, k -> null))
        .withMessage("--device-id needs a value");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--host", "--tls"}, k -> null))
        .withMessage("--host needs a value (one beginning with -- is given as --host=VALUE)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CliOptions.parse(new String[] {"--device-id", "a", "--port"}, k -> null))
        .withMessage("--port needs a value");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--no-ack=yes"}, k -> null))
        .withMessage("--no-ack takes no value");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--bogus=1"}, k -> null))
        .withMessage("unknown option --bogus");
  }

  @Test
  void helpNeedsNothingElse() {
    assertThat(CliOptions.parse(new String[] {"--help"}, k -> null).help()).isTrue();
  }

  @Test
  void certificateFilesMeanTlsOnPort8884() {
    CliOptions options =
        CliOptions.parse(
            new String[] {
              "--device-id",
              "SN-1",
              "--host",
              "broker.lan",
              "--cert",
              "d/device.pem",
              "--key",
              "d/device.key",
              "--ca",
              "trust-bundle.pem"
            },
            Map.of("IOTCORE_MQTT_PORT", "1884")::get);

    assertThat(options.port()).isEqualTo(8884);
    assertThat(options.tls())
        .isEqualTo(
            new CliOptions.Tls(
                Path.of("d/device.pem"),
                Path.of("d/device.key"),
                null,
                "",
                Path.of("trust-bundle.pem")));
  }

  @Test
  void tlsPortComesFromTheArgumentsOrTheTlsVariable() {
    assertThat(
            CliOptions.parse(
                    new String[] {"--device-id", "a", "--tls", "--port", "9999"}, k -> null)
                .port())
        .isEqualTo(9999);
    assertThat(
            CliOptions.parse(
                    new String[] {"--device-id", "a", "--host", "h", "--pkcs12", "d.p12"},
                    Map.of("IOTCORE_MQTT_TLS_PORT", "18884", "IOTCORE_TLS_PKCS12_PASSWORD", "pw")
                        ::get)
                .port())
        .isEqualTo(18884);
    assertThat(CliOptions.parse(new String[] {"--device-id", "a"}, k -> null).tls()).isNull();
  }

  @Test
  void refusesHalfOrDoubleTlsIdentities() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> CliOptions.parse(new String[] {"--device-id", "a", "--cert", "c"}, k -> null))
        .withMessageContaining("--cert and --key");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                CliOptions.parse(
                    new String[] {"--device-id", "a", "--cert", "c", "--key", "k", "--pkcs12", "p"},
                    k -> null))
        .withMessageContaining("--pkcs12");
  }
}
