package io.asyncrpc.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCreatedChannel;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies {@code iot.outbox.task-created=notify} against the real PostgreSQL and RabbitMQ: a new
 * task is announced by a notification of its creating transaction, with no outbox row and no broker
 * message; a rolled-back one is never announced; the sweeper notifies again what still waits.
 *
 * <p>The test listens on a connection of its own, as core-service does. The outbox exchange is one
 * of this test alone, so a broker message for its tasks would show in its queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class TaskCreatedNotifyIT {

  private static final String EXCHANGE = "it.task-created-notify." + UUID.randomUUID();
  private static final String QUEUE = "it.task-created-notify." + UUID.randomUUID();

  @DynamicPropertySource
  static void outbox(DynamicPropertyRegistry registry) {
    registry.add("iot.outbox.task-created", () -> "notify");
    registry.add("iot.outbox.exchange", () -> EXCHANGE);
    registry.add("iot.outbox.grace-period", () -> "200ms");
    registry.add("iot.outbox.relay-interval", () -> "300ms");
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired HikariDataSource dataSource;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;
  @Autowired TaskCreatedNotifier notifier;
  @Autowired TransactionTemplate transactions;

  ApiClient api;
  Connection listener;

  @BeforeEach
  void listen() throws SQLException {
    api =
        ApiClient.local(
            port,
            TestTokens.shared().token("it-notify", "it-notify", "tasks:write", "devices:admin"));
    TopicExchange exchange = new TopicExchange(EXCHANGE, true, false);
    Queue queue = QueueBuilder.nonDurable(QUEUE).expires(600_000).build();
    amqp.declareExchange(exchange);
    amqp.declareQueue(queue);
    amqp.declareBinding(
        BindingBuilder.bind(queue).to(exchange).with(NorthboundTopology.TASK_CREATED_KEY));
    listener =
        DriverManager.getConnection(
            dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
    try (Statement statement = listener.createStatement()) {
      statement.execute("LISTEN " + TaskCreatedChannel.CHANNEL);
    }
  }

  @AfterEach
  void cleanUp() throws SQLException {
    listener.close();
    amqp.deleteQueue(QUEUE);
    amqp.deleteExchange(EXCHANGE);
  }

  @Test
  void aCreatedTaskIsAnnouncedByItsTransactionsNotificationAlone() throws SQLException {
    String id = createTask(device(false));

    assertThat(notifiedUntil(UUID.fromString(id))).contains(UUID.fromString(id));
    assertThat(rabbit.receive(QUEUE, 500)).as("no broker message").isNull();
    assertThat(
            jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = ?::uuid")
                .param(id)
                .query(Long.class)
                .single())
        .as("no outbox row")
        .isZero();
  }

  @Test
  void aRolledBackTransactionAnnouncesNothing() throws SQLException {
    UUID rolledBack = UUID.randomUUID();
    UUID committed = UUID.randomUUID();

    transactions.executeWithoutResult(
        status -> {
          notifier.announce(List.of(rolledBack));
          status.setRollbackOnly();
        });
    transactions.executeWithoutResult(status -> notifier.announce(List.of(committed)));

    // Notifications arrive in commit order: once the committed one is here, the other never comes.
    assertThat(notifiedUntil(committed)).doesNotContain(rolledBack);
  }

  @Test
  void theSweeperNotifiesAgainWhatStillWaitsForAnOnlineDevice() throws SQLException {
    UUID id = UUID.fromString(createTask(device(true)));
    notifiedUntil(id);

    // Nobody triggered the device (no core listens here): after the grace period it is announced
    // once more.
    assertThat(notifiedUntil(id)).contains(id);
  }

  /** Ids of the notifications received up to the first that names {@code id}; fails after 30 s. */
  private List<UUID> notifiedUntil(UUID id) throws SQLException {
    List<UUID> seen = new ArrayList<>();
    PGConnection pg = listener.unwrap(PGConnection.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      PGNotification[] notifications = pg.getNotifications(500);
      for (PGNotification n : notifications == null ? new PGNotification[0] : notifications) {
        assertThat(n.getName()).isEqualTo(TaskCreatedChannel.CHANNEL);
        seen.addAll(TaskCreatedChannel.taskIds(n.getParameter()));
      }
      if (seen.contains(id)) {
        return seen;
      }
    }
    throw new AssertionError("no notification of task " + id + " within 30 s");
  }

  private String device(boolean online) {
    String device = "it-notify-" + UUID.randomUUID().toString().substring(0, 8);
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
    assertThat(created.status()).isEqualTo(202);
    return created.text("id");
  }
}
