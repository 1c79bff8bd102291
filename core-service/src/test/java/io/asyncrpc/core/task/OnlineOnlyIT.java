package io.asyncrpc.core.task;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
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
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Online-only tasks in the core: delivered to an online device like any other, UNREACHABLE instead
 * of waiting once the device is offline (lease 2 s, sweeps every 200 ms).
 */
@CoreServiceTest
class OnlineOnlyIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired TaskFixtures fixtures;
  @Autowired TaskLifecycle lifecycle;
  @Autowired JdbcClient jdbc;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  @Test
  void aDisconnectEndsTheWaitingOnlineOnlyTasksAndLeavesTheOthersQueued() throws Exception {
    String id = fixtures.newDevice("onl-disc");
    UUID queued;
    UUID pending;
    UUID plain;
    try (TestDevice device = TestDevice.connect(mqttHost, mqttPort, id)) {
      await().atMost(PATIENCE).until(() -> fixtures.device(id).online());
      queued = fixtures.createOnlineOnlyTask(id, "door.open", inMinutes(30));
      pending = fixtures.createOnlineOnlyTask(id, "door.open", inMinutes(30));
      plain = fixtures.createTask(id, "relay.switch", 5, inMinutes(30));
      // An online device is told of them as of any other task.
      device.next(MessageKind.TRIGGER, queued);
      device.ack(pending);
      await().atMost(PATIENCE).until(() -> fixtures.status(pending) == TaskStatus.PENDING);
      assertThat(fixtures.status(queued)).isEqualTo(TaskStatus.QUEUED);
    }

    await().atMost(PATIENCE).until(() -> fixtures.status(queued) == TaskStatus.UNREACHABLE);
    await().atMost(PATIENCE).until(() -> fixtures.status(pending) == TaskStatus.UNREACHABLE);
    assertThat(fixtures.status(plain)).isEqualTo(TaskStatus.QUEUED);
    assertThat(fixtures.assertHistoryIsAPath(queued))
        .extracting(EventRow::from, EventRow::to, EventRow::cause)
        .containsExactly(
            tuple(null, TaskStatus.QUEUED, Cause.CREATED),
            tuple(TaskStatus.QUEUED, TaskStatus.UNREACHABLE, Cause.DEVICE_OFFLINE));
    assertThat(fixtures.assertHistoryIsAPath(pending))
        .extracting(EventRow::to)
        .containsExactly(TaskStatus.QUEUED, TaskStatus.PENDING, TaskStatus.UNREACHABLE);
    assertThat(fixtures.task(queued).finishedAt()).isNotNull();
    assertThat(finishedEvents(queued)).isOne();
    assertThat(finishedEvents(plain)).isZero();
  }

  @Test
  void aLeaseThatPassesWhileTheDeviceIsOfflineEndsTheTaskInsteadOfQueueingIt() throws Exception {
    String id = fixtures.newDevice("onl-lease");
    UUID onlineOnly;
    UUID plain;
    try (TestDevice device = TestDevice.connect(mqttHost, mqttPort, id)) {
      await().atMost(PATIENCE).until(() -> fixtures.device(id).online());
      onlineOnly = fixtures.createOnlineOnlyTask(id, "door.open", inMinutes(30));
      plain = fixtures.createTask(id, "relay.switch", 5, inMinutes(30));
      device.request(onlineOnly);
      device.next(MessageKind.RESPONSE, onlineOnly);
      device.request(plain);
      device.next(MessageKind.RESPONSE, plain);
    }
    await().atMost(PATIENCE).until(() -> !fixtures.device(id).online());

    await().atMost(PATIENCE).until(() -> fixtures.status(onlineOnly) == TaskStatus.UNREACHABLE);
    await().atMost(PATIENCE).until(() -> fixtures.status(plain) == TaskStatus.QUEUED);
    assertThat(fixtures.assertHistoryIsAPath(onlineOnly))
        .extracting(EventRow::from, EventRow::to, EventRow::cause, EventRow::actor)
        .containsExactly(
            tuple(null, TaskStatus.QUEUED, Cause.CREATED, "api"),
            tuple(TaskStatus.QUEUED, TaskStatus.LOCKED, Cause.CLAIMED, "core"),
            tuple(TaskStatus.LOCKED, TaskStatus.UNREACHABLE, Cause.DEVICE_OFFLINE, "sweeper"));
    assertThat(fixtures.assertHistoryIsAPath(plain))
        .extracting(EventRow::cause)
        .containsExactly(Cause.CREATED, Cause.CLAIMED, Cause.LEASE_PASSED);
  }

  @Test
  void aPushThatComesBackWhileTheDeviceIsOfflineEndsTheTask() {
    String id = fixtures.newDevice("onl-push");
    jdbc.sql("UPDATE devices SET protocol_version = 2, online = true WHERE id = ?")
        .params(id)
        .update();
    UUID task =
        fixtures.insertTask(id, "door.open", 5, inMinutes(30), "{}", null, Instant.now(), true);

    PushOutcome outcome = lifecycle.claimPush(id, true);
    assertThat(outcome).isInstanceOf(PushOutcome.Pushed.class);
    // The device went away between the claim and the broker's return of the push.
    jdbc.sql("UPDATE devices SET online = false WHERE id = ?").params(id).update();

    assertThat(lifecycle.undeliver(((PushOutcome.Pushed) outcome).task())).isTrue();
    assertThat(fixtures.task(task).attempts()).as("finished: no attempt is taken back").isOne();
    assertThat(fixtures.assertHistoryIsAPath(task))
        .extracting(EventRow::from, EventRow::to, EventRow::cause)
        .containsExactly(
            tuple(null, TaskStatus.QUEUED, Cause.CREATED),
            tuple(TaskStatus.QUEUED, TaskStatus.LOCKED, Cause.PUSHED),
            tuple(TaskStatus.LOCKED, TaskStatus.UNREACHABLE, Cause.DEVICE_OFFLINE));
  }

  @Test
  void theSweepEndsAnOnlineOnlyTaskLeftWaitingForAnOfflineDevice() {
    // As when the task was created while the device's disconnect was being recorded.
    String id = fixtures.newDevice("onl-sweep");
    UUID onlineOnly =
        fixtures.insertTask(id, "door.open", 5, inMinutes(30), "{}", null, Instant.now(), true);
    UUID plain =
        fixtures.insertTask(id, "relay.switch", 5, inMinutes(30), "{}", null, Instant.now());

    await().atMost(PATIENCE).until(() -> fixtures.status(onlineOnly) == TaskStatus.UNREACHABLE);
    assertThat(fixtures.assertHistoryIsAPath(onlineOnly))
        .extracting(EventRow::to, EventRow::cause, EventRow::actor)
        .containsExactly(
            tuple(TaskStatus.QUEUED, Cause.CREATED, "api"),
            tuple(TaskStatus.UNREACHABLE, Cause.DEVICE_OFFLINE, "sweeper"));
    assertThat(fixtures.status(plain)).isEqualTo(TaskStatus.QUEUED);
  }

  private long finishedEvents(UUID task) {
    return jdbc.sql(
            "SELECT count(*) FROM tenant_events WHERE task_id = ? AND type = 'task.finished'")
        .params(task)
        .query(Long.class)
        .single();
  }
}
