package io.asyncrpc.api.job;

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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs API against the real PostgreSQL: a job and its targets are written at once, read back
 * with its roll-up, listed, and cancelled; bad jobs are problems that create nothing. Executions
 * are created by core-service's rollout; here they are inserted as that rollout does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class JobApiIT {

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired AmqpAdmin amqp;
  @Autowired RabbitTemplate rabbit;

  private String tenant;
  private ApiClient api;
  private String run;
  private @Nullable Queue cancels;

  @BeforeEach
  void client() {
    tenant = "it-jobs-" + UUID.randomUUID().toString().substring(0, 8);
    api = client(tenant);
    run = UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aJobByIdsIsAcceptedWithItsTargetsInOrder() {
    List<String> devices = List.of(device("{}"), device("{}"), device("{}"));

    Answer created = api.post("/api/v1/jobs", job("{\"device_ids\":" + ids(devices) + "}"));

    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(202);
    String id = created.text("id");
    assertThat(created.location()).hasToString("/api/v1/jobs/" + id);
    assertThat(created.text("status")).isEqualTo("SCHEDULED");
    assertThat(created.body().path("target_count").asInt()).isEqualTo(3);
    assertThat(created.body().path("not_started").asInt()).isEqualTo(3);
    assertThat(created.body().path("counts").path("DONE").asLong()).isZero();
    assertThat(created.body().path("rollout").path("max_per_minute").asInt()).isEqualTo(60);
    assertThat(
            jdbc.sql("SELECT device_id FROM job_targets WHERE job_id = ? ORDER BY position")
                .param(UUID.fromString(id))
                .query(String.class)
                .list())
        .containsExactlyElementsOf(devices);
  }

  @Test
  void aJobByTagTargetsTheTaggedDevicesOfTheTenantOnly() {
    String a = device("{\"ring\":\"canary\",\"run\":\"%s\"}");
    String b = device("{\"ring\":\"canary\",\"run\":\"%s\"}");
    device("{\"ring\":\"stable\",\"run\":\"%s\"}");
    // Another tenant's device with the same tags is not a target.
    ApiClient other = client(tenant + "-x");
    other.post(
        "/api/v1/devices",
        "{\"id\":\"it-job-x-%s\",\"tags\":{\"ring\":\"canary\",\"run\":\"%s\"}}"
            .formatted(run, run));

    Answer created = api.post("/api/v1/jobs", job("{\"tag\":\"run:" + run + "\"}"));
    assertThat(created.status()).isEqualTo(202);

    Answer canary =
        api.post(
            "/api/v1/jobs",
            job("{\"tag\":\"ring:canary\"}")
                .replace("\"method_code\"", "\"priority\":3,\"method_code\""));
    assertThat(canary.status()).isEqualTo(202);
    assertThat(
            jdbc.sql("SELECT device_id FROM job_targets WHERE job_id = ? ORDER BY position")
                .param(UUID.fromString(canary.text("id")))
                .query(String.class)
                .list())
        .containsExactly(a, b);
    assertThat(created.body().path("target_count").asInt()).isEqualTo(3);
  }

  @Test
  void aTagThatSelectsNothingIsFinishedAtOnce() {
    Answer created = api.post("/api/v1/jobs", job("{\"tag\":\"run:nobody-" + run + "\"}"));

    assertThat(created.status()).isEqualTo(202);
    assertThat(created.text("status")).isEqualTo("COMPLETED");
    assertThat(created.body().path("target_count").asInt()).isZero();
  }

  @Test
  void anUnregisteredTargetIsA422AndCreatesNothing() {
    String known = device("{}");
    long before = jobs();

    Answer refused =
        api.post(
            "/api/v1/jobs", job("{\"device_ids\":[\"" + known + "\",\"it-nobody-" + run + "\"]}"));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.problemType()).isEqualTo("urn:iot-async-rpc:problem:device-not-registered");
    assertThat(jobs()).isEqualTo(before);
  }

  @Test
  void badJobsAreProblemsAndCreateNothing() {
    String d = device("{}");
    long before = jobs();
    List<String> bodies =
        List.of(
            job("{}"),
            job("{\"device_ids\":[\"" + d + "\"],\"tag\":\"k:v\"}"),
            job("{\"device_ids\":[\"" + d + "\",\"" + d + "\"]}"),
            job("{\"device_ids\":[\"" + d + "\"],\"continuous\":true}"),
            job("{\"tag\":\"novalue\"}"),
            job("{\"device_ids\":[\"" + d + "\"]}").replace("{{device.id}}", "{{device.secret}}"),
            job("{\"device_ids\":[\"" + d + "\"]}")
                .replace("\"max_per_minute\":60", "\"base_per_minute\":5"),
            job("{\"device_ids\":[\"" + d + "\"]}")
                .replace(
                    "\"rollout\"",
                    "\"abort\":[{\"failure_type\":\"OOPS\",\"min_executed\":1,\"threshold_percent\":5}],\"rollout\""));
    for (String body : bodies) {
      Answer refused = api.post("/api/v1/jobs", body);
      assertThat(refused.status()).as(body).isEqualTo(400);
    }
    assertThat(jobs()).isEqualTo(before);
  }

  @Test
  void aRetryWithTheSameKeyReturnsTheSameJobAndAnotherBodyIs409() {
    String d = device("{}");
    String body = job("{\"device_ids\":[\"" + d + "\"]}");
    Map<String, String> key = Map.of("Idempotency-Key", "job-" + run);

    Answer first = api.post("/api/v1/jobs", body, key);
    Answer again = api.post("/api/v1/jobs", body, key);
    Answer other = api.post("/api/v1/jobs", body.replace("\"m\"", "\"n\""), key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.text("id")).isEqualTo(first.text("id"));
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(other.status()).isEqualTo(409);
  }

  @Test
  void theRollUpCountsExecutionsAndTheListShowsThem() {
    List<String> devices = List.of(device("{}"), device("{}"), device("{}"));
    UUID job =
        UUID.fromString(
            api.post("/api/v1/jobs", job("{\"device_ids\":" + ids(devices) + "}")).text("id"));
    execution(job, devices.get(0), "DONE");
    execution(job, devices.get(1), "QUEUED");

    JsonNode read = api.get("/api/v1/jobs/" + job).body();
    assertThat(read.path("counts").path("DONE").asLong()).isEqualTo(1);
    assertThat(read.path("counts").path("QUEUED").asLong()).isEqualTo(1);
    assertThat(read.path("executions_created").asInt()).isEqualTo(2);
    assertThat(read.path("not_started").asInt()).isEqualTo(1);

    Answer done = api.get("/api/v1/jobs/" + job + "/executions?status=DONE");
    assertThat(done.body().path("items")).hasSize(1);
    assertThat(done.body().path("items").get(0).path("device_id").asString())
        .isEqualTo(devices.get(0));
    assertThat(
            api.get("/api/v1/jobs/" + job + "/executions?status=DONE&status=QUEUED")
                .body()
                .path("items"))
        .hasSize(2);
    assertThat(
            api.get("/api/v1/jobs/" + job + "/executions?status=FAILED,QUEUED")
                .body()
                .path("items"))
        .hasSize(1);
    assertThat(api.get("/api/v1/jobs/" + job + "/executions?status=DONE,RUNNING").status())
        .isEqualTo(400);
    Answer firstPage = api.get("/api/v1/jobs/" + job + "/executions?limit=1");
    Answer secondPage =
        api.get(
            "/api/v1/jobs/" + job + "/executions?limit=1&cursor=" + firstPage.text("next_cursor"));
    assertThat(secondPage.body().path("items")).hasSize(1);
    assertThat(secondPage.body().path("items").get(0).path("id").asString())
        .isNotEqualTo(firstPage.body().path("items").get(0).path("id").asString());

    assertThat(api.get("/api/v1/jobs").body().path("items").get(0).path("id").asString())
        .isEqualTo(job.toString());
    assertThat(client(tenant + "-other").get("/api/v1/jobs/" + job).status()).isEqualTo(404);
  }

  @Test
  void cancellingStopsTheJobAndCancelsEveryExecutionTellingTheV2DevicesThatHoldOne() {
    List<String> devices =
        List.of(device("{}"), device("{}"), device("{}"), device("{}"), device("{}"));
    protocol(devices.get(1), 2);
    protocol(devices.get(2), 1);
    protocol(devices.get(3), 2);
    UUID job =
        UUID.fromString(
            api.post("/api/v1/jobs", job("{\"device_ids\":" + ids(devices) + "}")).text("id"));
    UUID queued = execution(job, devices.get(0), "QUEUED");
    UUID heldByV2 = execution(job, devices.get(1), "LOCKED");
    UUID heldByV1 = execution(job, devices.get(2), "LOCKED");
    UUID done = execution(job, devices.get(3), "DONE");
    listenForCancels();

    Answer cancelled = api.post("/api/v1/jobs/" + job + "/cancel", "");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.text("status_reason")).contains("cancelled by");
    assertThat(cancelled.body().path("counts").path("CANCELLED").asLong()).isEqualTo(3);
    assertThat(cancelled.body().path("cancel_confirmed").asInt()).isZero();
    assertThat(List.of(status(queued), status(heldByV2), status(heldByV1), status(done)))
        .containsExactly("CANCELLED", "CANCELLED", "CANCELLED", "DONE");
    assertThat(
            jdbc.sql(
                    "SELECT from_status FROM task_events WHERE task_id IN (?, ?, ?)"
                        + " AND to_status = 'CANCELLED' AND detail = 'job cancelled'"
                        + " ORDER BY from_status")
                .params(queued, heldByV2, heldByV1)
                .query(String.class)
                .list())
        .containsExactly("LOCKED", "LOCKED", "QUEUED");
    assertThat(toldDevices(Set.of(queued, heldByV2, heldByV1, done)))
        .as("only the v2 device that held its execution is told")
        .containsExactly(new TaskCancelled(heldByV2, devices.get(1)));
    assertThat(
            jdbc.sql(
                    "SELECT data->>'status' FROM tenant_events WHERE job_id = ? AND type = 'job.finished'")
                .param(job)
                .query(String.class)
                .list())
        .containsExactly("CANCELLED");
    assertThat(api.post("/api/v1/jobs/" + job + "/cancel", "").status()).isEqualTo(409);
    assertThat(api.post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel", "").status())
        .isEqualTo(404);
  }

  private String job(String targets) {
    return """
        {"targets":%s,"method_code":"m","payload":{"device":"{{device.id}}"},"ttl":600,\
        "rollout":{"max_per_minute":60}}"""
        .formatted(targets);
  }

  private String device(String tagsTemplate) {
    String id = "it-job-" + UUID.randomUUID().toString().substring(0, 13);
    Answer created =
        api.post(
            "/api/v1/devices",
            "{\"id\":\"%s\",\"tags\":%s}".formatted(id, tagsTemplate.formatted(run, run)));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return id;
  }

  /** What core-service's rollout does for one target: a task with the job id. */
  private UUID execution(UUID job, String device, String status) {
    UUID task = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO tasks (id, device_id, client_id, tenant, method_code, priority, payload,
                               status, created_at, deadline_at, updated_at, job_id)
            VALUES (?, ?, 'it', ?, 'm', 0, '{}', ?, now(), now() + interval '1 hour', now(), ?)""")
        .params(task, device, tenant, status, job)
        .update();
    jdbc.sql(
            """
            UPDATE job_targets SET task_id = ? WHERE job_id = ? AND device_id = ?""")
        .params(task, job, device)
        .update();
    jdbc.sql("UPDATE jobs SET executions_created = executions_created + 1 WHERE id = ?")
        .param(job)
        .update();
    return task;
  }

  private void listenForCancels() {
    cancels = QueueBuilder.nonDurable("it.job-cancel." + run).expires(600_000).build();
    amqp.declareQueue(cancels);
    amqp.declareBinding(
        BindingBuilder.bind(cancels)
            .to(new TopicExchange(NorthboundTopology.TASKS_EXCHANGE))
            .with(NorthboundTopology.TASK_CANCELLED_KEY));
  }

  /** The {@link TaskCancelled} events of these tasks published within a few seconds. */
  private List<TaskCancelled> toldDevices(Set<UUID> tasks) {
    List<TaskCancelled> told = new ArrayList<>();
    long end = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < end) {
      Message message = rabbit.receive(cancels.getName(), 500);
      if (message != null) {
        TaskCancelled event = json.readValue(message.getBody(), TaskCancelled.class);
        if (tasks.contains(event.taskId())) {
          told.add(event);
        }
      }
    }
    return told;
  }

  @AfterEach
  void deleteTheTestQueue() {
    if (cancels != null) {
      amqp.deleteQueue(cancels.getName());
    }
  }

  /** What core-service records when the device declares its protocol on a req. */
  private void protocol(String device, int version) {
    jdbc.sql("UPDATE devices SET protocol_version = ? WHERE id = ?")
        .params(version, device)
        .update();
  }

  private String status(UUID task) {
    return jdbc.sql("SELECT status FROM tasks WHERE id = ?")
        .param(task)
        .query(String.class)
        .single();
  }

  private long jobs() {
    return jdbc.sql("SELECT count(*) FROM jobs WHERE tenant = ?")
        .param(tenant)
        .query(Long.class)
        .single();
  }

  private static String ids(List<String> devices) {
    List<String> quoted = new ArrayList<>();
    devices.forEach(d -> quoted.add("\"" + d + "\""));
    return "[" + String.join(",", quoted) + "]";
  }

  private ApiClient client(String tenant) {
    return ApiClient.local(
        port,
        TestTokens.shared()
            .token("it-client", tenant, "tasks:read", "tasks:write", "devices:admin"));
  }
}
