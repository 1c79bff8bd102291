package io.asyncrpc.core.southbound;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Golden;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TaskFixtures.EventRow;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.core.support.TestDevices;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Progress reports ({@code dev/<SN>/prg}) against the real broker (lease 2 s). */
@CoreServiceTest
class ProgressIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired TaskFixtures fixtures;
  @Autowired JdbcClient jdbc;
  @Autowired ProtocolJson json;

  /** Closes the devices after each test and checks every tracked task's history. */
  @RegisterExtension final TestDevices devices = new TestDevices();

  @Test
  void aReportOfAHeldTaskIsStoredToldAndExtendsTheLease() throws Exception {
    TestDevice device = devices.connectNew("prg");
    UUID task = locked(device, inMinutes(30));
    Instant leaseBefore = fixtures.task(task).leaseExpiresAt();
    Thread.sleep(300);

    Golden golden = Golden.load("21-progress").forTask(device.id(), task);
    device.sendTo(
        golden.topic(), golden.correlationBytes(), golden.userProperties(), golden.payload());

    await().atMost(PATIENCE).until(() -> progress(task).get("progress_at") != null);
    Map<String, Object> row = progress(task);
    assertThat(row)
        .containsEntry("progress_percent", 40)
        .containsEntry("progress_message", "flashing block 4 of 10")
        .containsEntry("status", "LOCKED");
    assertThat(fixtures.task(task).leaseExpiresAt()).isAfter(leaseBefore);
    assertThat(fixtures.events(task))
        .extracting(EventRow::from, EventRow::to, EventRow::cause, EventRow::attempt)
        .last()
        .isEqualTo(
            org.assertj.core.groups.Tuple.tuple(
                TaskStatus.LOCKED, TaskStatus.LOCKED, Cause.PROGRESS, 1));
    Map<String, Object> told =
        jdbc.sql(
                "SELECT tenant, device_id, data::text AS data FROM tenant_events"
                    + " WHERE task_id = ? AND type = 'task.progress'")
            .params(task)
            .query()
            .singleRow();
    assertThat(told).containsEntry("tenant", "default").containsEntry("device_id", device.id());
    JsonNode data = json.read(((String) told.get("data")).getBytes());
    assertThat(data.path("percent").intValue()).isEqualTo(40);
    assertThat(data.path("message").stringValue()).isEqualTo("flashing block 4 of 10");
    assertThat(data.path("details").path("blocks").intValue()).isEqualTo(10);

    // A report without members clears the percent and message: the latest report is shown.
    device.send(MessageKind.PROGRESS, task, Map.of(), "{}");
    await().atMost(PATIENCE).until(() -> progress(task).get("progress_percent") == null);
    assertThat(device.pending(MessageKind.ERROR)).as("a report is not answered").isZero();
  }

  @Test
  void aReportingDeviceKeepsItsTaskPastTheLeaseButNotPastTheDeadline() throws Exception {
    TestDevice device = devices.connectNew("prg-dl");
    Instant deadline =
        Instant.now().plusSeconds(4).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    UUID task = locked(device, deadline);

    // Report every 700 ms: the 2 s lease passes twice over, the task stays the device's.
    for (int i = 0; i < 4; i++) {
      Thread.sleep(700);
      device.send(MessageKind.PROGRESS, task, Map.of(), "{\"percent\":" + (i * 25) + "}");
    }
    await()
        .atMost(PATIENCE)
        .until(() -> Integer.valueOf(75).equals(progress(task).get("progress_percent")));
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.LOCKED);
    assertThat(fixtures.task(task).leaseExpiresAt())
        .as("never past the deadline")
        .isEqualTo(deadline);
    await().atMost(PATIENCE).until(() -> fixtures.status(task) == TaskStatus.EXPIRED);
  }

  @Test
  void aReportOfATaskTheDeviceDoesNotHoldIsRefusedAndChangesNothing() throws Exception {
    TestDevice device = devices.connectNew("prg-ref");
    TestDevice other = devices.connectNew("prg-oth");
    UUID queued = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
    devices.track(queued);
    UUID othersTask = locked(other, inMinutes(30));

    device.send(MessageKind.PROGRESS, queued, Map.of(), "{\"percent\":10}");
    assertRefused(device, queued, "task-not-started", "409");
    device.send(MessageKind.PROGRESS, othersTask, Map.of(), "{\"percent\":10}");
    assertRefused(device, othersTask, "unknown-task", "404");
    UUID unknown = UUID.randomUUID();
    device.send(MessageKind.PROGRESS, unknown, Map.of(), "{\"percent\":10}");
    assertRefused(device, unknown, "unknown-task", "404");

    assertThat(progress(queued).get("progress_at")).isNull();
    assertThat(progress(othersTask).get("progress_at")).isNull();
    assertThat(fixtures.events(othersTask))
        .extracting(EventRow::cause)
        .doesNotContain(Cause.PROGRESS);
    assertThat(progressEvents(queued) + progressEvents(othersTask)).isZero();
  }

  @Test
  void aMalformedReportIsRefusedAndChangesNothing() throws Exception {
    TestDevice device = devices.connectNew("prg-bad");
    UUID task = locked(device, inMinutes(30));
    Instant lease = fixtures.task(task).leaseExpiresAt();

    for (String bad :
        new String[] {
          "not json",
          "[40]",
          "{\"percent\":101}",
          "{\"percent\":4.5}",
          "{\"message\":\"a\\u0000b\"}",
          "{\"details\":\"x\"}"
        }) {
      device.send(MessageKind.PROGRESS, task, Map.of(), bad);
      assertRefused(device, task, "invalid-progress", "400");
    }
    device.send(
        MessageKind.PROGRESS,
        task,
        Map.of(),
        "{\"message\":\"" + "x".repeat(ProtocolLimits.MAX_PROGRESS_PAYLOAD_BYTES) + "\"}");
    assertRefused(device, task, "payload-too-large", "413");

    assertThat(progress(task).get("progress_at")).isNull();
    assertThat(fixtures.task(task).leaseExpiresAt()).isEqualTo(lease);
    assertThat(progressEvents(task)).isZero();
  }

  private void assertRefused(TestDevice device, UUID task, String code, String status)
      throws InterruptedException {
    Received error = device.next(MessageKind.ERROR, task);
    assertThat(error.userProperties())
        .containsEntry("error_code", code)
        .containsEntry("status_code", status);
    assertThat(json.read(error.payload()).path("topic").stringValue())
        .isEqualTo("dev/" + device.id() + "/prg");
  }

  /** A task of {@code device}, requested by it: LOCKED with a lease. */
  private UUID locked(TestDevice device, Instant deadline) throws Exception {
    UUID task = fixtures.createTask(device.id(), "relay.switch", 5, deadline);
    devices.track(task);
    device.request(task);
    device.next(MessageKind.RESPONSE, task);
    await().atMost(PATIENCE).until(() -> fixtures.status(task) == TaskStatus.LOCKED);
    return task;
  }

  private Map<String, Object> progress(UUID task) {
    Map<String, Object> row =
        jdbc.sql(
                "SELECT status, progress_percent::int AS progress_percent, progress_message,"
                    + " progress_at FROM tasks WHERE id = ?")
            .params(task)
            .query()
            .singleRow();
    Object at = row.get("progress_at");
    if (at instanceof OffsetDateTime time) {
      row.put("progress_at", time.toInstant());
    }
    return row;
  }

  private long progressEvents(UUID task) {
    return jdbc.sql(
            "SELECT count(*) FROM tenant_events WHERE task_id = ? AND type = 'task.progress'")
        .params(task)
        .query(Long.class)
        .single();
  }
}
