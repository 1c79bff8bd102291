package io.asyncrpc.core.southbound;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.testsupport.ActuatorClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A garbage publisher on a real MQTT 5 connection: a registered device sends hundreds of random,
 * truncated, oversized and wrongly typed messages on its own {@code dev/<SN>/*} topics, aimed at
 * its tasks in every state, at another device's task and at tasks that do not exist. Every message
 * is one the core cannot use. The core answers each exactly as the protocol's check order says (a
 * typed error on {@code srv/<SN>/err}, or silence for what it ignores), counts it, changes no task,
 * stays healthy, and then runs a valid task for another device to the end.
 *
 * <p>Requests count against the device's rate ({@code iot.core.device-rate}): when the core reads
 * the garbage faster than that, it drops some requests unanswered and counts them as throttled. So
 * every expected answer to a request is either received or one of those counted drops.
 *
 * <p>The generator is seeded: the seed is logged, and {@code -Dgarbage.seed=N} replays a run.
 */
@CoreServiceTest
class GarbagePublisherIT {

  private static final Logger log = LoggerFactory.getLogger(GarbagePublisherIT.class);
  private static final int MESSAGES = 400;

  @Autowired TaskFixtures fixtures;
  @Autowired MeterRegistry meters;
  @Autowired JdbcClient jdbc;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  @LocalServerPort int port;

  private final List<TestDevice> devices = new ArrayList<>();

  @AfterEach
  void disconnect() {
    devices.forEach(TestDevice::close);
  }

  /** What the core must do with one message. */
  record Expect(Set<String> codes, boolean answered, UUID correlation, String ignored) {

    static Expect error(ProtocolError error, UUID correlation) {
      return new Expect(Set.of(error.code()), true, correlation, null);
    }

    static Expect eitherOf(UUID correlation, ProtocolError... errors) {
      Set<String> codes = new java.util.HashSet<>();
      for (ProtocolError e : errors) {
        codes.add(e.code());
      }
      return new Expect(codes, true, correlation, null);
    }

    static Expect silence() {
      return new Expect(Set.of(), false, null, null);
    }

    static Expect ignored(String reason) {
      return new Expect(Set.of(), false, null, reason);
    }
  }

  /** One generated message and its expected handling. */
  record Garbage(String description, Mqtt5Publish publish, Expect expect) {

    /** A {@code req}, which the device's rate limit may drop unanswered. */
    boolean isRequest() {
      return publish.getTopic().toString().endsWith("/" + MessageKind.REQUEST.suffix());
    }
  }

  /**
   * Expected answers matched with the received ones.
   *
   * @param problems expected answers not received (other than requests) and received ones not
   *     expected
   * @param unansweredRequests requests whose expected answer was not received
   */
  record Matching(List<String> problems, List<Garbage> unansweredRequests) {}

  @Test
  void garbageIsRefusedOrIgnoredCountedAndChangesNoTask() throws Exception {
    long seed = Long.getLong("garbage.seed", System.nanoTime());
    log.info("garbage publisher seed {} (replay with -Dgarbage.seed={})", seed, seed);
    TestDevice victim = connect(fixtures.newDevice("garbage"));
    Tasks tasks = tasksInEveryState(victim);
    Map<UUID, String> before = snapshot(tasks.all());
    Map<String, Double> countersBefore = counters();
    victim.drain(MessageKind.TRIGGER);
    double throttledBefore = throttledRequests();

    Generator generator = new Generator(new Random(seed), victim.id(), tasks);
    List<Garbage> sent = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      Garbage garbage = generator.next();
      victim.publish(garbage.publish());
      sent.add(garbage);
    }

    long answers = sent.stream().filter(g -> g.expect().answered()).count();
    List<Received> errors = new ArrayList<>();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                errors.addAll(victim.drain(MessageKind.ERROR));
                return errors.size() + (throttledRequests() - throttledBefore) >= answers;
              });
    } catch (ConditionTimeoutException e) {
      // The checks below name each message whose answer is missing, which says more than this.
      log.warn("{} of {} answers after 60 s (seed {})", errors.size(), answers, seed);
    }
    Thread.sleep(500); // anything beyond the expected answers would arrive now
    errors.addAll(victim.drain(MessageKind.ERROR));
    long throttled = Math.round(throttledRequests() - throttledBefore);
    log.info(
        "{} of the {} garbage requests were throttled (seed {}); core counters {}",
        throttled,
        sent.stream().filter(Garbage::isRequest).count(),
        seed,
        counters());

    List<Garbage> answered = assertAnswersMatch(sent, errors, throttled, seed);
    assertThat(victim.drain(MessageKind.RESPONSE))
        .as("no task handed out (seed %d)", seed)
        .isEmpty();
    assertThat(victim.drain(MessageKind.COMMIT)).as("no result taken (seed %d)", seed).isEmpty();
    assertThat(snapshot(tasks.all())).as("tasks unchanged (seed %d)", seed).isEqualTo(before);
    assertCounted(sent, answered.size(), countersBefore, seed);
    assertThat(new ActuatorClient("http://127.0.0.1:" + port).get("health").status())
        .as("core healthy after the garbage")
        .isEqualTo(200);
    aValidTaskForAnotherDeviceStillRunsToTheEnd();
  }

  /** Checks the answers received against those expected; returns the messages answered. */
  private List<Garbage> assertAnswersMatch(
      List<Garbage> sent, List<Received> errors, long throttled, long seed) {
    Matching matching = mismatches(sent, errors);
    assertThat(matching.problems())
        .as("messages whose answer is not the expected one (seed %d)", seed)
        .isEmpty();
    assertThat(matching.unansweredRequests())
        .as("requests left unanswered are those the rate limit dropped (seed %d)", seed)
        .hasSize((int) throttled);
    List<Garbage> answered =
        sent.stream()
            .filter(g -> g.expect().answered())
            .filter(g -> matching.unansweredRequests().stream().noneMatch(u -> u == g))
            .toList();
    Map<String, Integer> received = new HashMap<>();
    for (Received error : errors) {
      String code = error.userProperties().get(UserProperties.ERROR_CODE);
      received.merge(code, 1, Integer::sum);
      if (ProtocolError.MALFORMED_CORRELATION_DATA.code().equals(code)) {
        assertThat(error.correlationData()).as("malformed: no correlation data").isNull();
      } else {
        assertThat(error.correlation()).as("err %s names the task", code).isNotNull();
      }
    }
    Map<String, Integer> exact = new HashMap<>();
    Map<String, Integer> possible = new HashMap<>();
    for (Garbage g : answered) {
      for (String code : g.expect().codes()) {
        possible.merge(code, 1, Integer::sum);
        if (g.expect().codes().size() == 1) {
          exact.merge(code, 1, Integer::sum);
        }
      }
    }
    assertThat(errors.size())
        .as("one err per refused message (seed %d): %s", seed, received)
        .isEqualTo(answered.size());
    for (Map.Entry<String, Integer> e : received.entrySet()) {
      assertThat(e.getValue())
          .as("err %s (seed %d), expected at least %s", e.getKey(), seed, exact.get(e.getKey()))
          .isBetween(exact.getOrDefault(e.getKey(), 0), possible.getOrDefault(e.getKey(), 0));
    }
    exact.forEach(
        (code, n) ->
            assertThat(received.getOrDefault(code, 0))
                .as("err %s (seed %d)", code, seed)
                .isGreaterThanOrEqualTo(n));
    // Per message, where the answer names a task: the task ids answered are those sent.
    Map<String, Integer> expectedIds = new HashMap<>();
    answered.stream()
        .filter(g -> g.expect().correlation() != null)
        .forEach(g -> expectedIds.merge(g.expect().correlation().toString(), 1, Integer::sum));
    Map<String, Integer> answeredIds = new HashMap<>();
    errors.stream()
        .filter(e -> e.correlation() != null)
        .forEach(e -> answeredIds.merge(e.correlation(), 1, Integer::sum));
    assertThat(answeredIds).as("task ids in the answers (seed %d)", seed).isEqualTo(expectedIds);
    return answered;
  }

  /**
   * Per task id named in the answers ("none" for malformed correlation data): the expected answers
   * that no received err matched, with their messages, and the received codes left over. A request
   * left unmatched is not a problem by itself: the rate limit may have dropped it.
   */
  private static Matching mismatches(List<Garbage> sent, List<Received> errors) {
    Map<String, List<String>> received = new HashMap<>();
    for (Received error : errors) {
      String key = error.correlation() == null ? "none" : error.correlation();
      received
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(error.userProperties().get(UserProperties.ERROR_CODE));
    }
    List<String> problems = new ArrayList<>();
    List<Garbage> unansweredRequests = new ArrayList<>();
    List<Garbage> answered =
        sent.stream()
            .filter(g -> g.expect().answered())
            // Requests last: any answer they could take from another message goes to that one.
            .sorted(
                java.util.Comparator.comparing(Garbage::isRequest)
                    .thenComparingInt(g -> g.expect().codes().size()))
            .toList();
    for (Garbage g : answered) {
      String key = g.expect().correlation() == null ? "none" : g.expect().correlation().toString();
      List<String> codes = received.getOrDefault(key, new ArrayList<>());
      String match = codes.stream().filter(g.expect().codes()::contains).findFirst().orElse(null);
      if (match == null && g.isRequest()) {
        unansweredRequests.add(g);
      } else if (match == null) {
        problems.add("expected " + g.expect().codes() + " for: " + g.description());
      } else {
        codes.remove(match);
      }
    }
    received.forEach(
        (key, codes) -> codes.forEach(code -> problems.add("unexpected " + code + " for " + key)));
    return new Matching(problems, unansweredRequests);
  }

  private void assertCounted(
      List<Garbage> sent, long refused, Map<String, Double> before, long seed) {
    Map<String, Double> after = counters();
    double refusedCounted = 0;
    for (ProtocolError error : ProtocolError.values()) {
      String key = "iot.device.errors:" + error.code();
      refusedCounted += after.get(key) - before.get(key);
    }
    assertThat(refusedCounted)
        .as("refusals counted (seed %d)", seed)
        .isGreaterThanOrEqualTo(refused);
    for (String reason : List.of("unknown-kind", "not-protocol")) {
      long ignored = sent.stream().filter(g -> reason.equals(g.expect().ignored())).count();
      String key = "iot.device.messages.ignored:" + reason;
      assertThat(after.get(key) - before.get(key))
          .as("ignored %s counted (seed %d)", reason, seed)
          .isGreaterThanOrEqualTo(ignored);
    }
    for (String key : List.of("iot.messages.dropped:error", "iot.messages.retried")) {
      assertThat(after.get(key))
          .as("%s: no garbage message failed in the core or looped (seed %d)", key, seed)
          .isEqualTo(before.get(key));
    }
  }

  private Map<String, Double> counters() {
    Map<String, Double> values = new LinkedHashMap<>();
    for (ProtocolError error : ProtocolError.values()) {
      values.put(
          "iot.device.errors:" + error.code(), count("iot.device.errors", "code", error.code()));
    }
    for (String reason : List.of("unknown-kind", "not-protocol")) {
      values.put(
          "iot.device.messages.ignored:" + reason,
          count("iot.device.messages.ignored", "reason", reason));
    }
    values.put(
        "iot.messages.dropped:error",
        meters.find("iot.messages.dropped").tag("reason", "error").counters().stream()
            .mapToDouble(Counter::count)
            .sum());
    values.put(
        "iot.messages.retried",
        meters.find("iot.messages.retried").counters().stream().mapToDouble(Counter::count).sum());
    return values;
  }

  private double throttledRequests() {
    return count("iot.device.throttled", "kind", MessageKind.REQUEST.suffix());
  }

  private double count(String name, String tag, String value) {
    Counter counter = meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private void aValidTaskForAnotherDeviceStillRunsToTheEnd() throws Exception {
    TestDevice device = connect(fixtures.newDevice("after-garbage"));
    UUID task = fixtures.createTask(device.id(), "relay.switch", 5, inMinutes(30));
    device.next(MessageKind.TRIGGER, task);
    device.request(task);
    device.next(MessageKind.RESPONSE, task);
    device.result(task, 200, "{\"ok\":true}");
    device.next(MessageKind.COMMIT, task);
    assertThat(fixtures.status(task)).isEqualTo(TaskStatus.DONE);
    fixtures.assertHistoryIsAPath(task);
  }

  /**
   * The tasks the garbage aims at.
   *
   * @param queued waiting, never handed out
   * @param locked handed out, its lease pushed far ahead so no sweep touches it during the test
   * @param done finished with a result
   * @param foreign another device's task, waiting
   */
  record Tasks(UUID queued, UUID locked, UUID done, UUID foreign) {
    List<UUID> all() {
      return List.of(queued, locked, done, foreign);
    }
  }

  private Tasks tasksInEveryState(TestDevice victim) throws Exception {
    UUID done = fixtures.createTask(victim.id(), "garbage.done", 1, inMinutes(30));
    victim.request(done);
    victim.next(MessageKind.RESPONSE, done);
    victim.result(done, 200, "{\"done\":true}");
    victim.next(MessageKind.COMMIT, done);
    UUID locked = fixtures.createTask(victim.id(), "garbage.locked", 1, inMinutes(30));
    victim.request(locked);
    victim.next(MessageKind.RESPONSE, locked);
    jdbc.sql("UPDATE tasks SET lease_expires_at = now() + interval '20 minutes' WHERE id = ?")
        .params(locked)
        .update();
    UUID queued = fixtures.createTask(victim.id(), "garbage.queued", 1, inMinutes(30));
    victim.next(MessageKind.TRIGGER, queued);
    String other = fixtures.newDevice("garbage-other");
    UUID foreign = fixtures.createTask(other, "garbage.foreign", 1, inMinutes(30));
    assertThat(fixtures.status(done)).isEqualTo(TaskStatus.DONE);
    assertThat(fixtures.status(locked)).isEqualTo(TaskStatus.LOCKED);
    assertThat(fixtures.status(queued)).isEqualTo(TaskStatus.QUEUED);
    return new Tasks(queued, locked, done, foreign);
  }

  /** Every column a device message could change, and the number of events, per task. */
  private Map<UUID, String> snapshot(List<UUID> ids) {
    Map<UUID, String> rows = new LinkedHashMap<>();
    for (UUID id : ids) {
      rows.put(
          id,
          jdbc.sql(
                  """
                  SELECT concat_ws('|', status, attempts, status_code, result::text, result_id,
                                   acknowledged_at, locked_at, lease_expires_at, finished_at,
                                   updated_at, external_id,
                                   (SELECT count(*) FROM task_events WHERE task_id = t.id))
                    FROM tasks t WHERE id = ?
                  """)
              .params(id)
              .query(String.class)
              .single());
    }
    return rows;
  }

  private TestDevice connect(String id) throws Exception {
    TestDevice device = TestDevice.connect(mqttHost, mqttPort, id);
    devices.add(device);
    return device;
  }

  /** Makes one unusable message after another, from a seeded random source. */
  static final class Generator {

    private static final String[] BAD_STATUS = {
      "",
      "abc",
      "2000",
      "20",
      "099",
      "+20",
      "1xx",
      "300",
      "100",
      "199",
      "600",
      "999",
      "\u0662\u0660\u0660",
      " 200",
      "200 ",
      "2e2",
      "-200",
      "0x1",
      "null",
      "２００"
    };
    private static final String[] BAD_JSON = {
      "{",
      "{\"a\":",
      "[1,2",
      "{\"a\":1,}",
      "'single'",
      "NaN",
      "{} {}",
      "tru",
      "\"unterminated",
      "{\"a\":\"\\ud800\"}",
      "[\"\\udc00\"]",
      "{\"k\\u0000\":1}",
      "[1e200000]",
      "-1e999999",
      "{\"a\":\"\\u0000\"}",
      "<xml/>",
      "1.5e-16383"
    };

    private final Random random;
    private final String device;
    private final Tasks tasks;

    Generator(Random random, String device, Tasks tasks) {
      this.random = random;
      this.device = device;
      this.tasks = tasks;
    }

    Garbage next() {
      return switch (random.nextInt(10)) {
        case 0 -> unknownKind();
        case 1 -> deeperTopic();
        case 2, 3 -> malformedCorrelation();
        case 4 -> unknownTask();
        case 5, 6, 7 -> badResult();
        case 8 -> refusedByState();
        default -> duplicatedStatusCode();
      };
    }

    private Garbage unknownKind() {
      String kind;
      do {
        kind = alnum(1 + random.nextInt(8)).toLowerCase(java.util.Locale.ROOT);
      } while (Set.of("ack", "req", "res").contains(kind));
      Mqtt5PublishBuilder.Complete publish =
          base("dev/" + device + "/" + kind).payload(randomBytes(random.nextInt(2000)));
      maybeCorrelate(publish, tasks.all().get(random.nextInt(4)));
      return new Garbage("kind " + kind, noise(publish), Expect.ignored("unknown-kind"));
    }

    private Garbage deeperTopic() {
      String topic = "dev/" + device + "/" + pick("res", "req", "ack") + "/" + alnum(3);
      Mqtt5PublishBuilder.Complete publish = base(topic).payload(randomBytes(random.nextInt(100)));
      maybeCorrelate(publish, tasks.locked());
      return new Garbage(topic, noise(publish), Expect.ignored("not-protocol"));
    }

    private Garbage malformedCorrelation() {
      String kind = pick("ack", "req", "res");
      Mqtt5PublishBuilder.Complete publish = base("dev/" + device + "/" + kind);
      String how;
      switch (random.nextInt(5)) {
        case 0 -> how = "none";
        case 1 -> {
          int length;
          do {
            length = 1 + random.nextInt(64);
          } while (length == 16 || length == 36);
          publish.correlationData(randomBytes(length));
          how = length + " bytes";
        }
        case 2 -> {
          String text = tasks.locked().toString();
          int at = random.nextInt(36);
          char wrong = "ghijxyz-{}_ ".charAt(random.nextInt(12));
          String mangled = text.substring(0, at) + wrong + text.substring(at + 1);
          if (mangled.equalsIgnoreCase(text) || TaskIds.fromText(mangled).isPresent()) {
            mangled = "g" + text.substring(1);
          }
          publish.correlationData(mangled.getBytes(StandardCharsets.US_ASCII));
          how = "mangled " + mangled;
        }
        case 3 -> {
          publish.correlationData(
              (tasks.locked().toString().substring(0, 35) + "é").getBytes(StandardCharsets.UTF_8));
          how = "non-ascii 36 chars";
        }
        default -> {
          publish.userProperties(
              Mqtt5UserProperties.of(
                  com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty.of(
                      UserProperties.CORRELATION_DATA, alnum(random.nextInt(40)))));
          how = "correlationData property";
        }
      }
      if (kind.equals("res")) {
        publish.payload(randomBytes(random.nextInt(200)));
      }
      return new Garbage(
          kind + " with " + how,
          noiseKeepingProperties(publish),
          Expect.error(ProtocolError.MALFORMED_CORRELATION_DATA, null));
    }

    private Garbage unknownTask() {
      UUID task =
          random.nextInt(4) == 0 ? TaskIds.ZERO : new UUID(random.nextLong(), random.nextLong());
      String kind = task.equals(TaskIds.ZERO) ? pick("ack", "res") : pick("ack", "req", "res");
      Mqtt5PublishBuilder.Complete publish = base("dev/" + device + "/" + kind);
      correlate(publish, task);
      if (kind.equals("res")) {
        addProperty(publish, UserProperties.STATUS_CODE, validStatus());
        publish.payload("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
      }
      return new Garbage(
          kind + " for unknown task " + task,
          noiseKeepingProperties(publish),
          Expect.error(ProtocolError.UNKNOWN_TASK, task));
    }

    /** A result that fails a check made before the task is looked at; any task id. */
    private Garbage badResult() {
      UUID task =
          random.nextInt(5) == 0
              ? new UUID(random.nextLong(), random.nextLong())
              : tasks.all().get(random.nextInt(4));
      Mqtt5PublishBuilder.Complete publish = base("dev/" + device + "/res");
      correlate(publish, task);
      ProtocolError error;
      String how;
      switch (random.nextInt(3)) {
        case 0 -> {
          String status =
              random.nextInt(6) == 0 ? null : BAD_STATUS[random.nextInt(BAD_STATUS.length)];
          if (status != null) {
            addProperty(publish, UserProperties.STATUS_CODE, status);
          }
          publish.payload("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
          error = ProtocolError.INVALID_STATUS_CODE;
          how = "status_code " + status;
        }
        case 1 -> {
          int size = ProtocolLimits.MAX_PAYLOAD_BYTES + 1 + random.nextInt(150_000);
          addProperty(publish, UserProperties.STATUS_CODE, validStatus());
          byte[] body = new byte[size];
          java.util.Arrays.fill(body, (byte) ' ');
          body[0] = '"';
          body[size - 1] = '"';
          publish.payload(body);
          error = ProtocolError.PAYLOAD_TOO_LARGE;
          how = size + " bytes";
        }
        default -> {
          addProperty(publish, UserProperties.STATUS_CODE, validStatus());
          byte[] body;
          if (random.nextBoolean()) {
            body = BAD_JSON[random.nextInt(BAD_JSON.length)].getBytes(StandardCharsets.UTF_8);
          } else {
            String valid = "{\"reading\":[1,2,3],\"unit\":\"°C\",\"ok\":true}";
            body =
                random.nextBoolean()
                    ? valid
                        .substring(0, 1 + random.nextInt(valid.length() - 2))
                        .getBytes(StandardCharsets.UTF_8)
                    : new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'};
          }
          publish.payload(body);
          error = ProtocolError.INVALID_RESULT;
          how = "payload " + new String(body, StandardCharsets.UTF_8);
        }
      }
      return new Garbage(
          "res for " + task + " with " + how,
          noiseKeepingProperties(publish),
          Expect.error(error, task));
    }

    /** Well-formed messages the task's state refuses, or that change nothing without an answer. */
    private Garbage refusedByState() {
      return switch (random.nextInt(7)) {
        case 0 ->
            stateCase(
                "req",
                tasks.locked(),
                null,
                Expect.error(ProtocolError.TASK_LOCKED, tasks.locked()));
        case 1 ->
            stateCase(
                "req", tasks.done(), null, Expect.error(ProtocolError.TASK_FINISHED, tasks.done()));
        case 2 -> stateCase("ack", tasks.done(), null, Expect.silence());
        case 3 -> stateCase("ack", tasks.locked(), null, Expect.silence());
        case 4 ->
            stateCase(
                "res",
                tasks.queued(),
                validStatus(),
                Expect.error(ProtocolError.TASK_NOT_STARTED, tasks.queued()));
        default -> {
          String kind = pick("ack", "req", "res");
          yield stateCase(
              kind,
              tasks.foreign(),
              kind.equals("res") ? validStatus() : null,
              Expect.error(ProtocolError.UNKNOWN_TASK, tasks.foreign()));
        }
      };
    }

    private Garbage stateCase(String kind, UUID task, String status, Expect expect) {
      Mqtt5PublishBuilder.Complete publish = base("dev/" + device + "/" + kind);
      correlate(publish, task);
      if (status != null) {
        addProperty(publish, UserProperties.STATUS_CODE, status);
        publish.payload("{\"late\":true}".getBytes(StandardCharsets.UTF_8));
      } else if (random.nextBoolean()) {
        publish.payload(randomBytes(random.nextInt(300)));
      }
      return new Garbage(kind + " for " + task, noiseKeepingProperties(publish), expect);
    }

    /** Two status_code properties for a task that does not exist: either check may refuse it. */
    private Garbage duplicatedStatusCode() {
      UUID task = new UUID(random.nextLong(), random.nextLong());
      Mqtt5PublishBuilder.Complete publish = base("dev/" + device + "/res");
      correlate(publish, task);
      addProperty(publish, UserProperties.STATUS_CODE, validStatus());
      addProperty(publish, UserProperties.STATUS_CODE, pick("200", "abc", "500"));
      publish.payload("{}".getBytes(StandardCharsets.UTF_8));
      return new Garbage(
          "res with two status_code for " + task,
          noiseKeepingProperties(publish),
          Expect.eitherOf(task, ProtocolError.INVALID_STATUS_CODE, ProtocolError.UNKNOWN_TASK));
    }

    private Mqtt5PublishBuilder.Complete base(String topic) {
      return Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE);
    }

    /** The task id as the 36-character text, as 16 raw bytes, or in the fallback property. */
    private void correlate(Mqtt5PublishBuilder.Complete publish, UUID task) {
      switch (random.nextInt(3)) {
        case 0 -> publish.correlationData(TaskIds.toCorrelationData(task));
        case 1 -> publish.correlationData(TaskIds.toRawBytes(task));
        default -> addProperty(publish, UserProperties.CORRELATION_DATA, task.toString());
      }
    }

    private void maybeCorrelate(Mqtt5PublishBuilder.Complete publish, UUID task) {
      if (random.nextBoolean()) {
        publish.correlationData(TaskIds.toCorrelationData(task));
      }
    }

    /** Random properties the core does not read, on top of the message's own. */
    private Mqtt5Publish noise(Mqtt5PublishBuilder.Complete publish) {
      Mqtt5UserPropertiesBuilder extra = Mqtt5UserProperties.builder();
      for (int i = random.nextInt(4); i > 0; i--) {
        extra.add("g_" + alnum(1 + random.nextInt(10)), text(random.nextInt(60)));
      }
      publish.userProperties(extra.build());
      return decorate(publish);
    }

    /** Adds random properties the core does not read, keeping the message's user properties. */
    private Mqtt5Publish noiseKeepingProperties(Mqtt5PublishBuilder.Complete publish) {
      Mqtt5Publish built = publish.build();
      Mqtt5UserPropertiesBuilder merged = Mqtt5UserProperties.builder();
      built.getUserProperties().asList().forEach(merged::add);
      for (int i = random.nextInt(4); i > 0; i--) {
        merged.add("g_" + alnum(1 + random.nextInt(10)), text(random.nextInt(60)));
      }
      return decorate(built.extend().userProperties(merged.build()));
    }

    private Mqtt5Publish decorate(Mqtt5PublishBuilder.Complete publish) {
      if (random.nextInt(3) == 0) {
        publish.contentType(pick("application/json", "text/plain", "x/" + alnum(5), "ü/ß"));
      }
      if (random.nextInt(4) == 0) {
        // Long enough that no message expires in the queue before the core reads it.
        publish.messageExpiryInterval(600 + random.nextInt(86_400));
      }
      if (random.nextInt(4) == 0) {
        publish.responseTopic("dev/" + device + "/" + alnum(4));
      }
      return publish.build();
    }

    /** Adds a user property, keeping those the message has (the builder would replace them). */
    private static void addProperty(
        Mqtt5PublishBuilder.Complete publish, String name, String value) {
      Mqtt5UserPropertiesBuilder merged = Mqtt5UserProperties.builder();
      publish.build().getUserProperties().asList().forEach(merged::add);
      publish.userProperties(merged.add(name, value).build());
    }

    private String validStatus() {
      int[] ranges = {200, 400, 500};
      return Integer.toString(ranges[random.nextInt(3)] + random.nextInt(100));
    }

    private String pick(String... options) {
      return options[random.nextInt(options.length)];
    }

    private String alnum(int length) {
      String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        out.append(chars.charAt(random.nextInt(chars.length())));
      }
      return out.toString();
    }

    /** Printable text with some non-ASCII letters: valid in an MQTT string. */
    private String text(int length) {
      String chars = "abc XYZ 019 -_.:/#+*?=\"'{}[] äöü é 日本 ";
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        out.append(chars.charAt(random.nextInt(chars.length())));
      }
      return out.toString();
    }

    private byte[] randomBytes(int length) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      return bytes;
    }
  }
}
