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
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCancelled;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The cancel of a task a v2 device holds against the real broker and database: {@link
 * TaskCancelled} becomes {@code srv/<SN>/cnl}, the device's {@code cna} is recorded once, and the
 * task stays CANCELLED; a v1 device is never told.
 */
@CoreServiceTest
class CancelIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired TaskFixtures fixtures;
  @Autowired JdbcClient jdbc;
  @Autowired ProtocolJson json;
  @Autowired RabbitTemplate rabbit;

  /** Closes the devices after each test and checks every tracked task's history. */
  @RegisterExtension final TestDevices devices = new TestDevices();

  @Test
  void aV2DeviceIsToldAndItsAnswerIsRecordedOnce() throws Exception {
    TestDevice device = devices.v2("cnl");
    UUID task = pushed(device);

    cancel(task, device.id());
    Received cancel = device.next(MessageKind.CANCEL, task);

    Golden golden = Golden.load("23-cancel-v2").forTask(device.id(), task);
    assertThat(cancel.topic()).isEqualTo(golden.topic());
    assertThat(cancel.userProperties()).isEqualTo(golden.userProperties());
    assertThat(cancel.payload()).isEmpty();
    assertThat(cancel.qos()).isEqualTo(1);

    Golden answer = Golden.load("24-cancel-answer-stopped").forTask(device.id(), task);
    device.sendTo(
        answer.topic(), answer.correlationBytes(), answer.userProperties(), answer.payload());
    await().atMost(PATIENCE).until(() -> confirmation(task).get("cancel_confirmed_at") != null);
    // A repeat changes nothing and, like the first, is not answered.
    device.sendTo(
        answer.topic(), answer.correlationBytes(), answer.userProperties(), answer.payload());
    // The result of the stopped handler, had it come, is refused as for every cancelled task.
    device.send(
        MessageKind.RESULT,
        task,
        Map.of(UserProperties.STATUS_CODE, "200", UserProperties.PROTOCOL, "2"),
        "{}");
    Received refused = device.next(MessageKind.ERROR, task);

    assertThat(refused.userProperties()).containsEntry("error_code", "task-finished");
    assertThat(device.pending(MessageKind.ERROR)).as("the cna is not answered").isZero();
    assertThat(confirmation(task)).containsEntry("cancel_outcome", "stopped");
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.CANCELLED);
    assertThat(fixtures.events(task))
        .filteredOn(e -> e.cause() == Cause.CANCEL_CONFIRMED)
        .extracting(EventRow::from, EventRow::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TaskStatus.CANCELLED, TaskStatus.CANCELLED));
  }

  @Test
  void aV1DeviceIsNeverTold() throws Exception {
    TestDevice device = devices.connect(fixtures.newDevice("cnl-v1"));
    UUID task = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
    devices.track(task);
    device.request(task);
    device.next(MessageKind.RESPONSE, task);
    await().atMost(PATIENCE).until(() -> fixtures.status(task) == TaskStatus.LOCKED);

    cancel(task, device.id());
    Thread.sleep(1500);

    assertThat(device.pending(MessageKind.CANCEL)).isZero();
  }

  @Test
  void anAnswerThatCannotBeUsedIsRefusedAndChangesNothing() throws Exception {
    TestDevice device = devices.v2("cna-bad");
    UUID task = pushed(device);

    device.send(
        MessageKind.CANCEL_ANSWER, task, Map.of(UserProperties.CANCEL_OUTCOME, "stopped"), null);
    Received notCancelled = device.next(MessageKind.ERROR, task);
    cancel(task, device.id());
    device.next(MessageKind.CANCEL, task);
    device.send(
        MessageKind.CANCEL_ANSWER, task, Map.of(UserProperties.CANCEL_OUTCOME, "halted"), null);
    Received invalid = device.next(MessageKind.ERROR, task);
    UUID unknown = UUID.randomUUID();
    device.send(
        MessageKind.CANCEL_ANSWER, unknown, Map.of(UserProperties.CANCEL_OUTCOME, "stopped"), null);
    Received unknownTask = device.next(MessageKind.ERROR, unknown);

    assertThat(notCancelled.userProperties()).containsEntry("error_code", "task-locked");
    assertThat(invalid.userProperties())
        .containsEntry("error_code", "invalid-cancel-answer")
        .containsEntry("status_code", "400");
    assertThat(unknownTask.userProperties()).containsEntry("error_code", "unknown-task");
    assertThat(confirmation(task).get("cancel_confirmed_at")).isNull();
  }

  /** What api-service does on DELETE of a LOCKED task of a v2 device, outbox event included. */
  private void cancel(UUID task, String device) {
    jdbc.sql(
            """
            WITH c AS (UPDATE tasks SET status = 'CANCELLED', finished_at = now(), updated_at = now()
                        WHERE id = ? AND status = 'LOCKED' RETURNING id, attempts)
            INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor)
            SELECT id, 'LOCKED', 'CANCELLED', 'CANCELLED', attempts, 'api' FROM c
            """)
        .params(task)
        .update();
    rabbit.send(
        NorthboundTopology.TASKS_EXCHANGE,
        NorthboundTopology.TASK_CANCELLED_KEY,
        MessageBuilder.withBody(json.write(new TaskCancelled(task, device)))
            .setContentType("application/json")
            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .build());
  }

  private UUID pushed(TestDevice device) throws InterruptedException {
    UUID task = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
    devices.track(task);
    device.next(MessageKind.RESPONSE, task);
    await().atMost(PATIENCE).until(() -> fixtures.status(task) == TaskStatus.LOCKED);
    return task;
  }

  private Map<String, Object> confirmation(UUID task) {
    return jdbc.sql("SELECT cancel_confirmed_at, cancel_outcome FROM tasks WHERE id = ?")
        .params(task)
        .query()
        .singleRow();
  }
}
