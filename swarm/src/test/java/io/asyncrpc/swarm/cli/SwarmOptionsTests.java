package io.asyncrpc.swarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** Tests for {@link SwarmOptions}. */
class SwarmOptionsTests {

  @Test
  void speaksV1ByDefault() {
    assertThat(SwarmOptions.parse().settings().v2Fraction()).isZero();
  }

  @Test
  void readsTheProtocolAndTheV2Fraction() {
    assertThat(SwarmOptions.parse("--protocol", "2").settings().v2Fraction()).isEqualTo(1);
    assertThat(SwarmOptions.parse("--protocol", "1").settings().v2Fraction()).isZero();
    assertThat(SwarmOptions.parse("--v2-fraction", "0.25").settings().v2Fraction()).isEqualTo(0.25);
  }

  @Test
  void acceptsOptionEqualsValue() {
    SwarmOptions options = SwarmOptions.parse("--devices=7", "--protocol=2", "--ack", "--prefix=x");

    assertThat(options.settings().deviceIds()).hasSize(7).first().isEqualTo("x-0");
    assertThat(options.settings().v2Fraction()).isEqualTo(1);
    assertThat(options.settings().acknowledgeTriggers()).isTrue();
  }

  @Test
  void refusesBadProtocolOptions() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--protocol", "3"))
        .withMessage("--protocol: 1 or 2, not 3");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--protocol", "2", "--v2-fraction", "0.5"))
        .withMessageContaining("not both");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--v2-fraction", "2"))
        .withMessageContaining("0..1");
  }

  @Test
  void reportsProgressOnlyWhenAsked() {
    assertThat(SwarmOptions.parse().settings().progress()).isFalse();
    assertThat(SwarmOptions.parse("--progress").settings().progress()).isTrue();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--progress=yes"))
        .withMessage("--progress takes no value");
  }

  @Test
  void readsTheEventRate() {
    assertThat(SwarmOptions.parse().settings().eventRate()).isZero();
    assertThat(SwarmOptions.parse("--event-rate", "2").settings().eventRate()).isEqualTo(2);
    assertThat(SwarmOptions.parse("--event-rate=0.1").settings().eventRate()).isEqualTo(0.1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--event-rate", "fast"))
        .withMessage("--event-rate: not a number: fast");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--event-rate", "-1"))
        .withMessageContaining("event rate");
  }

  @Test
  void refusesAMissingValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--devices"))
        .withMessage("missing value for --devices");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--devices="))
        .withMessage("missing value for --devices");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--ack=yes"))
        .withMessage("--ack takes no value");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SwarmOptions.parse("--prefix", "--devices", "5"))
        .withMessage(
            "missing value for --prefix (one beginning with -- is given as --prefix=VALUE)");
    assertThat(SwarmOptions.parse("--prefix=--x", "--devices", "2").settings().deviceIds())
        .containsExactly("--x-0", "--x-1");
  }
}
