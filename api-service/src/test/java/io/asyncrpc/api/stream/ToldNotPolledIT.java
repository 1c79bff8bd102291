package io.asyncrpc.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.ServerSentEvents;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Waiting requests and the event stream against the real PostgreSQL: a task is finished the way
 * core-service finishes it (an UPDATE of its row, whose trigger writes the event), and the API
 * tells callers that wait, stream or page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class ToldNotPolledIT {

  /** Far beyond the feed's latency, far below the waits asked for: a missed wake-up fails. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private String tenant;
  private ApiClient api;
  private String device;

  @BeforeEach
  void device() {
    tenant = "it-told-" + UUID.randomUUID().toString().substring(0, 8);
    api =
        ApiClient.local(
            port,
            TestTokens.shared().token("it-client", tenant, "tasks:read tasks:write devices:admin"));
    device = "it-told-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device)).status())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    later.shutdownNow();
  }

  @Test
  void aWaitingGetAnswersWhenTheTaskFinishes() {
    UUID task = create();
    later.schedule(() -> finish(task), 300, TimeUnit.MILLISECONDS);

    Answer answer = api.get("/api/v1/tasks/" + task + "?wait=60");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("status")).isEqualTo("DONE");
    assertThat(answer.body().path("result").path("ok").asBoolean()).isTrue();
  }

  @Test
  void aWaitThatEndsFirstAnswersTheStateThen() {
    UUID task = create();

    Answer answer = api.get("/api/v1/tasks/" + task + "?wait=1");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text("status")).isEqualTo("QUEUED");
  }

  @Test
  void aFinishedTaskIsAnsweredAtOnceAndAnUnknownOneIs404() {
    UUID task = create();
    finish(task);

    assertThat(api.get("/api/v1/tasks/" + task + "?wait=60").text("status")).isEqualTo("DONE");
    assertThat(api.get("/api/v1/tasks/" + UUID.randomUUID() + "?wait=1").status()).isEqualTo(404);
  }

  @Test
  void waitsOutOfRangeAreRefused() {
    UUID task = create();
    for (String wait : List.of("61", "-1", "abc", "")) {
      Answer answer = api.get("/api/v1/tasks/" + task + "?wait=" + wait);
      assertThat(answer.status()).as(wait).isEqualTo(400);
      assertThat(answer.problemType()).isEqualTo("urn:iot-async-rpc:problem:invalid-parameter");
    }
  }

  @Test
  void preferWaitAnswers200WhenTheTaskFinishesInTime() throws Exception {
    CompletableFuture<Void> finisher = CompletableFuture.runAsync(this::finishTheNextTask);

    Answer answer =
        api.post("/api/v1/tasks", taskBody(), Map.of("Prefer", "respond-async, wait=60"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=60");
    assertThat(answer.text("status")).isEqualTo("DONE");
    finisher.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void preferWaitAnswers202WhenTheTaskIsStillRunning() {
    Answer answer = api.post("/api/v1/tasks", taskBody(), Map.of("Prefer", "wait=1"));

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.header("Preference-Applied")).isNull();
    assertThat(answer.text("status")).isEqualTo("QUEUED");
  }

  @Test
  void theStreamTellsEventsAndResumesAfterADroppedConnectionWithNoGapNoDuplicate()
      throws Exception {
    UUID first = create();
    UUID second = create();
    UUID third = create();
    List<String> seen = new ArrayList<>();
    String lastId;
    try (ServerSentEvents stream = open(null)) {
      later.schedule(
          () -> finish(first, "{\"note\": \"Türschloss offen 🔓\"}"), 300, TimeUnit.MILLISECONDS);
      ServerSentEvents.Event event = stream.next(PATIENCE);
      assertThat(event.name()).isEqualTo("task.finished");
      JsonNode data = json.readTree(event.data());
      // The stream writes the event exactly as the JSON form renders it, UTF-8 intact.
      assertThat(data.path("data").path("result").path("note").asString())
          .isEqualTo("Türschloss offen 🔓");
      assertThat(data)
          .isEqualTo(api.get("/api/v1/events?task_id=" + first).body().path("items").get(0));
      assertThat(data.path("id").asString()).isEqualTo(event.id());
      assertThat(data.path("type").asString()).isEqualTo("task.finished");
      assertThat(data.path("data").path("id").asString()).isEqualTo(first.toString());
      assertThat(data.path("data").path("status").asString()).isEqualTo("DONE");
      seen.add(data.path("data").path("id").asString());
      lastId = event.id();
    } // the connection drops here

    finish(second);
    finish(third);
    try (ServerSentEvents resumed = open(lastId)) {
      for (int i = 0; i < 2; i++) {
        seen.add(json.readTree(resumed.next(PATIENCE).data()).path("data").path("id").asString());
      }
      UUID fourth = create();
      later.schedule(() -> finish(fourth), 300, TimeUnit.MILLISECONDS);
      seen.add(json.readTree(resumed.next(PATIENCE).data()).path("data").path("id").asString());
      assertThat(seen)
          .containsExactly(
              first.toString(), second.toString(), third.toString(), fourth.toString());
    }
  }

  @Test
  void theJsonFormPagesTheSameEventsWithACursor() {
    UUID first = create();
    UUID second = create();
    finish(first);
    finish(second);

    Answer page = api.get("/api/v1/events?type=task.finished&limit=1");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body().path("items")).hasSize(1);
    assertThat(page.body().path("items").get(0).path("data").path("id").asString())
        .isEqualTo(first.toString());

    Answer next = api.get("/api/v1/events?limit=10&cursor=" + page.text("next_cursor"));
    assertThat(next.body().path("items")).hasSize(1);
    assertThat(next.body().path("items").get(0).path("data").path("id").asString())
        .isEqualTo(second.toString());

    Answer empty = api.get("/api/v1/events?cursor=" + next.text("next_cursor"));
    assertThat(empty.body().path("items")).isEmpty();
    assertThat(empty.text("next_cursor")).isEqualTo(next.text("next_cursor"));
  }

  @Test
  void anotherTenantSeesNoneOfIt() {
    finish(create());
    ApiClient other =
        ApiClient.local(port, TestTokens.shared().token("it-client", tenant + "-x", "tasks:read"));

    assertThat(other.get("/api/v1/events").body().path("items")).isEmpty();
  }

  @Test
  void badFiltersAndCursorsAreProblems() {
    assertThat(api.get("/api/v1/events?type=task.exploded").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/events?cursor=nonsense").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/events?device_id=bad%20id").status()).isEqualTo(400);
  }

  private UUID create() {
    Answer created = api.post("/api/v1/tasks", taskBody());
    assertThat(created.status()).isEqualTo(202);
    return UUID.fromString(created.text("id"));
  }

  private String taskBody() {
    return "{\"device_id\":\"%s\",\"method_code\":\"m\",\"ttl\":600,\"payload\":{}}"
        .formatted(device);
  }

  /** What core-service does when a device answers: the row changes, the trigger tells. */
  private void finish(UUID task) {
    finish(task, "{\"ok\": true}");
  }

  private void finish(UUID task, String result) {
    jdbc.sql(
            """
            UPDATE tasks SET status = 'DONE', status_code = 200, result = CAST(? AS jsonb),
                   finished_at = now(), updated_at = now() WHERE id = ?""")
        .param(result)
        .param(task)
        .update();
  }

  private void finishTheNextTask() {
    long until = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < until) {
      List<UUID> queued =
          jdbc.sql("SELECT id FROM tasks WHERE device_id = ? AND status = 'QUEUED'")
              .param(device)
              .query(UUID.class)
              .list();
      if (!queued.isEmpty()) {
        queued.forEach(this::finish);
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private ServerSentEvents open(String lastEventId) {
    ServerSentEvents stream =
        api.stream("/api/v1/events?type=task.finished&device_id=" + device, lastEventId);
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
    return stream;
  }
}
