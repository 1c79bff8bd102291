package io.asyncrpc.agent.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.asyncrpc.protocol.DeviceEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link EventCommand}'s arguments; publishing is tested by {@code AgentCliIT}. */
class EventCommandTests {

  private static final Map<String, String> NO_ENV = Map.of();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void readsTheEventAndPassesTheConnectionOptionsOn() {
    EventCommand.Options options =
        EventCommand.parse(
                new String[] {
                  "--device-id",
                  "SN-1",
                  "--type",
                  "13",
                  "--host=10.0.0.5",
                  "--id=4711",
                  "--port",
                  "1884",
                  "--payload",
                  "{\"101\":4711}",
                  "--timestamp",
                  "1764072000",
                  "--no-ack",
                  "--connect-timeout=2s"
                },
                NO_ENV::get)
            .orElseThrow();

    assertThat(options.event())
        .isEqualTo(new DeviceEvent(13, 4711, Instant.ofEpochSecond(1764072000)));
    assertThat(options.payload()).isEqualTo("{\"101\":4711}");
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.connection().deviceId()).isEqualTo("SN-1");
    assertThat(options.connection().host()).isEqualTo("10.0.0.5");
    assertThat(options.connection().port()).isEqualTo(1884);
    assertThat(options.connection().acknowledgeTriggers()).isFalse();
  }

  @Test
  void sendsNoPayloadAndTheTimeOfNowByDefault() {
    Instant before = Instant.now().minusSeconds(1);

    EventCommand.Options options =
        EventCommand.parse(
                new String[] {"--device-id", "SN-1", "--host", "h", "--type", "0", "--id", "1"},
                NO_ENV::get)
            .orElseThrow();

    assertThat(options.payload()).isNull();
    assertThat(options.event().deviceTimestamp()).isAfter(before);
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesWhatCannotBeSent() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("--device-id", "SN-1", "--host", "h", "--id", "1"))
        .withMessage("--type and --id are required");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("--device-id", "SN-1", "--host", "h", "--type", "-1", "--id", "1"))
        .withMessage("--type: a non-negative integer, not -1");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                parse(
                    "--device-id",
                    "SN-1",
                    "--host",
                    "h",
                    "--type",
                    "1",
                    "--id",
                    "1",
                    "--payload",
                    "{"))
        .withMessageStartingWith("--payload: not one JSON document");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                parse(
                    "--device-id",
                    "SN-1",
                    "--host",
                    "h",
                    "--type",
                    "1",
                    "--id",
                    "1",
                    "--timestamp",
                    "yesterday"))
        .withMessageStartingWith("--timestamp: epoch seconds or ISO-8601");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("--host", "h", "--type", "1", "--id", "1"))
        .withMessageContaining("--device-id");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> parse("--device-id", "SN-1", "--type", "1", "--id="))
        .withMessage("--id needs a value");
  }

  @Test
  void exitsWith2OnBadArgumentsAnd0ForItsUsage() throws Exception {
    assertThat(run("--device-id", "SN-1", "--type", "x", "--id", "1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--type: a non-negative integer");

    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--type", "--id", "--payload");
  }

  private static void parse(String... args) {
    EventCommand.parse(args, NO_ENV::get);
  }

  private int run(String... args) throws InterruptedException {
    return EventCommand.run(
        args,
        NO_ENV::get,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
