package io.asyncrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.protocol.GoldenMessages.Golden;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link DeviceCodec} and {@link CoreCodec}: each builds exactly the golden messages of
 * its side, and the device side reads the core's golden messages back.
 */
class GoldenCodecTests {

  private static final ProtocolJson JSON = new ProtocolJson();
  private static final String SN = "SN-0001";
  private static final UUID TASK = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091");
  private static final UUID NEXT = UUID.fromString("5b7e0c2a-1d3f-4a5b-8c6d-7e8f9a0b1c2d");
  private static final UUID RESULT = UUID.fromString("9a0c1d2e-3f40-4152-8a6b-7c8d9e0f1a2b");
  private static final Instant DEADLINE = Instant.parse("2026-11-25T12:00:00Z");
  private static final Instant LEASE = Instant.parse("2026-11-25T11:00:30Z");
  private static final Instant NOW = Instant.parse("2026-11-25T11:00:00Z");

  private final DeviceCodec v1 = new DeviceCodec(new DeviceId(SN), ProtocolVersion.V1, JSON);
  private final DeviceCodec v2 = new DeviceCodec(new DeviceId(SN), ProtocolVersion.V2, JSON);
  private final CoreCodec core = new CoreCodec(JSON);

  @Test
  void deviceMessagesOfV1AreTheSeedsMessages() {
    assertSame(v1.ack(TASK), "02-ack.json");
    assertSame(v1.request(TASK), "03-request-by-id.json");
    assertSame(v1.request(TaskIds.ZERO), "04-request-head-of-fifo.json");
    assertSame(
        v1.result(TASK, 200, "order-42", "{\"relay\":2,\"state\":\"on\",\"took_ms\":12}"),
        "07-result-ok.json");
    assertSame(
        v1.result(TASK, 500, null, "{\"error\":\"relay did not switch\"}"),
        "08-result-failed.json");
  }

  @Test
  void deviceMessagesOfV2DeclareTheVersion() {
    assertSame(v2.request(TaskIds.ZERO), "13-request-v2.json");
    assertSame(
        v2.result(TASK, 200, "order-42", "{\"relay\":2,\"state\":\"on\",\"took_ms\":12}"),
        "15-result-v2.json");
    // An ack is the same in both versions.
    assertSame(v2.ack(TASK), "02-ack.json");
  }

  @Test
  void coreMessagesOfV1AreTheSeedsMessages() {
    assertSame(core.trigger(SN, TASK, "relay.switch", 5, DEADLINE, NOW), "01-trigger.json");
    assertSame(
        core.response(
            SN, task(TASK, "{\"relay\":2,\"state\":\"on\"}", LEASE), ProtocolVersion.V1, NOW),
        "05-response.json");
    assertSame(core.noTask(SN), "06-response-no-task.json");
    assertSame(core.commit(SN, TASK, RESULT, "DONE", ProtocolVersion.V1, null), "11-commit.json");
    assertSame(
        core.error(
            SN,
            TASK,
            ProtocolError.UNKNOWN_TASK,
            "no task " + TASK + " for device " + SN,
            "dev/SN-0001/res"),
        "12-error-unknown-task.json");
  }

  @Test
  void coreMessagesOfV2PushAndCarryTheNextTask() {
    WireMessage push =
        core.response(
            SN, task(TASK, "{\"relay\":2,\"state\":\"on\"}", LEASE), ProtocolVersion.V2, NOW);
    assertSame(push, "14-push-v2.json");
    assertThat(push.expirySeconds()).as("expires with the lease").isEqualTo(30);

    PushedTask next =
        new PushedTask(
            NEXT,
            "relay.switch",
            1,
            DEADLINE,
            Instant.parse("2026-11-25T11:00:31Z"),
            null,
            "{\"relay\":3,\"state\":\"off\"}");
    assertSame(
        core.commit(SN, TASK, RESULT, "DONE", ProtocolVersion.V2, next), "16-commit-v2-next.json");
    assertSame(
        core.commit(SN, TASK, RESULT, "DONE", ProtocolVersion.V2, null), "17-commit-v2-idle.json");
  }

