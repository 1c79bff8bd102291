package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The task resource against the real PostgreSQL and RabbitMQ. */
// The outbox table (not the default): the create's outbox row and its deletion on ack are tested.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "iot.outbox.task-created=table")
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskApiIT {

  private static final String PROBLEM = "urn:iot-async-rpc:problem:";
  private static final String CLIENT = "it-client-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TENANT = "it-tenant-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String[] ALL_SCOPES = {"tasks:read", "tasks:write", "devices:admin"};

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;

  private ApiClient api;
  private Queue taskCreated;
  private String device;

  @BeforeAll
  void bindATestQueue() {
    // Not auto-delete: each receive() is a short-lived consumer. x-expires cleans up after a crash.
    taskCreated =
        QueueBuilder.nonDurable("it.task-created." + UUID.randomUUID()).expires(600_000).build();
    amqp.declareQueue(taskCreated);
    amqp.declareBinding(
        BindingBuilder.bind(taskCreated)
            .to(new TopicExchange(NorthboundTopology.TASKS_EXCHANGE))
            .with(NorthboundTopology.TASK_CREATED_KEY));
  }

  @AfterAll
  void deleteTheTestQueue() {
    amqp.deleteQueue(taskCreated.getName());
  }

  @BeforeEach
  void registerADevice() {
    api = ApiClient.local(port, TestTokens.shared().token(CLIENT, TENANT, ALL_SCOPES));
    device = "it-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"" + device + "\"}").status()).isEqualTo(201);
  }

  @Test
  void createCommitsTaskEventAndOutboxRowThenPublishesTaskCreated() {
    Answer created =
        api.post(
            "/api/v1/tasks",
            """
            {"device_id":"%s","method_code":"relay.switch","priority":5,"ttl":600,
             "payload":{"channel":1,"on":true},"external_id":"order-42"}"""
                .formatted(device));

    assertThat(created.status()).isEqualTo(202);
    String id = created.text("id");
    assertThat(created.location()).hasToString("/api/v1/tasks/" + id);
    assertThat(created.body().path("status").asString()).isEqualTo("QUEUED");
    assertThat(created.body().path("priority").asInt()).isEqualTo(5);
    assertThat(created.body().path("payload").path("on").asBoolean()).isTrue();
    assertThat(created.body().has("result")).as("absent values are null, not omitted").isTrue();
    assertThat(
            Duration.between(
                Instant.parse(created.text("created_at")),
                Instant.parse(created.text("deadline_at"))))
        .isEqualTo(Duration.ofSeconds(600));

    Map<String, Object> row =
        jdbc.sql(
                "SELECT device_id, client_id, status, priority, payload->>'channel' AS channel,"
                    + " jsonb_typeof(payload) AS kind FROM tasks WHERE id = ?::uuid")
            .param(id)
            .query()
            .singleRow();
    assertThat(row)
        .containsEntry("device_id", device)
        .containsEntry("client_id", CLIENT)
        .containsEntry("status", "QUEUED")
        .containsEntry("channel", "1")
        .containsEntry("kind", "object");
    Map<String, Object> event =
        jdbc.sql("SELECT * FROM task_events WHERE task_id = ?::uuid").param(id).query().singleRow();
    assertThat(event)
        .containsEntry("from_status", null)
        .containsEntry("to_status", "QUEUED")
        .containsEntry("cause", "CREATED")
        .containsEntry("actor", "api")
        .containsEntry("attempt", 0);

    Message message = awaitTaskCreated(id);
    assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
    assertThat(message.getMessageProperties().getReceivedDeliveryMode())
        .isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(message.getMessageProperties().getType()).isEqualTo("TaskCreated");
    JsonNode body = json.readTree(message.getBody());
    assertThat(body.path("task_id").asString()).isEqualTo(id);
    assertThat(body.path("device_id").asString()).isEqualTo(device);
    assertThat(body.path("method_code").asString()).isEqualTo("relay.switch");
    assertThat(body.path("priority").asInt()).isEqualTo(5);
    assertThat(Instant.parse(body.path("deadline").asString()))
        .isEqualTo(Instant.parse(created.text("deadline_at")));
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(outboxRows(id)).as("outbox row deleted on ack").isZero());
  }

  @Test
  void appliesDefaults() {
    Answer created =
        api.post(
            "/api/v1/tasks", "{\"device_id\":\"%s\",\"method_code\":\"ping\"}".formatted(device));

    assertThat(created.status()).isEqualTo(202);
    assertThat(created.body().path("priority").asInt()).isZero();
    assertThat(created.body().path("payload").isObject()).isTrue();
    assertThat(created.body().path("payload").isEmpty()).isTrue();
    assertThat(created.body().path("external_id").isNull()).isTrue();
    assertThat(
            Duration.between(
                Instant.parse(created.text("created_at")),
                Instant.parse(created.text("deadline_at"))))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void getReturnsWhatCreateReturned() {
    Answer created = createTask("a", Map.of());

    Answer fetched = api.get("/api/v1/tasks/" + created.text("id"));

    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(created.body());
  }

  @Test
  void retryWithTheSameIdempotencyKeyReturnsTheSameTask() {
    String key = "key-" + UUID.randomUUID();
    Answer first = createTask("same", Map.of("Idempotency-Key", key));
    Answer second = createTask("same", Map.of("Idempotency-Key", key));

    assertThat(second.status()).isEqualTo(202);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(second.location()).isEqualTo(first.location());
    assertThat(tasksOf(device)).isEqualTo(1);
  }

  @Test
  void reusingAnIdempotencyKeyForAnotherRequestIsAConflict() {
    String key = "key-" + UUID.randomUUID();
    createTask("first", Map.of("Idempotency-Key", key));

    Answer other =
        api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"test.second\"}".formatted(device),
            Map.of("Idempotency-Key", key));

    assertThat(other.status()).isEqualTo(409);
    assertThat(other.problemType()).isEqualTo(PROBLEM + "idempotency-key-reused");
    assertThat(tasksOf(device)).isEqualTo(1);
  }

  @Test
  void concurrentDuplicatesCreateOneTask() throws Exception {
    String key = "key-" + UUID.randomUUID();
    int clients = 8;
    List<Callable<Answer>> calls = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      calls.add(() -> createTask("race", Map.of("Idempotency-Key", key)));
    }
    List<Answer> responses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      for (Future<Answer> f : pool.invokeAll(calls)) {
        responses.add(f.get());
      }
    }

    assertThat(responses).extracting(Answer::status).containsOnly(202);
    Set<String> ids = new HashSet<>();
    responses.forEach(r -> ids.add(r.text("id")));
    assertThat(ids).hasSize(1);
    assertThat(responses).filteredOn(r -> r.header("Idempotent-Replayed") == null).hasSize(1);
    assertThat(tasksOf(device)).isEqualTo(1);
    assertThat(eventsOf(device)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown field        | {"device_id":"DEV","method_code":"m","colour":1}  | 400 | unknown-field
          wrong type           | {"device_id":"DEV","method_code":"m","ttl":"1h"}  | 400 | invalid-type
          malformed json       | {"device_id":"DEV",                               | 400 | malformed-json
          ttl zero             | {"device_id":"DEV","method_code":"m","ttl":0}     | 400 | validation-failed
          ttl too large        | {"device_id":"DEV","method_code":"m","ttl":604801}| 400 | validation-failed
          priority too high    | {"device_id":"DEV","method_code":"m","priority":10}| 400 | validation-failed
          priority negative    | {"device_id":"DEV","method_code":"m","priority":-1}| 400 | validation-failed
          bad method code      | {"device_id":"DEV","method_code":"a/b"}           | 400 | validation-failed
          external id too long | {"device_id":"DEV","method_code":"m","external_id":"LONG"} | 400 | validation-failed
          """)
  void badInputIsRefusedAndChangesNothing(String name, String body, int status, String slug) {
    String request = body.replace("DEV", device).replace("LONG", "x".repeat(129));
    long outboxBefore = allOutboxRows();

    Answer response = api.post("/api/v1/tasks", request);

    assertThat(response.status()).isEqualTo(status);
    assertThat(response.problemType()).isEqualTo(PROBLEM + slug);
    assertThat(response.contentType()).hasToString("application/problem+json");
    assertThat(response.body().has("detail")).isTrue();
    assertThat(tasksOf(device)).isZero();
    assertThat(allOutboxRows()).isLessThanOrEqualTo(outboxBefore);
  }

  /** Verifies that a detail names the field as sent and what it must be, never a Java type. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          priority beyond an int | {"device_id":"DEV","method_code":"m","priority":99999999999} | field 'priority' must be an integer between 0 and 9
          ttl beyond a long      | {"device_id":"DEV","method_code":"m","ttl":99999999999999999999} | field 'ttl' must be an integer between 1 and 604800
          ttl as text            | {"device_id":"DEV","method_code":"m","ttl":"1h"}            | field 'ttl' must be an integer between 1 and 604800
          online only as number  | {"device_id":"DEV","method_code":"m","online_only":1}       | field 'online_only' must be true or false
          an array               | []                                                          | the request body must be a JSON object
          a string               | "task"                                                      | the request body must be a JSON object
          """)
  void aDetailSaysInTheApisWordsWhatIsWrong(String name, String body, String detail) {
    Answer response = api.post("/api/v1/tasks", body.replace("DEV", device));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text("detail")).isEqualTo(detail);
    assertThat(tasksOf(device)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "text/plain, device_id=DEV",
    "application/yaml, 'device_id: DEV\nmethod_code: m\n'",
    "application/xml, <task><device_id>DEV</device_id></task>",
    "application/x-www-form-urlencoded, device_id=DEV&method_code=m"
  })
  void aBodyInAnotherFormatIsUnsupportedNamingJsonAndChangesNothing(String type, String body) {
    Answer response =
        api.post("/api/v1/tasks", body.replace("DEV", device), Map.of("Content-Type", type));

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "unsupported-media-type");
    assertThat(response.text("detail"))
        .isEqualTo("Content-Type '" + type + "' is not supported here; send application/json");
    assertThat(tasksOf(device)).isZero();
  }

  @Test
  void aPayloadOverTheLimitIsRefusedAndChangesNothing() {
    String blob = "x".repeat(ProtocolLimits.MAX_PAYLOAD_BYTES);
    Answer response =
        api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"m\",\"payload\":\"%s\"}"
                .formatted(device, blob));

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "payload-too-large");
    assertThat(tasksOf(device)).isZero();
  }

  @Test
  void aRequestOverTheSizeLimitIsRefusedAndChangesNothing() {
    String blob = "x".repeat(300 * 1024);
    Answer response =
        api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"m\",\"payload\":\"%s\"}"
                .formatted(device, blob));

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "request-too-large");
    assertThat(tasksOf(device)).isZero();
  }

  @Test
  void aTaskForAnUnregisteredDeviceIsRefusedAndChangesNothing() {
    String stranger = "it-unknown-" + UUID.randomUUID().toString().substring(0, 8);

    Answer response =
        api.post(
            "/api/v1/tasks", "{\"device_id\":\"%s\",\"method_code\":\"m\"}".formatted(stranger));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "device-not-registered");
    assertThat(tasksOf(stranger)).isZero();
    assertThat(
            jdbc.sql("SELECT count(*) FROM devices WHERE id = ?")
                .param(stranger)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void aMalformedDeviceIdIsRefused() {
    Answer response = api.post("/api/v1/tasks", "{\"device_id\":\"dev.1\",\"method_code\":\"m\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().path("errors").get(0).path("field").asString())
        .isEqualTo("device_id");
  }

  @Test
  void unknownAndMalformedTaskIds() {
    UUID unknown = UUID.randomUUID();

    assertThat(api.get("/api/v1/tasks/" + unknown).problemType())
        .isEqualTo(PROBLEM + "task-not-found");
    assertThat(api.get("/api/v1/tasks/" + unknown).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/tasks/" + unknown + "/events").status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/tasks/" + unknown).status()).isEqualTo(404);
    Answer malformed = api.get("/api/v1/tasks/12345");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.problemType()).isEqualTo(PROBLEM + "invalid-parameter");
  }

  @Test
  void cancelFinishesAWaitingTaskOnceAndRecordsIt() {
    String id = createTask("c", Map.of()).text("id");

    Answer cancelled = api.delete("/api/v1/tasks/" + id);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.body().path("finished_at").isNull()).isFalse();
    Answer events = api.get("/api/v1/tasks/" + id + "/events");
    assertThat(events.status()).isEqualTo(200);
    assertThat(events.body().size()).isEqualTo(2);
    JsonNode last = events.body().get(1);
    assertThat(last.path("from_status").asString()).isEqualTo("QUEUED");
    assertThat(last.path("to_status").asString()).isEqualTo("CANCELLED");
    assertThat(last.path("cause").asString()).isEqualTo("CANCELLED");
    assertThat(last.path("actor").asString()).isEqualTo("api");
    assertThat(events.body().get(0).path("from_status").isNull()).isTrue();
    assertThat(events.body().get(0).path("cause").asString()).isEqualTo("CREATED");

    Answer again = api.delete("/api/v1/tasks/" + id);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problemType()).isEqualTo(PROBLEM + "task-finished");
    assertThat(api.get("/api/v1/tasks/" + id + "/events").body().size()).isEqualTo(2);
  }

  @Test
  void cancelTakesALockedTask() {
    String id = createTask("l", Map.of()).text("id");
    jdbc.sql(
            "UPDATE tasks SET status = 'LOCKED', attempts = 1, locked_at = now(),"
                + " lease_expires_at = now() + interval '1 minute' WHERE id = ?::uuid")
        .param(id)
        .update();

    Answer cancelled = api.delete("/api/v1/tasks/" + id);

    assertThat(cancelled.status()).isEqualTo(200);
    JsonNode last = api.get("/api/v1/tasks/" + id + "/events").body().get(1);
    assertThat(last.path("from_status").asString()).isEqualTo("LOCKED");
    assertThat(last.path("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void cancelLeavesAFinishedTaskAsItIs() {
    String id = createTask("d", Map.of()).text("id");
    jdbc.sql(
            "UPDATE tasks SET status = 'DONE', finished_at = now(), status_code = 200,"
                + " result = '{\"ok\":true}' WHERE id = ?::uuid")
        .param(id)
        .update();

    Answer response = api.delete("/api/v1/tasks/" + id);

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "task-finished");
    Answer task = api.get("/api/v1/tasks/" + id);
    assertThat(task.text("status")).isEqualTo("DONE");
    assertThat(task.body().path("status_code").asInt()).isEqualTo(200);
    assertThat(task.body().path("result").path("ok").asBoolean()).isTrue();
  }

  @Test
  void listsNewestFirstWithCursorPagingAndFilters() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(createTask("p" + i, Map.of()).text("id"));
    }
    List<String> newestFirst = ids.reversed();

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Answer page =
          api.get(
              "/api/v1/tasks?device_id="
                  + device
                  + "&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      page.body().path("items").forEach(item -> seen.add(item.path("id").asString()));
      cursor = page.body().path("next_cursor").isNull() ? null : page.text("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(newestFirst);

    Answer byExternalId = api.get("/api/v1/tasks?external_id=ext-p3-" + device);
    assertThat(byExternalId.body().path("items").size()).isEqualTo(1);
    assertThat(byExternalId.body().path("items").get(0).path("id").asString())
        .isEqualTo(ids.get(3));

    api.delete("/api/v1/tasks/" + ids.get(1));
    Answer cancelled = api.get("/api/v1/tasks?status=CANCELLED&device_id=" + device);
    assertThat(cancelled.body().path("items").size()).isEqualTo(1);
    assertThat(cancelled.body().path("items").get(0).path("id").asString()).isEqualTo(ids.get(1));
    Answer queued = api.get("/api/v1/tasks?status=QUEUED&device_id=" + device);
    assertThat(queued.body().path("items").size()).isEqualTo(4);
  }

  @Test
  void aRepeatedOrCommaSeparatedStatusIsAnyOfThem() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(createTask("s" + i, Map.of()).text("id"));
    }
    api.delete("/api/v1/tasks/" + ids.get(0));
    String mine = "/api/v1/tasks?device_id=" + device;

    assertThat(idsOf(api.get(mine + "&status=CANCELLED&status=QUEUED")))
        .containsExactlyElementsOf(ids.reversed());
    assertThat(idsOf(api.get(mine + "&status=QUEUED,CANCELLED")))
        .containsExactlyElementsOf(ids.reversed());
    assertThat(idsOf(api.get(mine + "&status=CANCELLED&status=DONE"))).containsExactly(ids.get(0));
    assertThat(idsOf(api.get(mine + "&status=DONE&status=FAILED"))).isEmpty();
    Answer unknown = api.get(mine + "&status=QUEUED&status=WAITING");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.text("detail"))
        .isEqualTo(
            "parameter 'status' must be one of QUEUED, PENDING, LOCKED, DONE, FAILED, EXPIRED,"
                + " TIMED_OUT, CANCELLED, UNREACHABLE; 'WAITING' is none of them");
  }

  private static List<String> idsOf(Answer page) {
    assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    page.body().path("items").forEach(item -> ids.add(item.path("id").asString()));
    return ids;
  }

  @ParameterizedTest
  @CsvSource({"status=WAITING", "limit=0", "limit=500", "cursor=bm9wZQ"})
  void badListParametersAreRefused(String query) {
    Answer response = api.get("/api/v1/tasks?" + query);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problemType()).isEqualTo(PROBLEM + "invalid-parameter");
  }

  private Answer createTask(String tag, Map<String, String> headers) {
    Answer response =
        api.post(
            "/api/v1/tasks",
            """
            {"device_id":"%s","method_code":"test.%s","payload":{"tag":"%s"},"external_id":"ext-%s-%s"}"""
                .formatted(device, tag, tag, tag, device),
            headers);
    assertThat(response.status()).as("create %s: %s", tag, response.body()).isEqualTo(202);
    return response;
  }

  private Message awaitTaskCreated(String taskId) {
    List<Message> found = new ArrayList<>();
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              Message m = rabbit.receive(taskCreated.getName(), 500);
              if (m != null && taskId.equals(m.getMessageProperties().getMessageId())) {
                found.add(m);
              }
              return !found.isEmpty();
            });
    return found.getFirst();
  }

  private long tasksOf(String deviceId) {
    return jdbc.sql("SELECT count(*) FROM tasks WHERE device_id = ?")
        .param(deviceId)
        .query(Long.class)
        .single();
  }

  private long eventsOf(String deviceId) {
    return jdbc.sql(
            "SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE t.device_id = ?")
        .param(deviceId)
        .query(Long.class)
        .single();
  }

  private long outboxRows(String taskId) {
    return jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = ?::uuid")
        .param(taskId)
        .query(Long.class)
        .single();
  }

  private long allOutboxRows() {
    return jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single();
  }
}
