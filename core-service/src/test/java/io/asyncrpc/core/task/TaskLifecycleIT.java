package io.asyncrpc.core.task;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Golden;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TaskFixtures.EventRow;
import io.asyncrpc.core.support.TaskFixtures.TaskRow;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.core.support.TestDevices;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Every path of the task lifecycle, driven by MQTT 5 devices against the real broker. */
@CoreServiceTest
class TaskLifecycleIT {

  @Autowired TaskFixtures fixtures;
  @Autowired ProtocolJson json;
  @Autowired MeterRegistry meters;

  /** Closes the devices after each test and checks every tracked task's history. */
  @RegisterExtension final TestDevices devices = new TestDevices();

  @Test
  void triggersAnOnlineDeviceWhenATaskIsCreated() throws Exception {
    TestDevice device = devices.connectNew("trig");
    Instant deadline = inMinutes(30);
    UUID task = task(device.id(), "relay.switch", 5, deadline);

    Received trigger = device.next(MessageKind.TRIGGER, task);

    Golden golden = Golden.load("01-trigger").forTask(device.id(), task);
    assertThat(trigger.topic()).isEqualTo(golden.topic());
    assertThat(trigger.qos()).isEqualTo(1);
    assertThat(trigger.correlation()).isEqualTo(golden.correlationData());
    assertThat(trigger.userProperties())
        .containsOnlyKeys(golden.userProperties().keySet())
        .containsEntry("method_code", "relay.switch")
        .containsEntry("deadline", deadline.toString());
    JsonNode body = json.read(trigger.payload());
    assertThat(body.get("task_id").stringValue()).isEqualTo(task.toString());
    assertThat(body.get("method_code").stringValue()).isEqualTo("relay.switch");
    assertThat(body.get("priority").intValue()).isEqualTo(5);
    assertThat(Instant.parse(body.get("deadline").stringValue())).isEqualTo(deadline);
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.QUEUED);
  }

  @Test
  void anOfflineDeviceIsNoErrorAndItsTaskWaitsForItsNextPoll() throws Exception {
    String deviceId = fixtures.newDevice("offline");
    double offlineBefore = counter("iot.device.published", "kind", "tsk", "outcome", "offline");
    UUID task = task(deviceId, "relay.switch", 5, inMinutes(30));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                counter("iot.device.published", "kind", "tsk", "outcome", "offline")
                    > offlineBefore);
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.QUEUED);

    TestDevice device = devices.connect(deviceId);
    device.poll();
    Received response = device.next(MessageKind.RESPONSE);
    assertThat(response.correlation()).isEqualTo(task.toString());
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.LOCKED);
  }

  @Test
  void anAckMakesTheTaskPending() throws Exception {
    TestDevice device = devices.connectNew("ack");
    UUID task = task(device.id(), "relay.switch", 5, inMinutes(30));
    device.next(MessageKind.TRIGGER, task);

    Golden ack = Golden.load("02-ack").forTask(device.id(), task);
    device.sendTo(ack.topic(), ack.correlationBytes(), ack.userProperties(), ack.payload());

    await().until(() -> fixtures.status(task) == TaskStatus.PENDING);
    assertThat(fixtures.events(task))
        .extracting(EventRow::cause, EventRow::actor)
        .containsExactly(tuple(Cause.CREATED, "api"), tuple(Cause.ACKNOWLEDGED, "core"));
  }

  @Test
  void aRequestByIdLocksTheTaskAndAnswersItsPayload() throws Exception {
    TestDevice device = devices.connectNew("req");
    Instant deadline = inMinutes(30);
    UUID task =
        fixtures.createTask(
            device.id(),
            "relay.switch",
            5,
            deadline,
            "{\"relay\": 2, \"state\": \"on\"}",
            "order-42");
    devices.track(task);
    device.next(MessageKind.TRIGGER, task);

    Golden request = Golden.load("03-request-by-id").forTask(device.id(), task);
    device.sendTo(request.topic(), request.correlationBytes(), request.userProperties(), null);
    Received response = device.next(MessageKind.RESPONSE, task);

    Golden expected = Golden.load("05-response").forTask(device.id(), task);
    assertThat(response.topic()).isEqualTo(expected.topic());
    assertThat(response.userProperties())
        .containsOnlyKeys(expected.userProperties().keySet())
        .containsEntry("method_code", "relay.switch")
        .containsEntry("attempt", "1")
        .containsEntry("deadline", deadline.toString())
        .containsEntry("ext_id", "order-42");
    assertThat(json.read(response.payload()))
        .isEqualTo(json.read(expected.payload().getBytes(StandardCharsets.UTF_8)));
    TaskRow row = fixtures.task(task);
    assertThat(row.status()).isEqualTo(TaskStatus.LOCKED);
    assertThat(row.attempts()).isEqualTo(1);
    assertThat(row.leaseExpiresAt()).isAfter(Instant.now().minusSeconds(1));
  }

  @Test
  void aPollHandsOutByPriorityThenDeadlineThenAgeAndNeverAnExpiredTask() throws Exception {
    TestDevice device = devices.connectNew("order");
    Instant now = Instant.now();
    Instant inAnHour = inMinutes(60);
    String payload = "{}";
    UUID lowOld = insert(device.id(), 1, inAnHour, payload, now.minus(10, ChronoUnit.MINUTES));
    UUID lowNew = insert(device.id(), 1, inAnHour, payload, now.minus(5, ChronoUnit.MINUTES));
    UUID highLate =
        insert(device.id(), 7, inMinutes(120), payload, now.minus(9, ChronoUnit.MINUTES));
    UUID highSoon = insert(device.id(), 7, inAnHour, payload, now.minus(1, ChronoUnit.MINUTES));
    UUID expiredButHighest =
        insert(device.id(), 9, now.plusMillis(300), payload, now.minus(20, ChronoUnit.MINUTES));
    await().until(() -> fixtures.status(expiredButHighest) == TaskStatus.EXPIRED);

    List<String> handedOut = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      device.poll();
      handedOut.add(device.next(MessageKind.RESPONSE).correlation());
    }

    assertThat(handedOut)
        .containsExactly(
            highSoon.toString(), highLate.toString(), lowOld.toString(), lowNew.toString());
    device.poll();
    assertNoTaskAnswer(device.next(MessageKind.RESPONSE), device.id());
  }

  @Test
  void aPollOfAnEmptyFifoGetsTheNoTaskAnswer() throws Exception {
    TestDevice device = devices.connectNew("empty");
    Golden poll = Golden.load("04-request-head-of-fifo").forTask(device.id(), TaskIds.ZERO);

    device.sendTo(poll.topic(), poll.correlationBytes(), poll.userProperties(), null);

    assertNoTaskAnswer(device.next(MessageKind.RESPONSE), device.id());
  }

  @Test
  void aSuccessfulResultCompletesTheTaskAndIsCommitted() throws Exception {
    TestDevice device = devices.connectNew("ok");
    UUID task = lockedTask(device);
    Golden result = Golden.load("07-result-ok").forTask(device.id(), task);

    device.sendTo(
        result.topic(), result.correlationBytes(), result.userProperties(), result.payload());
    Received commit = device.next(MessageKind.COMMIT, task);

    TaskRow row = fixtures.task(task);
    assertThat(row.status()).isEqualTo(TaskStatus.DONE);
    assertThat(row.statusCode()).isEqualTo(200);
    assertThat(json.read(row.result().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(json.read(result.payload().getBytes(StandardCharsets.UTF_8)));
    assertThat(row.finishedAt()).isNotNull();
    assertCommit(commit, task, row.resultId(), "DONE");
  }

  @Test
  void aFailureStatusFailsTheTask() throws Exception {
    TestDevice device = devices.connectNew("fail");
    UUID task = lockedTask(device);
    Golden result = Golden.load("08-result-failed").forTask(device.id(), task);

    device.sendTo(
        result.topic(), result.correlationBytes(), result.userProperties(), result.payload());
    Received commit = device.next(MessageKind.COMMIT, task);

    TaskRow row = fixtures.task(task);
    assertThat(row.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(row.statusCode()).isEqualTo(500);
    assertCommit(commit, task, row.resultId(), "FAILED");
  }

  @Test
  void anEmptyResultIsStoredAsNoDocument() throws Exception {
    TestDevice device = devices.connectNew("empty-res");
    UUID task = lockedTask(device);

    device.result(task, 503, null);
    Received commit = device.next(MessageKind.COMMIT, task);

    TaskRow row = fixtures.task(task);
    assertThat(row.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(row.result()).isNull();
    assertCommit(commit, task, row.resultId(), "FAILED");
  }

  @Test
  void aRepeatedResultGetsTheSameCommitAndCompletesOnce() throws Exception {
    TestDevice device = devices.connectNew("again");
    UUID task = lockedTask(device);

    device.result(task, 200, "{\"n\": 1}");
    Received first = device.next(MessageKind.COMMIT, task);
    device.result(task, 200, "{\"n\": 2}");
    Received second = device.next(MessageKind.COMMIT, task);

    assertThat(second.userProperties()).isEqualTo(first.userProperties());
    assertThat(second.payloadText()).isEqualTo(first.payloadText());
    assertThat(fixtures.task(task).result()).isEqualTo("{\"n\": 1}");
    assertThat(fixtures.events(task)).filteredOn(e -> e.cause() == Cause.RESULT_OK).hasSize(1);
  }

  @Test
  void aBurstOfResultsAndRepeatsIsCommittedOnceEach() throws Exception {
    // Sent back to back, the results are consumed in batches (one transaction each); each still
    // gets its own commit, and the repeats inside the same burst complete nothing twice.
    TestDevice device = devices.connectNew("burst");
    List<UUID> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      burst.add(lockedTask(device));
    }

    for (UUID task : burst) {
      // The repeat may be consumed first by a competing consumer: both are the same result.
      device.result(task, 200, "{\"ok\": true}");
      device.result(task, 200, "{\"ok\": true}");
    }
    List<Received> commits = new ArrayList<>();
    for (int i = 0; i < 2 * burst.size(); i++) {
      commits.add(device.next(MessageKind.COMMIT));
    }

    assertThat(commits)
        .extracting(Received::correlation)
        .containsExactlyInAnyOrderElementsOf(
            burst.stream()
                .flatMap(t -> java.util.stream.Stream.of(t, t))
                .map(UUID::toString)
                .toList());
    for (UUID task : burst) {
      assertThat(fixtures.task(task).status()).isEqualTo(TaskStatus.DONE);
      assertThat(fixtures.events(task))
          .filteredOn(e -> e.to() == TaskStatus.DONE || e.to() == TaskStatus.FAILED)
          .hasSize(1);
    }
  }

  @Test
  void anotherDevicesTaskIsUnknownAndUnchanged() throws Exception {
    TestDevice owner = devices.connectNew("owner");
    TestDevice intruder = devices.connectNew("intruder");
    UUID task = lockedTask(owner);

    intruder.request(task);
    Received refusedRequest = intruder.next(MessageKind.ERROR, task);
    intruder.result(task, 200, "{}");
    Received refusedResult = intruder.next(MessageKind.ERROR, task);
    intruder.ack(task);
    Received refusedAck = intruder.next(MessageKind.ERROR, task);

    Golden expected = Golden.load("12-error-unknown-task").forTask(intruder.id(), task);
    for (Received error : List.of(refusedRequest, refusedResult, refusedAck)) {
      assertThat(error.userProperties()).isEqualTo(expected.userProperties());
      assertThat(json.read(error.payload()).get("code").stringValue()).isEqualTo("unknown-task");
    }
    assertThat(json.read(refusedResult.payload()).get("topic").stringValue())
        .isEqualTo("dev/" + intruder.id() + "/res");
    TaskRow row = fixtures.task(task);
    assertThat(row.status()).isEqualTo(TaskStatus.LOCKED);
    assertThat(row.attempts()).isEqualTo(1);
    assertThat(fixtures.events(task)).hasSize(2);
  }

  @Test
  void correlationDataAsRawBytesIsAccepted() throws Exception {
    TestDevice device = devices.connectNew("raw");
    UUID task = lockedTask(device);
    Golden result = Golden.load("10-result-raw-correlation").forTask(device.id(), task);
    assertThat(result.correlationBytes()).hasSize(16);

    device.sendTo(
        result.topic(), result.correlationBytes(), result.userProperties(), result.payload());

    device.next(MessageKind.COMMIT, task);
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.DONE);
  }

  @Test
  void correlationDataAsUserPropertyIsAccepted() throws Exception {
    TestDevice device = devices.connectNew("fallback");
    UUID task = lockedTask(device);
    Golden result = Golden.load("09-result-correlation-fallback").forTask(device.id(), task);
    assertThat(result.correlationBytes()).isNull();

    device.sendTo(result.topic(), null, result.userProperties(), result.payload());

    device.next(MessageKind.COMMIT, task);
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.DONE);
  }

  @Test
  void garbageIsAnsweredOrIgnoredWithoutChangingAnything() throws Exception {
    TestDevice device = devices.connectNew("garbage");
    UUID task = lockedTask(device);
    double ignoredBefore = counter("iot.device.messages.ignored", "reason", "unknown-kind");

    device.sendTo("dev/" + device.id() + "/log", null, Map.of("k", "v"), "{\"temp\": 21}");
    await()
        .until(
            () -> counter("iot.device.messages.ignored", "reason", "unknown-kind") > ignoredBefore);

    device.send(
        MessageKind.RESULT,
        "not-a-task-id".getBytes(StandardCharsets.UTF_8),
        Map.of("status_code", "200"),
        "{}");
    Received malformed = device.next(MessageKind.ERROR);
    assertThat(malformed.userProperties())
        .containsEntry("error_code", "malformed-correlation-data")
        .containsEntry("status_code", "400");
    assertThat(malformed.correlationData()).isNull();

    device.send(MessageKind.RESULT, task, Map.of("status_code", "abc"), "{}");
    assertError(device.next(MessageKind.ERROR, task), "invalid-status-code", "400");
    device.send(MessageKind.RESULT, task, Map.of("status_code", "302"), "{}");
    assertError(device.next(MessageKind.ERROR, task), "invalid-status-code", "400");
    device.send(MessageKind.RESULT, task, Map.of(), "{}");
    assertError(device.next(MessageKind.ERROR, task), "invalid-status-code", "400");
    device.result(task, 200, "{not json");
    assertError(device.next(MessageKind.ERROR, task), "invalid-result", "400");
    device.result(task, 200, "{\"a\": 1} trailing");
    assertError(device.next(MessageKind.ERROR, task), "invalid-result", "400");
    device.result(task, 200, "\"" + "x".repeat(64 * 1024) + "\"");
    assertError(device.next(MessageKind.ERROR, task), "payload-too-large", "413");

    TaskRow row = fixtures.task(task);
    assertThat(row.status()).isEqualTo(TaskStatus.LOCKED);
    assertThat(row.result()).isNull();
    assertThat(fixtures.events(task)).hasSize(2);
  }

  @Test
  void requestsAndResultsOutOfTurnAreRefused() throws Exception {
    TestDevice device = devices.connectNew("turn");
    UUID waiting = task(device.id(), "relay.switch", 1, inMinutes(30));
    device.next(MessageKind.TRIGGER, waiting);

    device.result(waiting, 200, "{}");
    assertError(device.next(MessageKind.ERROR, waiting), "task-not-started", "409");

    device.request(waiting);
    device.next(MessageKind.RESPONSE, waiting);
    device.request(waiting);
    assertError(device.next(MessageKind.ERROR, waiting), "task-locked", "409");

    device.result(waiting, 200, "{}");
    device.next(MessageKind.COMMIT, waiting);
    device.request(waiting);
    assertError(device.next(MessageKind.ERROR, waiting), "task-finished", "409");

    device.request(UUID.randomUUID());
    assertError(device.next(MessageKind.ERROR), "unknown-task", "404");
    assertThat(fixtures.status(waiting)).isEqualTo(TaskStatus.DONE);
  }

  @Test
  void aRequestForAnExpiredTaskIsRefused() throws Exception {
    TestDevice device = devices.connectNew("late");
    // Inserted with a deadline in the past and not published: the sweep may or may not have
    // expired it yet; either way it is not handed out.
    UUID task =
        insert(device.id(), 5, Instant.now().minusSeconds(1), "{}", Instant.now().minusSeconds(60));

    device.request(task);

    Received error = device.next(MessageKind.ERROR, task);
    assertThat(error.userProperties().get("error_code")).isIn("task-expired", "task-finished");
    await().until(() -> fixtures.status(task) == TaskStatus.EXPIRED);
  }

  private UUID task(String device, String methodCode, int priority, Instant deadline) {
    UUID task = fixtures.createTask(device, methodCode, priority, deadline);
    devices.track(task);
    return task;
  }

  private UUID insert(
      String device, int priority, Instant deadline, String payload, Instant createdAt) {
    UUID task =
        fixtures.insertTask(device, "relay.switch", priority, deadline, payload, null, createdAt);
    devices.track(task);
    return task;
  }

  /** A task of {@code device}, triggered, requested and LOCKED. */
  private UUID lockedTask(TestDevice device) throws Exception {
    UUID task = task(device.id(), "relay.switch", 5, inMinutes(30));
    device.next(MessageKind.TRIGGER, task);
    device.request(task);
    device.next(MessageKind.RESPONSE, task);
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.LOCKED);
    return task;
  }

  private void assertNoTaskAnswer(Received response, String device) {
    Golden expected = Golden.load("06-response-no-task").forTask(device, TaskIds.ZERO);
    assertThat(response.topic()).isEqualTo(expected.topic());
    assertThat(response.correlation()).isEqualTo(expected.correlationData());
    assertThat(response.userProperties()).isEqualTo(expected.userProperties());
    assertThat(response.payload()).isEmpty();
  }

  private void assertCommit(Received commit, UUID task, UUID resultId, String status) {
    assertThat(resultId).isNotNull();
    assertThat(commit.correlation()).isEqualTo(task.toString());
    assertThat(commit.userProperties()).containsOnly(Map.entry("result_id", resultId.toString()));
    JsonNode body = json.read(commit.payload());
    assertThat(body.get("task_id").stringValue()).isEqualTo(task.toString());
    assertThat(body.get("result_id").stringValue()).isEqualTo(resultId.toString());
    assertThat(body.get("status").stringValue()).isEqualTo(status);
  }

  private void assertError(Received error, String code, String status) {
    assertThat(error.userProperties())
        .containsOnly(Map.entry("error_code", code), Map.entry("status_code", status));
    assertThat(json.read(error.payload()).get("code").stringValue()).isEqualTo(code);
  }

  private double counter(String name, String... tags) {
    Counter counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
