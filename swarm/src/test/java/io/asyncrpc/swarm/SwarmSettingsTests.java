package io.asyncrpc.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.asyncrpc.protocol.ProtocolVersion;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tests for {@link SwarmSettings}. */
class SwarmSettingsTests {

  private final SwarmSettings settings = SwarmSettings.of("127.0.0.1", 1884, "sim", 10);

  @Test
  void devicesSpeakV1UnlessConfigured() {
    assertThat(IntStream.range(0, 10).mapToObj(settings::protocolOf))
        .containsOnly(ProtocolVersion.V1);
    assertThat(
            IntStream.range(0, 10).mapToObj(settings.withProtocol(ProtocolVersion.V2)::protocolOf))
        .containsOnly(ProtocolVersion.V2);
    assertThat(settings.withProtocol(ProtocolVersion.V1).v2Fraction()).isZero();
  }

  @Test
  void aMixedSwarmSpreadsItsV2DevicesEvenly() {
    SwarmSettings half = settings.withV2Fraction(0.5);
    SwarmSettings fifth = settings.withV2Fraction(0.2);

    assertThat(IntStream.range(0, 4).mapToObj(half::protocolOf))
        .containsExactly(
            ProtocolVersion.V1, ProtocolVersion.V2, ProtocolVersion.V1, ProtocolVersion.V2);
    assertThat(IntStream.range(0, 10).mapToObj(fifth::protocolOf))
        .filteredOn(v -> v == ProtocolVersion.V2)
        .hasSize(2);
  }

  @Test
  void keepsTheProtocolThroughTheOtherWithers() {
    SwarmSettings v2 =
        settings
            .withProtocol(ProtocolVersion.V2)
            .withCredentials("u", "p")
            .withAcknowledgements(true)
            .withPolling(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));

    assertThat(v2.v2Fraction()).isEqualTo(1);
  }

  @Test
  void publishesNoEventsUnlessAnEventRateIsSet() {
    assertThat(settings.eventRate()).isZero();
    SwarmSettings events =
        settings
            .withEventRate(0.5)
            .withProtocol(ProtocolVersion.V2)
            .withWork(java.time.Duration.ZERO, java.time.Duration.ZERO, 0)
            .withConnections(java.util.List.of(), 10);

    assertThat(events.eventRate()).isEqualTo(0.5);
  }

  @Test
  void refusesAnEventRateBelowZeroOrAboveTheMaximum() {
    assertThatIllegalArgumentException().isThrownBy(() -> settings.withEventRate(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> settings.withEventRate(Double.NaN));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings.withEventRate(SwarmSettings.MAX_EVENT_RATE + 1))
        .withMessageContaining("0..1000");
  }

  @Test
  void refusesAFractionOutsideZeroToOne() {
    assertThatIllegalArgumentException().isThrownBy(() -> settings.withV2Fraction(1.5));
    assertThatIllegalArgumentException().isThrownBy(() -> settings.withV2Fraction(Double.NaN));
  }
}
