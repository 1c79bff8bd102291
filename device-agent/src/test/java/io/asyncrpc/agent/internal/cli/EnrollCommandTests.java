package io.asyncrpc.agent.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enroll command's argument handling; enrollment itself is tested against ca-service. */
class EnrollCommandTests {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void printsItsUsage() {
    assertThat(run(new String[] {"--help"}, Map.of())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--token", "--ca-url", "--out");
  }

  @Test
  void requiresDeviceIdAndToken() {
    assertThat(run(new String[] {"--token", "t"}, Map.of())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--device-id");
    assertThat(run(new String[] {"--device-id", "SN-1"}, Map.of())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--token");
  }

  @Test
  void acceptsOptionEqualsValueAndNamesAMissingValue() {
    Path outDir = dir.resolve("out");

    assertThat(run(new String[] {"--device-id=a.b", "--token=t", "--out=" + outDir}, Map.of()))
        .as("parsed up to the device id check")
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("needs a value");
    assertThat(run(new String[] {"--device-id", "SN-1", "--token="}, Map.of())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--token needs a value");
    assertThat(Files.exists(outDir)).isFalse();
  }

  /** Verifies that a token that looks like an option is taken whole in the --opt=value form. */
  @Test
  void aTokenBeginningWithDashesIsGivenWithEquals() {
    Path outDir = dir.resolve("out");

    assertThat(run(new String[] {"--device-id", "SN-1", "--token", "--x-y_z"}, Map.of()))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--token needs a value (one beginning with -- is given as --token=VALUE)");
    err.reset();
    assertThat(
            run(
                new String[] {"--device-id=a.b", "--token=--x-y_z", "--out", outDir.toString()},
                Map.of()))
        .as("parsed up to the device id check")
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .doesNotContain("needs a value", "unknown option")
        .contains("a.b");
    assertThat(Files.exists(outDir)).isFalse();
  }

  @Test
  void refusesAnInvalidDeviceIdBeforeMakingAnyKey() {
    Path outDir = dir.resolve("out");

    int code =
        run(
            new String[] {"--device-id", "a.b", "--token", "t", "--out", outDir.toString()},
            Map.of());

    assertThat(code).isEqualTo(2);
    assertThat(Files.exists(outDir)).isFalse();
  }

  @Test
  void writesNothingWhenTheCaCannotBeReached() {
    Path outDir = dir.resolve("out");

    // Port 9 (discard) on loopback: nothing listens there on a test machine.
    int code =
        run(
            new String[] {
              "--device-id",
              "SN-1",
              "--token",
              "t",
              "--ca-url",
              "http://127.0.0.1:9",
              "--out",
              outDir.toString()
            },
            Map.of());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("enrollment failed");
    assertThat(Files.exists(outDir.resolve("device.key"))).isFalse();
  }

  private int run(String[] args, Map<String, String> env) {
    out.reset();
    err.reset();
    return EnrollCommand.run(
        args,
        env::get,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