  @Test
  void aV1CommitNeverCarriesANextTask() {
    PushedTask next = task(NEXT, "{}", LEASE);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> core.commit(SN, TASK, RESULT, "DONE", ProtocolVersion.V1, next));
  }

  @Test
  void deviceReadsTheCoresMessages() {
    assertThat(v1.decode(golden("01-trigger.json")))
        .isEqualTo(new DeviceBound.Trigger(TASK, "relay.switch"));
    assertThat(v1.decode(golden("05-response.json")))
        .isEqualTo(
            new DeviceBound.Response(
                TASK,
                -1,
                "relay.switch",
                1,
                DEADLINE,
                null,
                "order-42",
                "{\"relay\":2,\"state\":\"on\"}"));
    assertThat(v1.decode(golden("06-response-no-task.json")))
        .isInstanceOfSatisfying(DeviceBound.Response.class, r -> assertThat(r.isNoTask()).isTrue());
    assertThat(v1.decode(golden("11-commit.json")))
        .isEqualTo(new DeviceBound.Commit(TASK, RESULT, ProtocolVersion.V1, null));
    assertThat(v1.decode(golden("12-error-unknown-task.json")))
        .isEqualTo(
            new DeviceBound.Error(
                TASK, "unknown-task", "no task " + TASK + " for device " + SN, "dev/SN-0001/res"));
  }

  @Test
  void v2DeviceReadsThePushAndTheNextTask() {
    assertThat(v2.decode(golden("14-push-v2.json")))
        .isEqualTo(
            new DeviceBound.Response(
                TASK,
                -1,
                "relay.switch",
                1,
                DEADLINE,
                LEASE,
                "order-42",
                "{\"relay\":2,\"state\":\"on\"}"));
    assertThat(v2.decode(golden("16-commit-v2-next.json")))
        .isEqualTo(
            new DeviceBound.Commit(
                TASK,
                RESULT,
                ProtocolVersion.V2,
                new DeviceBound.Response(
                    NEXT,
                    -1,
                    "relay.switch",
                    1,
                    DEADLINE,
                    Instant.parse("2026-11-25T11:00:31Z"),
                    null,
                    "{\"relay\":3,\"state\":\"off\"}")));
    assertThat(v2.decode(golden("17-commit-v2-idle.json")))
        .isEqualTo(new DeviceBound.Commit(TASK, RESULT, ProtocolVersion.V2, null));
  }

  @Test
  void aV2CommitWhoseNextCannotBeReadStillCountsAndAsksForAPoll() {
    for (String body :
        new String[] {
          "{\"task_id\":\"" + TASK + "\",\"next\":{\"task_id\":\"nope\"}}",
          "{\"task_id\":\"" + TASK + "\",\"next\":7}",
          "not json"
        }) {
      WireMessage commit =
          WireMessage.of(
              "srv/SN-0001/cmt",
              TaskIds.toCorrelationData(TASK),
              new WireMessage.Properties()
                  .add(UserProperties.RESULT_ID, RESULT)
                  .add(UserProperties.PROTOCOL, 2)
                  .list(),
              body.getBytes(java.nio.charset.StandardCharsets.UTF_8));

      assertThat(v2.decode(commit))
          .as(body)
          .isEqualTo(new DeviceBound.Commit(TASK, RESULT, ProtocolVersion.V1, null));
    }
  }

  @Test
  void deviceEventsAndTheirAnswersAreTheGoldenMessages() {
    DeviceEvent event = new DeviceEvent(13, 4711, Instant.ofEpochSecond(1764072000));
    String correlation = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

    assertSame(
        v1.event(
            event,
            correlation,
            "{\"101\":4711,\"102\":1764072000,\"200\":13,\"300\":[{\"cell\":4,\"state\":\"open\"}]}"),
        "18-event.json");
    assertSame(core.eventAnswer(SN, event, correlation, null), "19-event-answer.json");
    assertSame(
        core.eventAnswer(SN, event, correlation, "invalid-event"), "20-event-answer-error.json");
    assertThat(v2.decode(golden("19-event-answer.json")))
        .isEqualTo(new DeviceBound.EventAnswer(13, 4711, true, correlation));
    assertThat(v1.decode(golden("20-event-answer-error.json")))
        .isEqualTo(new DeviceBound.EventAnswer(13, 4711, false, correlation));
  }

  @Test
  void progressReportsAreTheGoldenMessagesInBothVersions() {
    ProgressReport report =
        new ProgressReport(
            40, "flashing block 4 of 10", JSON.read(bytes("{\"block\":4,\"blocks\":10}")));

    assertSame(v1.progress(TASK, report), "21-progress.json");
    assertSame(v2.progress(TASK, report), "21-progress.json");
    assertSame(
        core.error(
            SN,
            TASK,
            ProtocolError.INVALID_PROGRESS,
            "percent must be an integer from 0 to 100, message a string, details an object",
            "dev/SN-0001/prg"),
        "22-error-invalid-progress.json");
    assertThat(ProgressReport.from(GoldenMessages.load("21-progress.json").payload()))
        .contains(report);
    assertThat(v1.decode(golden("22-error-invalid-progress.json")))
        .isInstanceOfSatisfying(
            DeviceBound.Error.class, e -> assertThat(e.errorCode()).isEqualTo("invalid-progress"));
  }

  @Test
  void aCancelAndItsAnswersAreTheGoldenMessages() {
    WireMessage cancel = core.cancel(SN, TASK, DEADLINE, NOW);
    assertSame(cancel, "23-cancel-v2.json");
    assertThat(cancel.expirySeconds()).as("expires at the deadline").isEqualTo(3600);

    assertSame(v2.cancelAnswer(TASK, CancelOutcome.STOPPED), "24-cancel-answer-stopped.json");
    assertSame(v2.cancelAnswer(TASK, CancelOutcome.FINISHED), "25-cancel-answer-finished.json");
    assertThat(v2.decode(golden("23-cancel-v2.json"))).isEqualTo(new DeviceBound.Cancel(TASK));
    assertThat(
            CancelOutcome.of(
                golden("24-cancel-answer-stopped.json").property(UserProperties.CANCEL_OUTCOME)))
        .contains(CancelOutcome.STOPPED);
    assertThat(CancelOutcome.of("halted")).isEmpty();
    assertThat(CancelOutcome.of(null)).isEmpty();
  }

  @Test
  void aProgressReportHasOnlyOptionalMembersInRange() {
    assertThat(ProgressReport.from(null)).contains(new ProgressReport(null, null, null));
    assertThat(ProgressReport.from(JSON.read(bytes("{\"percent\":100,\"extra\":1}"))))
        .contains(new ProgressReport(100, null, null));
    assertThat(ProgressReport.from(JSON.read(bytes("{\"percent\":null,\"message\":\"x\"}"))))
        .contains(new ProgressReport(null, "x", null));
    for (String bad :
        new String[] {
          "[1]",
          "7",
          "{\"percent\":101}",
          "{\"percent\":-1}",
          "{\"percent\":40.5}",
          "{\"percent\":\"40\"}",
          "{\"percent\":1e100}",
          "{\"message\":4}",
          "{\"details\":[1]}"
        }) {
      assertThat(ProgressReport.from(JSON.read(bytes(bad)))).as(bad).isEmpty();
    }
    assertThat(new String(v1.progress(TASK, new ProgressReport(7, null, null)).payload()))
        .as("absent members are left out")
        .isEqualTo("{\"percent\":7}");
  }

  @Test
  void anEventTimestampIsEpochSecondsOrAnInstant() {
    assertThat(DeviceEvent.timestamp("1764072000")).contains(Instant.ofEpochSecond(1764072000));
    assertThat(DeviceEvent.timestamp("1764072000.25"))
        .contains(Instant.ofEpochSecond(1764072000, 250_000_000));
    assertThat(DeviceEvent.timestamp("2025-11-25T12:00:00Z"))
        .contains(Instant.parse("2025-11-25T12:00:00Z"));
    assertThat(DeviceEvent.timestamp("yesterday")).isEmpty();
    assertThat(DeviceEvent.timestamp("99999999999999999")).isEmpty();
    assertThat(DeviceEvent.parse("13", "-1", "0")).as("negative id").isEmpty();
    assertThat(DeviceEvent.parse("0", "5", "0").orElseThrow().isAnswered()).isFalse();
    assertThat(DeviceEvent.parse("13", "0", "0").orElseThrow().isAnswered()).isFalse();
  }

  @Test
  void theFirstOfRepeatedUserPropertiesCounts() {
    WireMessage message =
        WireMessage.of(
            "srv/SN-0001/rsp",
            TaskIds.toCorrelationData(TASK),
            new WireMessage.Properties()
                .add(UserProperties.ATTEMPT, 2)
                .add(UserProperties.ATTEMPT, 7)
                .add(UserProperties.METHOD_CODE, "a")
                .add(UserProperties.METHOD_CODE, "b")
                .list(),
            new byte[0]);

    assertThat(v1.decode(message))
        .isInstanceOfSatisfying(
            DeviceBound.Response.class,
            r -> {
              assertThat(r.attempt()).isEqualTo(2);
              assertThat(r.methodCode()).isEqualTo("a");
            });
  }

  @Test
  void correlationDataIsReadInEveryAcceptedForm() {
    WireMessage raw =
        WireMessage.of(
            "srv/SN-0001/cmt", TaskIds.toRawBytes(TASK), java.util.List.of(), new byte[0]);
    WireMessage fallback =
        WireMessage.of(
            "srv/SN-0001/cmt",
            null,
            new WireMessage.Properties().add(UserProperties.CORRELATION_DATA, TASK).list(),
            new byte[0]);

    assertThat(v1.decode(raw))
        .isEqualTo(new DeviceBound.Commit(TASK, null, ProtocolVersion.V1, null));
    assertThat(v1.decode(fallback))
        .isEqualTo(new DeviceBound.Commit(TASK, null, ProtocolVersion.V1, null));
    assertThat(
            v1.decode(
                WireMessage.of(
                    "srv/SN-0002/cmt",
                    TaskIds.toCorrelationData(TASK),
                    java.util.List.of(),
                    new byte[0])))
        .as("another device's topic")
        .isInstanceOf(DeviceBound.Invalid.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static PushedTask task(UUID id, String payload, Instant lease) {
    return new PushedTask(
        id, "relay.switch", 1, DEADLINE, lease, id.equals(TASK) ? "order-42" : null, payload);
  }

  private static WireMessage golden(String file) {
    return GoldenMessages.load(file).message();
  }

  private static void assertSame(WireMessage actual, String file) {
    Golden golden = GoldenMessages.load(file);
    WireMessage expected = golden.message();
    assertThat(actual.topic()).as(file + " topic").isEqualTo(expected.topic());
    assertThat(actual.correlationData())
        .as(file + " correlation data")
        .isEqualTo(expected.correlationData());
    assertThat(actual.userProperties())
        .as(file + " user properties")
        .isEqualTo(expected.userProperties());
    if (golden.payload() == null) {
      assertThat(actual.payload()).as(file + " payload").isEmpty();
    } else {
      assertThat(JSON.read(actual.payload())).as(file + " payload").isEqualTo(golden.payload());
    }
  }
}
