package io.asyncrpc.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end inside api-service, against the real PostgreSQL and real HTTP receivers:
 * events written by the database's triggers (a task finished, a device connecting, a device event
 * stored) are fanned out to the subscribed endpoints of their own tenant only, signed, retried as
 * the receiver asks, and listed with every attempt.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "iot.webhooks.enabled=true",
      "iot.webhooks.allow-private-targets=true",
      "iot.webhooks.fanout-interval=100ms",
      "iot.webhooks.poll-interval=100ms",
      "iot.webhooks.connect-timeout=1s",
      "iot.webhooks.request-timeout=1500ms",
      "iot.webhooks.lease=5s",
      "iot.webhooks.retry.initial-interval=300ms",
      "iot.webhooks.retry.multiplier=1",
      "iot.webhooks.retry.jitter=0",
      "iot.webhooks.retry.max-attempts=5",
      "iot.webhooks.disable-after-failures=4",
      "iot.webhooks.disable-after-failing-for=0s",
      "iot.webhooks.retention=1h",
      "iot.webhooks.retention-batch-size=2",
      "iot.webhooks.max-endpoints-per-tenant=3"
    })
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class WebhookDeliveryIT {

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;
  @Autowired WebhookFanout fanout;
  @Autowired DeliveryStore deliveryStore;
  @Autowired DeliveryRetention retention;
  @Autowired TransactionTemplate transactions;

  private final List<Receiver> receivers = new ArrayList<>();
  private String tenant;
  private ApiClient api;
  private String device;

  @BeforeEach
  void tenantWithADevice() {
    tenant = "it-wh-" + UUID.randomUUID().toString().substring(0, 8);
    api = client(tenant);
    device = device(api);
  }

  @AfterEach
  void stopReceivers() {
    receivers.forEach(Receiver::close);
  }

  @Test
  void aFinishedTaskIsPostedSignedToItsTenantsEndpointsOnly() {
    Receiver mine = receiver();
    Receiver onlyDeviceEvents = receiver();
    JsonNode endpoint = create(api, mine, "task.finished", "device.presence");
    create(api, onlyDeviceEvents, "device.event");
    String otherTenant = "it-wh-other-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient other = client(otherTenant);
    String otherDevice = device(other);
    Receiver theirs = receiver();
    String theirSecret = create(other, theirs, "task.finished").path("secret").asString();

    UUID task = finishTask(device, tenant);
    UUID theirTask = finishTask(otherDevice, otherTenant);
    setOnline(device);

    // Two transactions, two deliveries, sent side by side: in either order.
    List<Receiver.Request> received = mine.await(2);
    Receiver.Request finished =
        received.stream().filter(r -> r.body().contains("task.finished")).findFirst().orElseThrow();
    assertThat(finished.signedWith(endpoint.path("secret").asString())).isTrue();
    assertThat(finished.signatures()).isEqualTo(1);
    assertThat(finished.contentType()).isEqualTo("application/json");
    assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(finished.timestamp())))
        .isLessThan(60);
    JsonNode body = json.readTree(finished.body());
    assertThat(body.path("type").asString()).isEqualTo("task.finished");
    assertThat(body.path("timestamp").asString()).isNotBlank();
    assertThat(body.path("data").path("id").asString()).isEqualTo(task.toString());
    assertThat(body.path("data").path("status").asString()).isEqualTo("DONE");
    assertThat(body.path("data").path("result").path("sum").asInt()).isEqualTo(6);
    assertThat(received)
        .extracting(r -> json.readTree(r.body()).path("type").asString())
        .containsExactlyInAnyOrder("task.finished", "device.presence");

    // The other tenant hears of its own task, never of this tenant's.
    Receiver.Request theirFinished = theirs.await(1).get(0);
    assertThat(theirFinished.signedWith(theirSecret)).isTrue();
    assertThat(json.readTree(theirFinished.body()).path("data").path("id").asString())
        .isEqualTo(theirTask.toString());
    assertThat(theirs.requests()).hasSize(1);
    assertThat(mine.requests()).noneMatch(r -> r.body().contains(theirTask.toString())).hasSize(2);
    // An endpoint gets only the types it subscribed to.
    assertThat(onlyDeviceEvents.requests()).isEmpty();
  }

  @Test
  void aFailedAttemptIsRetriedWithTheSameIdAndBodyAndListedWithEveryAttempt() {
    Receiver receiver = receiver().then(500);
    JsonNode endpoint = create(api, receiver, "task.finished");
    String secret = endpoint.path("secret").asString();

    finishTask(device, tenant);

    List<Receiver.Request> attempts = receiver.await(2);
    assertThat(attempts.get(1).id()).isEqualTo(attempts.get(0).id());
    assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
    assertThat(attempts).allMatch(r -> r.signedWith(secret));
    JsonNode delivery = awaitDelivery(endpoint, "succeeded");
    assertThat(delivery.path("id").asString()).isEqualTo(attempts.get(0).id());
    assertThat(delivery.path("status_code").asInt()).isEqualTo(200);
    JsonNode history = delivery.path("attempts");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("status").asString()).isEqualTo("failed");
    assertThat(history.get(0).path("status_code").asInt()).isEqualTo(500);
    assertThat(history.get(0).path("error").asString()).contains("500");
    assertThat(history.get(0).path("duration_ms").isNumber()).isTrue();
    assertThat(history.get(1).path("status").asString()).isEqualTo("succeeded");
    assertThat(history.get(1).path("status_code").asInt()).isEqualTo(200);
    assertThat(history.get(1).path("error").isNull()).isTrue();
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() {
    Receiver receiver = receiver().then(429, Map.of("Retry-After", "2"), Duration.ZERO);
    create(api, receiver, "task.finished");

    finishTask(device, tenant);

    List<Receiver.Request> attempts = receiver.await(2);
    // The schedule alone would retry after 300 ms.
    assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void aSlowAnswerTimesOutAndIsRetried() {
    Receiver receiver = receiver().then(200, Map.of(), Duration.ofSeconds(3));
    JsonNode endpoint = create(api, receiver, "task.finished");

    finishTask(device, tenant);

    receiver.await(2);
    JsonNode delivery = awaitDelivery(endpoint, "succeeded");
    JsonNode first = delivery.path("attempts").get(0);
    assertThat(first.path("error").asString()).contains("timed out");
    assertThat(first.path("status_code").isNull()).isTrue();
  }

  @Test
  void goneDisablesTheEndpointVisibly() {
    Receiver receiver = receiver().then(410);
    JsonNode endpoint = create(api, receiver, "task.finished");

    finishTask(device, tenant);

    receiver.await(1);
    JsonNode disabled = awaitDisabled(endpoint);
    assertThat(disabled.path("disabled_reason").asString()).contains("410");
    assertThat(disabled.path("disabled_at").asString()).isNotBlank();
    assertThat(awaitDelivery(endpoint, "failed").path("attempts")).hasSize(1);

    // Disabled: nothing more is sent, and a retry is refused.
    finishTask(device, tenant);
    sleep(Duration.ofSeconds(1));
    assertThat(receiver.requests()).hasSize(1);
    String delivery = deliveries(endpoint).get(0).path("id").asString();
    assertThat(
            api.post(
                    "/api/v1/webhooks/%s/deliveries/%s/retry"
                        .formatted(endpoint.path("id").asString(), delivery),
                    "")
                .problemType())
        .endsWith(":webhook-disabled");

    // Enabled again, it is told what happens from then on (not what happened while disabled).
    Answer enabled =
        api.send(
            "PATCH",
            "/api/v1/webhooks/" + endpoint.path("id").asString(),
            "{\"enabled\":true}",
            Map.of());
    assertThat(enabled.status()).isEqualTo(200);
    assertThat(enabled.body().path("disabled_reason").isNull()).isTrue();
    UUID later = finishTask(device, tenant);
    assertThat(receiver.await(2).get(1).body()).contains(later.toString());
  }

  @Test
  void anEndpointThatKeepsFailingIsDisabled() {
    Receiver receiver = receiver();
    for (int i = 0; i < 10; i++) {
      receiver.then(500);
    }
    JsonNode endpoint = create(api, receiver, "task.finished");

    finishTask(device, tenant);

    JsonNode disabled = awaitDisabled(endpoint);
    assertThat(disabled.path("disabled_reason").asString())
        .startsWith("failed 4 attempts in a row since");
    assertThat(receiver.requests()).hasSize(4);
    JsonNode delivery = deliveries(endpoint).get(0);
    assertThat(delivery.path("status").asString()).isEqualTo("pending");
  }

  @Test
  void afterARotationBothSecretsSignUntilTheOverlapEnds() {
    Receiver receiver = receiver();
    JsonNode endpoint = create(api, receiver, "task.finished");
    String id = endpoint.path("id").asString();
    String oldSecret = endpoint.path("secret").asString();

    Answer rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", "");
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = rotated.text("secret");
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
    assertThat(rotated.body().path("previous_secret_expires_at").asString()).isNotBlank();
    // Reads never show a secret.
    assertThat(api.get("/api/v1/webhooks/" + id).body().has("secret")).isFalse();

    finishTask(device, tenant);

    Receiver.Request request = receiver.await(1).get(0);
    assertThat(request.signatures()).isEqualTo(2);
    assertThat(request.signedWith(newSecret)).isTrue();
    assertThat(request.signedWith(oldSecret)).isTrue();
    assertThat(request.signedWith(WebhookSignature.newSecret())).isFalse();
  }

  @Test
  void aDeliveryCanBeSentAgainByHand() {
    Receiver receiver = receiver();
    JsonNode endpoint = create(api, receiver, "device.event");
    String id = endpoint.path("id").asString();
    storeDeviceEvent(device);
    Receiver.Request first = receiver.await(1).get(0);
    assertThat(json.readTree(first.body()).path("data").path("event_type_code").asLong())
        .isEqualTo(13);
    JsonNode delivery = awaitDelivery(endpoint, "succeeded");

    Answer retried =
        api.post(
            "/api/v1/webhooks/%s/deliveries/%s/retry".formatted(id, delivery.path("id").asString()),
            "");

    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.text("status")).isEqualTo("pending");
    Receiver.Request second = receiver.await(2).get(1);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.body()).isEqualTo(first.body());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> deliveries(endpoint).get(0).path("attempts").size() == 2);
    assertThat(
            api.post("/api/v1/webhooks/%s/deliveries/%s/retry".formatted(id, UUID.randomUUID()), "")
                .status())
        .isEqualTo(404);
  }

  @Test
  void endpointsAreManagedWithinTheCallersTenant() {
    Receiver receiver = receiver();
    JsonNode endpoint = create(api, receiver, "task.finished");
    String id = endpoint.path("id").asString();
    ApiClient other = client("it-wh-x-" + UUID.randomUUID().toString().substring(0, 8));

    assertThat(api.get("/api/v1/webhooks").body().path("items")).hasSize(1);
    assertThat(other.get("/api/v1/webhooks").body().path("items")).isEmpty();
    assertThat(other.get("/api/v1/webhooks/" + id).problemType()).endsWith(":webhook-not-found");
    assertThat(other.get("/api/v1/webhooks/" + id + "/deliveries").status()).isEqualTo(404);
    assertThat(other.post("/api/v1/webhooks/" + id + "/rotate-secret", "").status()).isEqualTo(404);
    assertThat(other.delete("/api/v1/webhooks/" + id).status()).isEqualTo(404);

    Answer changed =
        api.send(
            "PATCH",
            "/api/v1/webhooks/" + id,
            "{\"event_types\":[\"device.event\",\"task.finished\",\"device.event\"],"
                + "\"description\":\"ops\",\"enabled\":false}",
            Map.of());
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().path("event_types").toString())
        .isEqualTo("[\"task.finished\",\"device.event\"]");
    assertThat(changed.text("description")).isEqualTo("ops");
    assertThat(changed.body().path("enabled").asBoolean()).isFalse();
    assertThat(changed.text("disabled_reason")).contains("through the API");
    assertThat(changed.body().has("secret")).isFalse();

    assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
  }

  @Test
  void aTenantHasAtMostItsLimitOfEndpoints() {
    for (int i = 0; i < 3; i++) {
      create(api, receiver(), "task.finished");
    }

    Answer fourth =
        api.post(
            "/api/v1/webhooks",
            "{\"url\":\"%s\",\"event_types\":[\"task.finished\"]}".formatted(receiver().url()));

    assertThat(fourth.status()).isEqualTo(409);
    assertThat(fourth.problemType()).endsWith(":webhook-limit-reached");
    assertThat(api.get("/api/v1/webhooks").body().path("items")).hasSize(3);
    // Another tenant's count is its own.
    create(
        client("it-wh-y-" + UUID.randomUUID().toString().substring(0, 8)),
        receiver(),
        "device.event");
  }

  @Test
  void badInputAndMissingScopeAreProblems() {
    Answer unknownType =
        api.post(
            "/api/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/x\",\"event_types\":[\"task.done\"]}");
    assertThat(unknownType.status()).isEqualTo(400);
    assertThat(unknownType.problemType()).endsWith(":validation-failed");
    assertThat(unknownType.body().path("errors").get(0).path("field").asString())
        .isEqualTo("event_types");

    Answer ftp =
        api.post(
            "/api/v1/webhooks",
            "{\"url\":\"ftp://127.0.0.1/x\",\"event_types\":[\"task.finished\"]}");
    assertThat(ftp.status()).isEqualTo(400);
    assertThat(ftp.body().path("errors").get(0).path("field").asString()).isEqualTo("url");
    assertThat(
            api.post(
                    "/api/v1/webhooks",
                    "{\"url\":\"http://0.0.0.0/x\",\"event_types\":[\"task.finished\"]}")
                .status())
        .isEqualTo(400);
    assertThat(api.post("/api/v1/webhooks", "{\"event_types\":[]}").status()).isEqualTo(400);

    ApiClient withoutScope =
        ApiClient.local(
            port, TestTokens.shared().token("it-client", tenant, "tasks:read", "tasks:write"));
    assertThat(withoutScope.get("/api/v1/webhooks").status()).isEqualTo(403);
  }

  @Test
  void aSuccessIsCountedAndTimedFromTheEvent() {
    double before = meters.counter("iot.webhooks.sent").count();
    long timed = meters.timer("iot.webhooks.latency").count();
    Receiver receiver = receiver();
    create(api, receiver, "task.finished");

    finishTask(device, tenant);
    receiver.await(1);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> meters.counter("iot.webhooks.sent").count() > before);
    assertThat(meters.timer("iot.webhooks.latency").count()).isGreaterThan(timed);
  }

  @Test
  void whileAnotherInstanceHoldsThePositionAFanOutTakesNothing() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        Thread.ofVirtual()
            .start(
                () ->
                    transactions.executeWithoutResult(
                        status -> {
                          jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(hashtext(?))")
                              .params(WebhookFanout.LOCK_KEY)
                              .query(Integer.class)
                              .single();
                          locked.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }));
    try {
      assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(fanout.fanOutOnce()).isEqualTo(-1);
    } finally {
      release.countDown();
      holder.join();
    }
  }

  @Test
  void aClaimWhoseLeaseEndedIsTakenAgainAndItsLateAnswerChangesNothing() {
    Receiver receiver = receiver();
    JsonNode endpoint = create(api, receiver, "task.finished");
    UUID id = UUID.randomUUID();
    UUID deadClaim = UUID.randomUUID();
    // A delivery a sender claimed and then died with: its lease ended a second ago.
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_tx, event_id,
                                            event_at, body, status, next_attempt_at, claim)
            VALUES (?, ?, 'task.finished', 0, ?, now(), '{"type":"task.finished"}', 'pending',
                    now() - interval '1 second', ?)
            """)
        .params(id, UUID.fromString(endpoint.path("id").asString()), System.nanoTime(), deadClaim)
        .update();

    assertThat(receiver.await(1).get(0).id()).isEqualTo(id.toString());
    awaitDelivery(endpoint, "succeeded");
    DeliveryStore.Claimed late =
        new DeliveryStore.Claimed(
            id,
            deadClaim,
            UUID.randomUUID(),
            "",
            "",
            0,
            false,
            "task.finished",
            Instant.now(),
            List.of());
    assertThat(deliveryStore.recordAttempt(late, "failed", null, Instant.now(), 500, 1, "late"))
        .isFalse();
    assertThat(deliveries(endpoint).get(0).path("attempts")).hasSize(1);
  }

  @Test
  void withNoEnabledEndpointAnywhereTheFanOutMovesOnWithoutDeliveries() {
    List<String> enabled =
        jdbc.sql("UPDATE webhook_endpoints SET enabled = false WHERE enabled RETURNING id::text")
            .query(String.class)
            .list();
    try {
      UUID task = finishTask(device, tenant);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  jdbc.sql(
                          """
                          SELECT (f.tx, f.event_id) >= (e.tx::text::bigint, e.id)
                            FROM webhook_fanout f, tenant_events e WHERE e.task_id = ?
                          """)
                      .params(task)
                      .query(Boolean.class)
                      .single());
      assertThat(
              jdbc.sql(
                      """
                      SELECT count(*) FROM webhook_deliveries d
                        JOIN tenant_events e ON e.tx::text::bigint = d.event_tx AND e.id = d.event_id
                       WHERE e.task_id = ?
                      """)
                  .params(task)
                  .query(Long.class)
                  .single())
          .isZero();
    } finally {
      jdbc.sql("UPDATE webhook_endpoints SET enabled = true WHERE id::text = ANY(?)")
          .params((Object) enabled.toArray(String[]::new))
          .update();
    }
  }

  @Test
  void retentionDeletesFinishedDeliveriesPastItsAgeInBatches() {
    JsonNode endpoint = create(api, receiver(), "device.presence");
    UUID endpointId = UUID.fromString(endpoint.path("id").asString());
    for (int i = 0; i < 5; i++) {
      insertDelivery(endpointId, i % 2 == 0 ? "succeeded" : "failed", "2 hours");
    }
    insertDelivery(endpointId, "succeeded", "10 minutes");
    UUID waiting = insertDelivery(endpointId, "pending", "2 hours");

    // Batches of two: the run goes on until a batch comes back short.
    assertThat(retention.deleteExpired()).isGreaterThanOrEqualTo(5);

    assertThat(
            jdbc.sql("SELECT status FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY status")
                .params(endpointId)
                .query(String.class)
                .list())
        .containsExactly("pending", "succeeded");
    assertThat(
            jdbc.sql("SELECT count(*) FROM webhook_attempts WHERE delivery_id = ?")
                .params(waiting)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  private UUID insertDelivery(UUID endpointId, String status, String finishedAgo) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_tx, event_id,
                                            event_at, body, status, attempts, next_attempt_at,
                                            finished_at)
            VALUES (?, ?, 'device.presence', 0, ?, now(), '{}', ?, 1,
                    CASE WHEN ? = 'pending' THEN now() + interval '1 day' END,
                    CASE WHEN ? = 'pending' THEN NULL
                         ELSE now() - CAST(? AS interval) END)
            """)
        .params(id, endpointId, System.nanoTime(), status, status, status, finishedAgo)
        .update();
    jdbc.sql(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, duration_ms, error)
            VALUES (?, 1, now(), 500, 3, 'the endpoint answered 500')
            """)
        .params(id)
        .update();
    return id;
  }

  private Receiver receiver() {
    Receiver receiver = new Receiver();
    receivers.add(receiver);
    return receiver;
  }

  private JsonNode create(ApiClient client, Receiver receiver, String... types) {
    StringBuilder list = new StringBuilder();
    for (String type : types) {
      list.append(list.isEmpty() ? "" : ",").append('"').append(type).append('"');
    }
    Answer created =
        client.post(
            "/api/v1/webhooks",
            "{\"url\":\"%s\",\"event_types\":[%s],\"description\":\"it\"}"
                .formatted(receiver.url(), list));
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(created.text("secret")).startsWith("whsec_");
    assertThat(created.location().getPath()).isEqualTo("/api/v1/webhooks/" + created.text("id"));
    return created.body();
  }

  private List<JsonNode> deliveries(JsonNode endpoint) {
    Answer page = api.get("/api/v1/webhooks/" + endpoint.path("id").asString() + "/deliveries");
    assertThat(page.status()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    page.body().path("items").forEach(items::add);
    return items;
  }

  private JsonNode awaitDelivery(JsonNode endpoint, String status) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              List<JsonNode> items = deliveries(endpoint);
              return !items.isEmpty() && items.get(0).path("status").asString().equals(status);
            });
    return deliveries(endpoint).get(0);
  }

  private JsonNode awaitDisabled(JsonNode endpoint) {
    String path = "/api/v1/webhooks/" + endpoint.path("id").asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !api.get(path).body().path("enabled").asBoolean());
    return api.get(path).body();
  }

  private ApiClient client(String tenant) {
    return ApiClient.local(
        port, TestTokens.shared().token("it-client", tenant, "devices:admin", "webhooks:admin"));
  }

  private static String device(ApiClient client) {
    String id = "it-wh-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(client.post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(id)).status())
        .isEqualTo(201);
    return id;
  }

  /** A task written QUEUED then finished DONE: the trigger writes its task.finished event. */
  private UUID finishTask(String deviceId, String tenantOfDevice) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO tasks (id, device_id, client_id, method_code, priority, payload, status,
                               created_at, deadline_at, updated_at, tenant)
            VALUES (?, ?, 'it-client', 'sum', 5, '{"values":[1,2,3]}', 'QUEUED', now(),
                    now() + interval '1 hour', now(), ?)
            """)
        .params(id, deviceId, tenantOfDevice)
        .update();
    jdbc.sql(
            """
            UPDATE tasks SET status = 'DONE', result = '{"sum":6}', status_code = 200,
                   finished_at = now(), updated_at = now()
             WHERE id = ?
            """)
        .params(id)
        .update();
    return id;
  }

  private void setOnline(String deviceId) {
    jdbc.sql("UPDATE devices SET online = true, connected_at = now() WHERE id = ?")
        .params(deviceId)
        .update();
  }

  private void storeDeviceEvent(String deviceId) {
    jdbc.sql(
            """
            INSERT INTO device_events (device_id, event_type_code, dev_event_id, dev_timestamp,
                                       payload)
            VALUES (?, 13, 1, now(), '{"101": 1}')
            """)
        .params(deviceId)
        .update();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
