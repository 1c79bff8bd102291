package io.asyncrpc.api.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.RunningApi;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.TestTokens;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running api-service seen by one property class: a tenant of its own with a client holding
 * every scope, and the rows of that tenant, counted to show that a refused request changed nothing.
 */
final class ApiFixture {

  static final String PROBLEM = "urn:iot-async-rpc:problem:";

  /** Reads numbers as BigDecimal, so stored and sent documents compare by value. */
  static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  final RunningApi api;
  final String tenant;
  final ApiClient client;
  final JdbcClient jdbc;

  ApiFixture(String name) {
    this.api = RunningApi.shared();
    this.tenant = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.client =
        ApiClient.local(
            api.port(),
            TestTokens.shared()
                .token("props-client", tenant, "tasks:read", "tasks:write", "devices:admin"));
    this.jdbc = api.jdbc();
  }

  /** Registers a device of this tenant and returns its id. */
  String registerDevice(String prefix) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Answer answer = client.post("/api/v1/devices", "{\"id\":\"" + id + "\"}", Map.of());
    assertThat(answer.status()).as(answer.text()).isEqualTo(201);
    return id;
  }

  /**
   * The rows this tenant owns.
   *
   * @param tasks task rows
   * @param cancelled of them, cancelled
   * @param events task events
   * @param outbox outbox rows of its tasks (they go away as they are published)
   * @param devices device rows
   */
  record Rows(long tasks, long cancelled, long events, long outbox, long devices) {

    /** Asserts that nothing was created or changed since {@code before}. */
    void assertUnchangedSince(Rows before) {
      assertThat(this)
          .as("rows of the tenant after a refused request")
          .usingRecursiveComparison()
          .ignoringFields("outbox")
          .isEqualTo(before);
      assertThat(outbox).as("outbox rows").isLessThanOrEqualTo(before.outbox());
    }
  }

  Rows rows() {
    return jdbc.sql(
            """
            SELECT (SELECT count(*) FROM tasks WHERE tenant = :t) AS tasks,
                   (SELECT count(*) FROM tasks WHERE tenant = :t AND status = 'CANCELLED')
                       AS cancelled,
                   (SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id
                     WHERE t.tenant = :t) AS events,
                   (SELECT count(*) FROM outbox o JOIN tasks t ON t.id = o.aggregate_id
                     WHERE t.tenant = :t) AS outbox,
                   (SELECT count(*) FROM devices WHERE tenant = :t) AS devices
            """)
        .param("t", tenant)
        .query(
            (rs, n) ->
                new Rows(
                    rs.getLong("tasks"),
                    rs.getLong("cancelled"),
                    rs.getLong("events"),
                    rs.getLong("outbox"),
                    rs.getLong("devices")))
        .single();
  }

  /** Asserts the answer is a problem of {@code status} whose type is one of {@code slugs}. */
  static void assertProblem(Answer answer, int status, java.util.Set<String> slugs) {
    assertThat(answer.status()).as("status of %s", answer.text()).isEqualTo(status);
    assertThat(answer.isProblem()).as("problem+json: %s", answer.contentType()).isTrue();
    JsonNode problem = JSON.readTree(answer.text());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asString()).isNotBlank();
    assertThat(problem.path("type").asString())
        .startsWith(PROBLEM)
        .satisfies(type -> assertThat(slugs).contains(type.substring(PROBLEM.length())));
  }

  /** Whether two JSON documents are the same value: numbers by value, objects by members. */
  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> field : a.properties()) {
        if (!b.has(field.getKey()) || !sameJson(field.getValue(), b.get(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<JsonNode> i = a.values().iterator();
      Iterator<JsonNode> j = b.values().iterator();
      while (i.hasNext()) {
        if (!sameJson(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
