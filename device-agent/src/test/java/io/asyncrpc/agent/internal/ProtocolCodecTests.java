package io.asyncrpc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.TaskIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tests for {@link ProtocolCodec}, against the golden messages of protocol v1. */
class ProtocolCodecTests {

  private static final UUID TASK = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091");

  private final ProtocolCodec codec = new ProtocolCodec(new DeviceId("SN-0001"));

  @Test
  void ackMatchesGolden() {
    assertMatches(codec.ack(TASK), GoldenMessage.load("02-ack.json"));
  }

  @Test
  void requestByIdMatchesGolden() {
    assertMatches(codec.request(TASK), GoldenMessage.load("03-request-by-id.json"));
  }

  @Test
  void pollForHeadOfFifoMatchesGolden() {
    assertMatches(codec.request(TaskIds.ZERO), GoldenMessage.load("04-request-head-of-fifo.json"));
  }

  @Test
  void successfulResultMatchesGolden() {
    GoldenMessage golden = GoldenMessage.load("07-result-ok.json");
    JournalEntry entry =
        new JournalEntry(
            TASK, 200, "order-42", Json.MAPPER.writeValueAsString(golden.payload()), false);

    assertMatches(codec.result(entry), golden);
  }

  @Test
  void failedResultMatchesGolden() {
    GoldenMessage golden = GoldenMessage.load("08-result-failed.json");
    JournalEntry entry =
        new JournalEntry(TASK, 500, null, Json.MAPPER.writeValueAsString(golden.payload()), false);

    assertMatches(codec.result(entry), golden);
  }

  @Test
  void decodesTrigger() {
    DeviceBound decoded = decode(GoldenMessage.load("01-trigger.json"));

    assertThat(decoded).isEqualTo(new DeviceBound.Trigger(TASK, "relay.switch"));
  }

  @Test
  void decodesResponseWithTask() {
    DeviceBound decoded = decode(GoldenMessage.load("05-response.json"));

    assertThat(decoded).isInstanceOf(DeviceBound.Response.class);
    DeviceBound.Response response = (DeviceBound.Response) decoded;
    assertThat(response.taskId()).isEqualTo(TASK);
    assertThat(response.statusCode()).isEqualTo(-1);
    assertThat(response.methodCode()).isEqualTo("relay.switch");
    assertThat(response.attempt()).isEqualTo(1);
    assertThat(response.deadline()).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
    assertThat(response.externalId()).isEqualTo("order-42");
    assertThat(Json.MAPPER.readTree(response.payload()))
        .isEqualTo(Json.MAPPER.readTree("{\"relay\": 2, \"state\": \"on\"}"));
  }

  @Test
  void decodesNoTaskResponse() {
    DeviceBound decoded = decode(GoldenMessage.load("06-response-no-task.json"));

    assertThat(decoded).isInstanceOf(DeviceBound.Response.class);
    DeviceBound.Response response = (DeviceBound.Response) decoded;
    assertThat(response.taskId()).isEqualTo(TaskIds.ZERO);
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.payload()).isEmpty();
  }

  @Test
  void decodesCommit() {
    DeviceBound decoded = decode(GoldenMessage.load("11-commit.json"));

    assertThat(decoded)
        .isEqualTo(
            new DeviceBound.Commit(TASK, UUID.fromString("9a0c1d2e-3f40-4152-8a6b-7c8d9e0f1a2b")));
  }

  @Test
  void decodesTypedError() {
    DeviceBound decoded = decode(GoldenMessage.load("12-error-unknown-task.json"));

    assertThat(decoded)
        .isEqualTo(
            new DeviceBound.Error(
                TASK,
                "unknown-task",
                "no task 3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091 for device SN-0001",
                "dev/SN-0001/res"));
  }

  @Test
  void acceptsSixteenRawBytesAsCorrelationData() {
    GoldenMessage raw = GoldenMessage.load("10-result-raw-correlation.json");
    GoldenMessage response = GoldenMessage.load("05-response.json");

    DeviceBound decoded =
        codec.decode(
            response.topic(),
            raw.correlationData(),
            response.userProperties(),
            response.payloadBytes());

    assertThat(raw.correlationData()).hasSize(16);
    assertThat(decoded)
        .isInstanceOfSatisfying(
            DeviceBound.Response.class, r -> assertThat(r.taskId()).isEqualTo(TASK));
  }

  @Test
  void acceptsCorrelationDataUserPropertyFallback() {
    GoldenMessage fallback = GoldenMessage.load("09-result-correlation-fallback.json");

    DeviceBound decoded =
        codec.decode(
            "srv/SN-0001/cmt",
            fallback.correlationData(),
            Map.of("correlationData", fallback.userProperties().get("correlationData")),
            new byte[0]);

    assertThat(decoded).isEqualTo(new DeviceBound.Commit(TASK, null));
  }

  @Test
  void refusesAnotherDevicesTopic() {
    assertThat(codec.decode("srv/SN-0002/rsp", correlation(), Map.of(), new byte[0]))
        .isInstanceOf(DeviceBound.Invalid.class);
  }

  @Test
  void refusesUnknownMessageKindsAndDirections() {
    assertThat(codec.decode("srv/SN-0001/evt", correlation(), Map.of(), new byte[0]))
        .isInstanceOf(DeviceBound.Invalid.class);
    assertThat(codec.decode("dev/SN-0001/res", correlation(), Map.of(), new byte[0]))
        .isInstanceOf(DeviceBound.Invalid.class);
    assertThat(codec.decode("not/a/protocol/topic", correlation(), Map.of(), new byte[0]))
        .isInstanceOf(DeviceBound.Invalid.class);
  }

  @Test
  void refusesMalformedCorrelationData() {
    byte[] malformed = "not-a-uuid".getBytes(StandardCharsets.US_ASCII);

    assertThat(codec.decode("srv/SN-0001/rsp", malformed, Map.of(), new byte[0]))
        .isInstanceOf(DeviceBound.Invalid.class);
    assertThat(codec.decode("srv/SN-0001/tsk", null, Map.of(), new byte[0]))
        .isInstanceOf(DeviceBound.Invalid.class);
  }

  @Test
  void toleratesErrorWithoutJsonPayload() {
    DeviceBound decoded =
        codec.decode(
            "srv/SN-0001/err",
            correlation(),
            Map.of("error_code", "task-finished"),
            "not json".getBytes(StandardCharsets.UTF_8));

    assertThat(decoded).isEqualTo(new DeviceBound.Error(TASK, "task-finished", "", null));
  }

  private DeviceBound decode(GoldenMessage golden) {
    return codec.decode(
        golden.topic(), golden.correlationData(), golden.userProperties(), golden.payloadBytes());
  }

  private static byte[] correlation() {
    return TaskIds.toCorrelationData(TASK);
  }

  private static void assertMatches(OutgoingMessage message, GoldenMessage golden) {
    assertThat(message.topic().mqtt()).isEqualTo(golden.topic());
    assertThat(new String(message.correlationData(), StandardCharsets.US_ASCII))
        .isEqualTo(golden.correlationText());
    assertThat(message.userProperties()).containsExactlyEntriesOf(golden.userProperties());
    if (golden.payload() == null) {
      assertThat(message.payload()).isEmpty();
    } else {
      assertThat(Json.MAPPER.readTree(new String(message.payload(), StandardCharsets.UTF_8)))
          .isEqualTo(golden.payload());
    }
  }
}
