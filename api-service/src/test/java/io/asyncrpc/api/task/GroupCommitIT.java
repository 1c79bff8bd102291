package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import javax.sql.DataSource;
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
 * Group commit of new tasks against the real PostgreSQL and RabbitMQ: many concurrent creates, each
 * answered with its own task once committed, and the per-request answers of a shared batch exactly
 * as a lone request gets them. A test can hold the writers in batches of their own (a row lock on a
 * device) while the next requests gather into one batch.
 */
// The outbox table (not the default): each batch's outbox rows are tested too.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "iot.outbox.task-created=table")
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupCommitIT {

  private static final String PROBLEM = "urn:iot-async-rpc:problem:";
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String TENANT = "gc-tenant-" + SUFFIX;
  private static final String[] SCOPES = {"tasks:read", "tasks:write", "devices:admin"};

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;
  @Autowired MeterRegistry meters;
  @Autowired GroupCommitProperties writers;

  private ApiClient api;
  private Queue taskCreated;
  private final List<String> devices = new ArrayList<>();

  @BeforeAll
  void registerDevicesAndBindAQueue() {
    api = ApiClient.local(port, TestTokens.shared().token("gc-client-" + SUFFIX, TENANT, SCOPES));
    for (int i = 0; i < 10; i++) {
      devices.add(register(api, "gc-" + SUFFIX + "-" + i));
    }
    taskCreated =
        QueueBuilder.nonDurable("it.group-commit." + UUID.randomUUID()).expires(600_000).build();
    amqp.declareQueue(taskCreated);
    amqp.declareBinding(
        BindingBuilder.bind(taskCreated)
            .to(new TopicExchange(NorthboundTopology.TASKS_EXCHANGE))
            .with(NorthboundTopology.TASK_CREATED_KEY));
  }

  @AfterAll
  void deleteTheQueue() {
    amqp.deleteQueue(taskCreated.getName());
  }

  @Test
  void twoHundredConcurrentCreatesAreEachCommittedAndAnsweredWithTheirOwnTask() throws Exception {
    int requests = 200;
    List<Supplier<Answer>> calls = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String body =
          """
          {"device_id":"%s","method_code":"gc.many","payload":{"n":%d},"external_id":"many-%s-%d"}"""
              .formatted(devices.get(i % devices.size()), i, SUFFIX, i);
      calls.add(() -> api.post("/api/v1/tasks", body));
    }

    List<Answer> responses = concurrently(calls);

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      Answer response = responses.get(i);
      assertThat(response.status()).as("request %d: %s", i, response.body()).isEqualTo(202);
      assertThat(response.text("external_id")).isEqualTo("many-" + SUFFIX + "-" + i);
      assertThat(response.body().path("payload").path("n").asInt()).isEqualTo(i);
      ids.add(response.text("id"));
      Map<String, Object> row =
          jdbc.sql("SELECT external_id, payload->>'n' AS n FROM tasks WHERE id = ?::uuid")
              .param(response.text("id"))
              .query()
              .singleRow();
      assertThat(row)
          .as("the row of the id answered is the request's own")
          .containsEntry("external_id", "many-" + SUFFIX + "-" + i)
          .containsEntry("n", Integer.toString(i));
    }
    assertThat(ids).hasSize(requests);
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id"
                        + " WHERE t.tenant = ? AND t.method_code = 'gc.many' AND e.cause = 'CREATED'")
                .param(TENANT)
                .query(Long.class)
                .single())
        .isEqualTo(requests);
    Set<String> published = new HashSet<>();
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (Message m = rabbit.receive(taskCreated.getName(), 200);
                  m != null;
                  m = rabbit.receive(taskCreated.getName(), 200)) {
                published.add(m.getMessageProperties().getMessageId());
              }
              return published.containsAll(ids);
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id::text IN (:ids)")
                            .param("ids", ids)
                            .query(Long.class)
                            .single())
                    .as("every outbox row deleted once its event was confirmed")
                    .isZero());
    assertThat(meters.get("iot.api.tasks.batch").summary().max())
        .as("concurrent creates shared transactions")
        .isGreaterThan(1);
  }

  @Test
  void eachRequestOfASharedBatchGetsTheAnswerItWouldGetAlone() throws Exception {
    String otherTenants =
        register(
            ApiClient.local(
                port, TestTokens.shared().token("gc-other", "gc-other-" + SUFFIX, SCOPES)),
            "gc-" + SUFFIX + "-foreign");
    String key = "gc-key-" + UUID.randomUUID();
    String valid = "{\"device_id\":\"%s\",\"method_code\":\"gc.mixed\"}";
    List<Supplier<Answer>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String device = devices.get(i);
      calls.add(() -> api.post("/api/v1/tasks", valid.formatted(device)));
    }
    calls.add(() -> api.post("/api/v1/tasks", valid.formatted("gc-" + SUFFIX + "-nobody")));
    calls.add(() -> api.post("/api/v1/tasks", valid.formatted(otherTenants)));
    for (int i = 0; i < 4; i++) {
      calls.add(
          () ->
              api.post(
                  "/api/v1/tasks",
                  valid.formatted(devices.get(9)),
                  Map.of("Idempotency-Key", key)));
    }

    List<Answer> responses = whileTheWritersAreHeld(calls);

    assertThat(responses.subList(0, 5)).extracting(Answer::status).containsOnly(202);
    for (Answer refused : responses.subList(5, 7)) {
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.problemType()).isEqualTo(PROBLEM + "device-not-registered");
    }
    List<Answer> sameKey = responses.subList(7, 11);
    assertThat(sameKey).extracting(Answer::status).containsOnly(202);
    assertThat(sameKey).extracting(r -> r.text("id")).containsOnly(sameKey.getFirst().text("id"));
    assertThat(sameKey)
        .filteredOn(r -> r.header("Idempotent-Replayed") == null)
        .as("one created it, the others are replays")
        .hasSize(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM tasks WHERE tenant = ? AND method_code = 'gc.mixed'")
                .param(TENANT)
                .query(Long.class)
                .single())
        .isEqualTo(6);
    assertThat(
            jdbc.sql("SELECT count(*) FROM tasks WHERE device_id = ?")
                .param(otherTenants)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void aBatchThatOneRequestFailsIsWrittenAgainOneRequestAtATime() throws Exception {
    // A constraint only this test's requests can violate: the batch fails as a whole, then each
    // request is written alone, and only the poisoned one fails.
    jdbc.sql(
            "ALTER TABLE tasks ADD CONSTRAINT it_group_commit_poison"
                + " CHECK (method_code <> 'gc.poison-"
                + SUFFIX
                + "') NOT VALID")
        .update();
    try {
      List<Supplier<Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String method = i == 6 ? "gc.poison-" + SUFFIX : "gc.healthy";
        String body =
            "{\"device_id\":\"%s\",\"method_code\":\"%s\",\"external_id\":\"poison-%s-%d\"}"
                .formatted(devices.get(i % devices.size()), method, SUFFIX, i);
        calls.add(() -> api.post("/api/v1/tasks", body));
      }

      List<Answer> responses = whileTheWritersAreHeld(calls);

      for (int i = 0; i < responses.size(); i++) {
        if (i == 6) {
          assertThat(responses.get(i).status()).isEqualTo(500);
          assertThat(responses.get(i).problemType()).isEqualTo(PROBLEM + "internal-error");
        } else {
          assertThat(responses.get(i).status()).as("request %d", i).isEqualTo(202);
          assertThat(responses.get(i).text("external_id")).isEqualTo("poison-" + SUFFIX + "-" + i);
        }
      }
      assertThat(
              jdbc.sql("SELECT count(*) FROM tasks WHERE external_id LIKE ?")
                  .param("poison-" + SUFFIX + "-%")
                  .query(Long.class)
                  .single())
          .isEqualTo(11);
    } finally {
      jdbc.sql("ALTER TABLE tasks DROP CONSTRAINT it_group_commit_poison").update();
    }
  }

  /**
   * Runs {@code calls} concurrently while every writer is held in a batch of its own (a task for a
   * device whose row this test locks, so the insert's foreign-key check waits); once they all wait
   * in the queue, one writer is let go, and it writes them as one batch.
   */
  private List<Answer> whileTheWritersAreHeld(List<Supplier<Answer>> calls) throws Exception {
    List<Connection> locks = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Answer>> held = new ArrayList<>();
      for (int w = 0; w < writers.writers(); w++) {
        String device = register(api, "gc-" + UUID.randomUUID().toString().substring(0, 13));
        Connection lock = dataSource.getConnection();
        locks.add(lock);
        int holder = lockDevice(lock, device);
        String body = "{\"device_id\":\"%s\",\"method_code\":\"gc.held\"}".formatted(device);
        held.add(pool.submit(() -> api.post("/api/v1/tasks", body)));
        await()
            .atMost(Duration.ofSeconds(10))
            .alias("a writer waits for the row lock of " + device)
            .until(() -> blockedBy(holder) == 1);
      }
      List<Future<Answer>> futures = new ArrayList<>();
      for (Supplier<Answer> call : calls) {
        futures.add(pool.submit(call::get));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> waiting() == calls.size());
      locks.getFirst().rollback();
      List<Answer> responses = new ArrayList<>();
      for (Future<Answer> f : futures) {
        responses.add(f.get());
      }
      for (Connection lock : locks) {
        lock.rollback();
      }
      for (Future<Answer> f : held) {
        assertThat(f.get().status()).isEqualTo(202);
      }
      return responses;
    } finally {
      for (Connection lock : locks) {
        lock.close();
      }
    }
  }

  /** Locks the device's row in a transaction of {@code lock}; returns that backend's pid. */
  private static int lockDevice(Connection lock, String device) throws SQLException {
    lock.setAutoCommit(false);
    try (PreparedStatement s =
        lock.prepareStatement("SELECT pg_backend_pid() FROM devices WHERE id = ? FOR UPDATE")) {
      s.setString(1, device);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getInt(1);
      }
    }
  }

  private long blockedBy(int pid) {
    return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")
        .param(pid)
        .query(Long.class)
        .single();
  }

  private double waiting() {
    return meters.get("iot.api.tasks.waiting").gauge().value();
  }

  private static List<Answer> concurrently(List<Supplier<Answer>> calls) throws Exception {
    List<Answer> responses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Answer>> futures = new ArrayList<>();
      for (Supplier<Answer> call : calls) {
        futures.add(pool.submit(call::get));
      }
      for (Future<Answer> f : futures) {
        responses.add(f.get());
      }
    }
    return responses;
  }

  private static String register(ApiClient client, String id) {
    assertThat(client.post("/api/v1/devices", "{\"id\":\"" + id + "\"}").status()).isEqualTo(201);
    return id;
  }
}
