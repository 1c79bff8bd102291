package io.asyncrpc.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
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
 * Verifies that a task-created event survives a real broker fault: while the exchange is missing
 * every publication fails and the outbox row stays (attempts grow); once the exchange is back, the
 * relay delivers the event and deletes the row.
 *
 * <p>The fault is injected on an exchange of this test alone (the outbox exchange is configurable),
 * so deleting it does not disturb other tests sharing the broker's {@code iot.tasks}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class OutboxRecoveryIT {

  private static final String EXCHANGE = "it.outbox-recovery." + UUID.randomUUID();
  private static final String QUEUE = "it.outbox-recovery." + UUID.randomUUID();

  @DynamicPropertySource
  static void outbox(DynamicPropertyRegistry registry) {
    registry.add("iot.outbox.exchange", () -> EXCHANGE);
    // The table's relay is what this tests (TaskCreatedSweepIT tests the default, the sweep).
    registry.add("iot.outbox.task-created", () -> "table");
    registry.add("iot.outbox.grace-period", () -> "200ms");
    registry.add("iot.outbox.relay-interval", () -> "300ms");
  }

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;

  @AfterEach
  void cleanUp() {
    amqp.deleteQueue(QUEUE);
    amqp.deleteExchange(EXCHANGE);
  }

  @Test
  void relayDeliversWhatTheBrokerRefusedOnceItRecovers() {
    ApiClient api =
        ApiClient.local(
            port,
            TestTokens.shared().token("it-outbox", "it-outbox", "tasks:write", "devices:admin"));
    String device = "it-outbox-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
    // The broker fault: the exchange the outbox publishes to is gone.
    assertThat(amqp.deleteExchange(EXCHANGE)).isTrue();

    Answer created =
        api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"m\"}".formatted(device),
            Map.of());

    assertThat(created.status()).as("a broker fault does not fail the request").isEqualTo(202);
    String id = created.text("id");
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Map<String, Object> row = outboxRow(id);
              assertThat(row).isNotNull();
              assertThat((Integer) row.get("attempts")).isGreaterThanOrEqualTo(2);
              assertThat((String) row.get("last_error")).isNotBlank();
            });

    // The broker recovers: exchange back, with a queue bound to it.
    TopicExchange exchange = new TopicExchange(EXCHANGE, true, false);
    Queue queue = QueueBuilder.nonDurable(QUEUE).expires(600_000).build();
    amqp.declareExchange(exchange);
    amqp.declareQueue(queue);
    amqp.declareBinding(
        BindingBuilder.bind(queue).to(exchange).with(NorthboundTopology.TASK_CREATED_KEY));

    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(outboxRow(id)).as("row deleted after ack").isNull());
    Message message = rabbit.receive(QUEUE, 5_000);
    assertThat(message).isNotNull();
    assertThat(message.getMessageProperties().getMessageId()).isEqualTo(id);
    assertThat(json.readTree(message.getBody()).path("task_id").asString()).isEqualTo(id);
  }

  private Map<String, Object> outboxRow(String taskId) {
    return jdbc
        .sql("SELECT attempts, last_error FROM outbox WHERE aggregate_id = ?::uuid")
        .param(taskId)
        .query()
        .listOfRows()
        .stream()
        .findFirst()
        .orElse(null);
  }
}
