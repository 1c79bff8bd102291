package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCancelled;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies that {@code DELETE /api/v1/tasks/{id}} on a task a v2 device holds publishes {@link
 * TaskCancelled} through the outbox (so the device is told), and on a v1 device's or a waiting task
 * does not; the task is CANCELLED at once either way, and shows the device's confirmation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskCancelIT {

  private static final String CLIENT = "it-client-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TENANT = "it-tenant-" + UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;

  private Queue cancelled;
  private final List<TaskCancelled> received = new ArrayList<>();

  @BeforeAll
  void bindATestQueue() {
    cancelled =
        QueueBuilder.nonDurable("it.task-cancelled." + UUID.randomUUID()).expires(600_000).build();
    amqp.declareQueue(cancelled);
    amqp.declareBinding(
        BindingBuilder.bind(cancelled)
            .to(new TopicExchange(NorthboundTopology.TASKS_EXCHANGE))
            .with(NorthboundTopology.TASK_CANCELLED_KEY));
  }

  @AfterAll
  void deleteTheTestQueue() {
    amqp.deleteQueue(cancelled.getName());
  }

  @Test
  void cancellingATaskAV2DeviceHoldsTellsTheDeviceAndShowsItsConfirmation() {
    ApiClient api = api();
    String device = device(api, 2);
    String id = lockedTask(api, device);

    Answer deleted = api.delete("/api/v1/tasks/" + id);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.text("status")).as("cancelled at once").isEqualTo("CANCELLED");
    assertThat(deleted.body().path("cancel_confirmed_at").isNull()).isTrue();
    assertThat(cancelledEvent(UUID.fromString(id), 10_000))
        .isEqualTo(new TaskCancelled(UUID.fromString(id), device));

    // What core-service writes when the device answers on dev/<SN>/cna.
    jdbc.sql(
            "UPDATE tasks SET cancel_confirmed_at = now(), cancel_outcome = 'stopped'"
                + " WHERE id = ?::uuid")
        .param(id)
        .update();
    Answer shown = api.get("/api/v1/tasks/" + id);
    assertThat(shown.body().path("cancel_confirmed_at").isNull()).isFalse();
    assertThat(shown.text("cancel_outcome")).isEqualTo("stopped");
  }

  @Test
  void aV1DeviceAndAWaitingTaskAreNotTold() {
    ApiClient api = api();
    String v1 = device(api, 1);
    String heldByV1 = lockedTask(api, v1);
    String v2 = device(api, 2);
    String waiting = task(api, v2);

    assertThat(api.delete("/api/v1/tasks/" + heldByV1).text("status")).isEqualTo("CANCELLED");
    assertThat(api.delete("/api/v1/tasks/" + waiting).text("status")).isEqualTo("CANCELLED");

    assertThat(cancelledEvent(UUID.fromString(heldByV1), 2_000)).isNull();
    assertThat(cancelledEvent(UUID.fromString(waiting), 500)).isNull();
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM outbox WHERE routing_key = 'task.cancelled'"
                        + " AND aggregate_id IN (?::uuid, ?::uuid)")
                .params(heldByV1, waiting)
                .query(Long.class)
                .single())
        .isZero();
  }

  private ApiClient api() {
    return ApiClient.local(
        port,
        TestTokens.shared().token(CLIENT, TENANT, "tasks:read", "tasks:write", "devices:admin"));
  }

  private String device(ApiClient api, int protocol) {
    String device = "it-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"" + device + "\"}").status()).isEqualTo(201);
    // What core-service records when the device declares its protocol on a req.
    jdbc.sql("UPDATE devices SET protocol_version = ? WHERE id = ?")
        .params(protocol, device)
        .update();
    return device;
  }

  private String task(ApiClient api, String device) {
    return api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"firmware.update\"}".formatted(device))
        .text("id");
  }

  /** A task of {@code device} as core-service leaves it when the device holds it. */
  private String lockedTask(ApiClient api, String device) {
    String id = task(api, device);
    jdbc.sql(
            "UPDATE tasks SET status = 'LOCKED', attempts = 1, locked_at = now(),"
                + " lease_expires_at = now() + interval '1 minute' WHERE id = ?::uuid")
        .param(id)
        .update();
    return id;
  }

  /** The {@link TaskCancelled} of {@code task} published within {@code millis}, or null. */
  private TaskCancelled cancelledEvent(UUID task, long millis) {
    long end = System.currentTimeMillis() + millis;
    while (true) {
      for (TaskCancelled event : received) {
        if (event.taskId().equals(task)) {
          return event;
        }
      }
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      Message message = rabbit.receive(cancelled.getName(), Math.min(left, 500));
      if (message != null) {
        received.add(json.readValue(message.getBody(), TaskCancelled.class));
      }
    }
  }
}
