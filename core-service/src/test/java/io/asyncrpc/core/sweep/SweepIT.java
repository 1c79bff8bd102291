package io.asyncrpc.core.sweep;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TaskFixtures.EventRow;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The deadline and lease sweeps (lease 2 s, at most 2 attempts, sweeps every 200 ms). */
@CoreServiceTest
class SweepIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired TaskFixtures fixtures;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  @Test
  void aWaitingTaskExpiresAtItsDeadline() {
    String device = fixtures.newDevice("deadline");
    UUID queued = fixtures.createTask(device, "relay.switch", 5, Instant.now().plusSeconds(1));
    await().atMost(PATIENCE).until(() -> fixtures.status(queued) == TaskStatus.EXPIRED);

    assertThat(fixtures.assertHistoryIsAPath(queued))
        .extracting(EventRow::to, EventRow::cause, EventRow::actor)
        .containsExactly(
            tuple(TaskStatus.QUEUED, Cause.CREATED, "api"),
            tuple(TaskStatus.EXPIRED, Cause.DEADLINE_PASSED, "sweeper"));
    assertThat(fixtures.task(queued).finishedAt()).isNotNull();
  }

  @Test
  void aPendingTaskExpiresToo() throws Exception {
    try (TestDevice device = TestDevice.connect(mqttHost, mqttPort, fixtures.newDevice("pend"))) {
      UUID task = fixtures.createTask(device.id(), "relay.switch", 5, Instant.now().plusSeconds(2));
      device.next(MessageKind.TRIGGER, task);
      device.ack(task);
      await().atMost(PATIENCE).until(() -> fixtures.status(task) != TaskStatus.QUEUED);
      await().atMost(PATIENCE).until(() -> fixtures.status(task) == TaskStatus.EXPIRED);

      assertThat(fixtures.assertHistoryIsAPath(task))
          .extracting(EventRow::from, EventRow::to)
          .containsExactly(
              tuple(null, TaskStatus.QUEUED),
              tuple(TaskStatus.QUEUED, TaskStatus.PENDING),
              tuple(TaskStatus.PENDING, TaskStatus.EXPIRED));
    }
  }

  @Test
  void aPassedLeaseQueuesTheTaskAgainAndRetriggersThenTimesItOut() throws Exception {
    try (TestDevice device = TestDevice.connect(mqttHost, mqttPort, fixtures.newDevice("lease"))) {
      UUID task = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
      device.next(MessageKind.TRIGGER, task);
      device.request(task);
      assertThat(device.next(MessageKind.RESPONSE, task).userProperties())
          .containsEntry("attempt", "1");

      // No result: the lease passes, the task is queued again and the device triggered again.
      Received again = device.next(MessageKind.TRIGGER, task);
      assertThat(again.correlation()).isEqualTo(task.toString());
      assertThat(fixtures.task(task).attempts()).isEqualTo(1);
      device.poll();
      assertThat(device.next(MessageKind.RESPONSE, task).userProperties())
          .containsEntry("attempt", "2");

      await().atMost(PATIENCE).until(() -> fixtures.status(task) == TaskStatus.TIMED_OUT);
      assertThat(fixtures.task(task).attempts()).isEqualTo(2);
      assertThat(fixtures.assertHistoryIsAPath(task))
          .extracting(EventRow::to, EventRow::cause, EventRow::attempt, EventRow::actor)
          .containsExactly(
              tuple(TaskStatus.QUEUED, Cause.CREATED, 0, "api"),
              tuple(TaskStatus.LOCKED, Cause.CLAIMED, 1, "core"),
              tuple(TaskStatus.QUEUED, Cause.LEASE_PASSED, 1, "sweeper"),
              tuple(TaskStatus.LOCKED, Cause.CLAIMED, 2, "core"),
              tuple(TaskStatus.TIMED_OUT, Cause.RETRIES_EXHAUSTED, 2, "sweeper"));
      device.poll();
      assertThat(device.next(MessageKind.RESPONSE).userProperties())
          .containsEntry("status_code", "204");
    }
  }

  @Test
  void aLateResultAfterTheLeasePassedIsStillTaken() throws Exception {
    try (TestDevice device = TestDevice.connect(mqttHost, mqttPort, fixtures.newDevice("late"))) {
      UUID task = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
      device.next(MessageKind.TRIGGER, task);
      device.request(task);
      device.next(MessageKind.RESPONSE, task);
      device.next(MessageKind.TRIGGER, task); // the lease passed: queued again

      device.result(task, 200, "{\"late\": true}");
      device.next(MessageKind.COMMIT, task);

      assertThat(fixtures.status(task)).isEqualTo(TaskStatus.DONE);
      assertThat(fixtures.assertHistoryIsAPath(task))
          .extracting(EventRow::from, EventRow::to)
          .containsExactly(
              tuple(null, TaskStatus.QUEUED),
              tuple(TaskStatus.QUEUED, TaskStatus.LOCKED),
              tuple(TaskStatus.LOCKED, TaskStatus.QUEUED),
              tuple(TaskStatus.QUEUED, TaskStatus.DONE));
    }
  }
}
