package io.asyncrpc.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies {@code iot.outbox.task-created=sweep} against the real PostgreSQL and RabbitMQ: a task
 * is announced with no outbox row; while the exchange is missing (a real broker fault: every
 * publication fails) the task is still committed and answered 202, and once the exchange is back
 * the sweeper announces it.
 *
 * <p>The fault is injected on an exchange of this test alone, as in {@link OutboxRecoveryIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class TaskCreatedSweepIT {

  private static final String EXCHANGE = "it.task-created-sweep." + UUID.randomUUID();
  private static final String QUEUE = "it.task-created-sweep." + UUID.randomUUID();

  @DynamicPropertySource
  static void outbox(DynamicPropertyRegistry registry) {
    registry.add("iot.outbox.task-created", () -> "sweep");
    registry.add("iot.outbox.exchange", () -> EXCHANGE);
    registry.add("iot.outbox.grace-period", () -> "200ms");
    registry.add("iot.outbox.relay-interval", () -> "300ms");
    registry.add("iot.outbox.confirm-timeout", () -> "2s");
  }

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;
  @Autowired MeterRegistry meters;

  ApiClient api;

  @BeforeEach
  void client() {
    api =
        ApiClient.local(
            port,
            TestTokens.shared().token("it-sweep", "it-sweep", "tasks:write", "devices:admin"));
  }

  @AfterEach
  void cleanUp() {
    amqp.deleteQueue(QUEUE);
    amqp.deleteExchange(EXCHANGE);
  }

  @Test
  void announcesACreatedTaskWithoutAnOutboxRow() {
    declareExchangeAndQueue();
    String device = device(false);

    String id = createTask(device);

    Message message = receive(id);
    assertThat(message.getMessageProperties().getType()).isEqualTo("TaskCreated");
    assertThat(json.readTree(message.getBody()).path("task_id").asString()).isEqualTo(id);
    assertThat(outboxRows(id)).as("no outbox row is written").isZero();
  }

  @Test
  void sweeperAnnouncesWhatTheBrokerRefusedOnceItRecovers() {
    // Online, as the core records a connected device: the sweeper re-announces only to those.
    String device = device(true);
    // The broker fault: the exchange the events go to is gone.
    amqp.deleteExchange(EXCHANGE);
    double failedBefore = failed();

    String id = createTask(device);

    assertThat(taskStatus(id)).as("committed before the 202").isEqualTo("QUEUED");
    assertThat(outboxRows(id)).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(failed()).as("the refusal is counted").isGreaterThan(failedBefore));

    // The broker recovers: exchange back, with a queue bound to it.
    declareExchangeAndQueue();

    Message message = receive(id);
    assertThat(json.readTree(message.getBody()).path("device_id").asString()).isEqualTo(device);
    assertThat(meters.counter("iot.outbox.published", "path", "sweep").count()).isPositive();
  }

  private String device(boolean online) {
    String device = "it-sweep-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
    jdbc.sql("UPDATE devices SET online = ? WHERE id = ?").params(online, device).update();
    return device;
  }

  private String createTask(String device) {
    Answer created =
        api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"m\"}".formatted(device),
            Map.of());
    assertThat(created.status()).as("a broker fault does not fail the request").isEqualTo(202);
    return created.text("id");
  }

  /**
   * The event of task {@code id}; the queue may hold others first (the sweeper re-announces, once,
   * the tasks of earlier runs that are still waiting for their online device).
   */
  private Message receive(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(QUEUE, 1_000);
      if (message != null && id.equals(message.getMessageProperties().getMessageId())) {
        return message;
      }
    }
    throw new AssertionError("no task.created for task " + id + " within 30 s");
  }

  private void declareExchangeAndQueue() {
    TopicExchange exchange = new TopicExchange(EXCHANGE, true, false);
    Queue queue = QueueBuilder.nonDurable(QUEUE).expires(600_000).build();
    amqp.declareExchange(exchange);
    amqp.declareQueue(queue);
    amqp.declareBinding(
        BindingBuilder.bind(queue).to(exchange).with(NorthboundTopology.TASK_CREATED_KEY));
  }

  private double failed() {
    return meters.counter("iot.outbox.failed", "path", "immediate").count();
  }

  private String taskStatus(String id) {
    return jdbc.sql("SELECT status FROM tasks WHERE id = ?::uuid")
        .param(id)
        .query(String.class)
        .single();
  }

  private long outboxRows(String id) {
    return jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = ?::uuid")
        .param(id)
        .query(Long.class)
        .single();
  }
}
