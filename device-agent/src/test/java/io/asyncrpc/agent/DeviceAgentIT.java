package io.asyncrpc.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.protocol.CancelOutcome;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.testsupport.BrokerManagement;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tests for {@link DeviceAgent} against the real RabbitMQ MQTT 5 listener, with the test playing
 * the core.
 */
class DeviceAgentIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Endpoints endpoints = Infrastructure.endpoints();
  private final String deviceId = "agent-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger echoRuns = new AtomicInteger();
  private final Events events = new Events();
  private TestCore core;
  private DeviceAgent agent;
  // Whether the device got a broker login of its own (ownLogin), to delete afterwards.
  private boolean ownLogin;

  @BeforeEach
  void connectCore() throws Exception {
    core = new TestCore(endpoints, deviceId);
  }

  @AfterEach
  void closeAll() throws Exception {
    if (agent != null) {
      agent.close();
    }
    core.close();
    if (ownLogin) {
      BrokerManagement.of(endpoints).deleteUser(deviceId);
    }
  }

  @Test
  void pollsTheHeadOfItsFifoAfterConnecting() {
    start(builder());

    assertThat(agent.isConnected()).isTrue();
    await().untilAsserted(() -> assertThat(core.received("req", TaskIds.ZERO)).isNotEmpty());
  }

  @Test
  void acknowledgesATriggerAndRequestsTheTaskById() throws Exception {
    start(builder());
    UUID task = UUID.randomUUID();

    core.trigger(task, "echo");

    await()
        .untilAsserted(
            () -> {
              assertThat(core.received("ack", task)).hasSize(1);
              assertThat(core.received("req", task)).hasSize(1);
            });
    assertThat(core.received("ack", task).getFirst().payload()).isEmpty();
  }

  @Test
  void runsTheHandlerAndSendsTheResult() throws Exception {
    start(builder());
    UUID task = UUID.randomUUID();

    core.respond(TestCore.task(task, "echo", 1, "order-42", "{\"relay\":2,\"state\":\"on\"}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).isNotEmpty());
    TestCore.Received result = core.received("res", task).getFirst();
    assertThat(result.correlation()).isEqualTo(task.toString()).hasSize(36);
    assertThat(result.properties())
        .containsEntry("status_code", "200")
        .containsEntry("ext_id", "order-42");
    assertThat(JSON.readTree(result.payload()))
        .isEqualTo(JSON.readTree("{\"relay\":2,\"state\":\"on\"}"));
    assertThat(events.received).extracting(Task::id).containsExactly(task);
  }

  @Test
  void aReportingHandlerSendsItsProgressWhileItRuns() throws Exception {
    start(
        builder()
            .handler(
                "firmware.update",
                (task, progress) -> {
                  progress.report(10);
                  progress.report(50, "block 5 of 10", "{\"block\":5}");
                  assertThatIllegalArgument(() -> progress.report(101));
                  assertThatIllegalArgument(() -> progress.report(1, null, "[1]"));
                  return TaskResult.ok("{\"flashed\":10}");
                }));
    UUID task = UUID.randomUUID();

    core.respond(TestCore.task(task, "firmware.update", "{}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).isNotEmpty());
    List<TestCore.Received> reports = core.received("prg", task);
    assertThat(reports).hasSize(2);
    assertThat(reports).allSatisfy(r -> assertThat(r.correlation()).isEqualTo(task.toString()));
    assertThat(JSON.readTree(reports.get(0).payload()))
        .isEqualTo(JSON.readTree("{\"percent\":10}"));
    assertThat(JSON.readTree(reports.get(1).payload()))
        .isEqualTo(
            JSON.readTree(
                "{\"percent\":50,\"message\":\"block 5 of 10\",\"details\":{\"block\":5}}"));
    assertThat(core.received("res", task).getFirst().properties())
        .containsEntry("status_code", "200");
  }

  private static void assertThatIllegalArgument(Runnable call) {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(call::run);
  }

  @Test
  void answersAnUnknownMethodCodeWith501() throws Exception {
    start(builder());
    UUID task = UUID.randomUUID();

    core.respond(TestCore.task(task, "firmware.update", "{}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).isNotEmpty());
    TestCore.Received result = core.received("res", task).getFirst();
    assertThat(result.properties()).containsEntry("status_code", "501");
    assertThat(JSON.readTree(result.payload()).path("error").asString())
        .isEqualTo("unknown method_code firmware.update");
  }

  @Test
  void resendsTheResultUntilCommittedThenPolls() throws Exception {
    start(builder().resultRetryInterval(Duration.ofMillis(300)));
    UUID task = UUID.randomUUID();
    core.respond(TestCore.task(task, "echo", "{\"n\":1}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSizeGreaterThan(1));
    int pollsBeforeCommit = core.received("req", TaskIds.ZERO).size();
    core.commit(task);

    await()
        .untilAsserted(
            () -> {
              assertThat(events.committed).containsExactly(task);
              assertThat(core.received("req", TaskIds.ZERO)).hasSizeGreaterThan(pollsBeforeCommit);
            });
    assertThat(echoRuns).hasValue(1);
  }

  @Test
  void staysIdleOnANoTaskAnswer() throws Exception {
    start(builder());
    core.noTask();
    UUID task = UUID.randomUUID();

    // Messages are handled in order: once the later trigger is answered, the 204 was handled too.
    core.trigger(task, "echo");

    await().untilAsserted(() -> assertThat(core.received("req", task)).hasSize(1));
    assertThat(events.received).isEmpty();
    assertThat(core.received().stream().map(TestCore.Received::kind)).doesNotContain("res");
  }

  @Test
  void doesNotRunARedeliveredTaskTwiceButSendsItsResultAgain() throws Exception {
    start(builder());
    UUID task = UUID.randomUUID();
    core.respond(TestCore.task(task, "echo", "{\"n\":7}"));
    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(1));

    core.respond(TestCore.task(task, "echo", 2, null, "{\"n\":7}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(2));
    assertThat(echoRuns).hasValue(1);
    assertThat(core.received("res", task))
        .extracting(TestCore.Received::payload)
        .containsOnly("{\"n\":7}");
  }

  @Test
  void reconnectsResubscribesAndPollsWhenTheBrokerClosesTheConnection() throws Exception {
    start(builder().credentials(deviceId, ownLogin()));
    await().untilAsserted(() -> assertThat(core.received("req", TaskIds.ZERO)).isNotEmpty());
    int pollsBefore = core.received("req", TaskIds.ZERO).size();

    // As ca-service does for a revoked device: every connection of the device's login.
    BrokerManagement.of(endpoints).closeConnectionsOf(deviceId);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(events.disconnects).hasPositiveValue();
              assertThat(events.connects).hasValueGreaterThan(1);
              assertThat(core.received("req", TaskIds.ZERO)).hasSizeGreaterThan(pollsBefore);
            });
    // Resubscribed: a new task still reaches the agent.
    UUID task = UUID.randomUUID();
    core.respond(TestCore.task(task, "echo", "{}"));
    await().untilAsserted(() -> assertThat(core.received("res", task)).isNotEmpty());
  }

  @Test
  void remembersFinishedTasksAcrossARestartWithAJournal(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    start(builder().journal(journal).resultRetryInterval(Duration.ofHours(1)));
    UUID task = UUID.randomUUID();
    core.respond(TestCore.task(task, "echo", "{\"n\":3}"));
    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(1));
    agent.close();

    start(builder().journal(journal).resultRetryInterval(Duration.ofHours(1)));

    // The uncommitted result is sent again after the restart, and a re-delivery is not run.
    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(2));
    core.respond(TestCore.task(task, "echo", 2, null, "{\"n\":3}"));
    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(3));
    assertThat(echoRuns).hasValue(1);
    assertThat(core.received("res", task))
        .extracting(TestCore.Received::payload)
        .containsOnly("{\"n\":3}");
  }

  @Test
  void v2RunsAPushedTaskAndTheNextTaskOfItsCommitWithoutPolling() throws Exception {
    start(builder().protocol(ProtocolVersion.V2));
    await().untilAsserted(() -> assertThat(core.received("req", TaskIds.ZERO)).hasSize(1));
    assertThat(core.received("req", TaskIds.ZERO).getFirst().properties())
        .containsEntry("protocol", "2");
    UUID pushed = UUID.randomUUID();
    UUID next = UUID.randomUUID();

    core.push(TestCore.task(pushed, "echo", "{\"n\":1}"));
    await().untilAsserted(() -> assertThat(core.received("res", pushed)).hasSize(1));
    assertThat(core.received("res", pushed).getFirst().properties())
        .containsEntry("status_code", "200")
        .containsEntry("protocol", "2");
    core.commitV2(pushed, TestCore.task(next, "echo", "{\"n\":2}"));
    await().untilAsserted(() -> assertThat(core.received("res", next)).hasSize(1));
    core.commitV2(next, null);

    // The agent's messages arrive in order: once the later push is answered, a poll after the
    // idle commit would have arrived too.
    UUID later = UUID.randomUUID();
    core.push(TestCore.task(later, "echo", "{}"));
    await().untilAsserted(() -> assertThat(core.received("res", later)).hasSize(1));
    assertThat(events.committed).containsExactly(pushed, next);
    assertThat(events.received).extracting(Task::id).containsExactly(pushed, next, later);
    assertThat(core.received("req", TaskIds.ZERO)).as("no poll after a v2 commit").hasSize(1);
    assertThat(core.received("res", next).getFirst().payload()).isEqualTo("{\"n\":2}");
    assertThat(echoRuns).hasValue(3);
  }

  @Test
  void v2DoesNotRunAPushedTaskTwice() throws Exception {
    start(builder().protocol(ProtocolVersion.V2));
    UUID task = UUID.randomUUID();
    core.push(TestCore.task(task, "echo", "{\"n\":5}"));
    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(1));

    core.push(TestCore.task(task, "echo", 2, null, "{\"n\":5}"));

    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(2));
    assertThat(echoRuns).hasValue(1);
  }

  @Test
  void v2StopsTheHandlerOfACancelledTaskAnswersStoppedAndSendsNoResult() throws Exception {
    CompletableFuture<Boolean> sawCancel = new CompletableFuture<>();
    start(
        builder()
            .protocol(ProtocolVersion.V2)
            .handler(
                "slow",
                (task, progress) -> {
                  try {
                    Thread.sleep(Duration.ofMinutes(5));
                  } finally {
                    sawCancel.complete(progress.isCancelled());
                  }
                  return TaskResult.ok();
                }));
    UUID task = UUID.randomUUID();
    core.push(TestCore.task(task, "slow", "{}"));
    await().until(() -> events.received.stream().anyMatch(t -> t.id().equals(task)));

    core.cancel(task);

    await().untilAsserted(() -> assertThat(core.received("cna", task)).hasSize(1));
    assertThat(core.received("cna", task).getFirst().properties())
        .containsEntry("cancel_outcome", "stopped")
        .containsEntry("protocol", "2");
    assertThat(sawCancel.get(5, TimeUnit.SECONDS)).as("isCancelled() in the handler").isTrue();
    assertThat(events.cancelled).containsExactly(task + " STOPPED");
    // No commit brings a next task after a cancel: the agent asks for the FIFO's head.
    await().untilAsserted(() -> assertThat(core.received("req", TaskIds.ZERO)).hasSize(2));
    // The agent is idle again and runs the next task; the stopped one never sent a result.
    UUID next = UUID.randomUUID();
    core.push(TestCore.task(next, "echo", "{}"));
    await().untilAsserted(() -> assertThat(core.received("res", next)).hasSize(1));
    assertThat(core.received("res", task)).isEmpty();
  }

  @Test
  void v2AnswersFinishedForADoneTaskAndUnknownForOneItNeverHeld() throws Exception {
    start(builder().protocol(ProtocolVersion.V2));
    UUID done = UUID.randomUUID();
    core.push(TestCore.task(done, "echo", "{}"));
    await().untilAsserted(() -> assertThat(core.received("res", done)).hasSize(1));
    UUID unknown = UUID.randomUUID();

    core.cancel(done);
    core.cancel(unknown);

    await().untilAsserted(() -> assertThat(core.received("cna", unknown)).hasSize(1));
    assertThat(core.received("cna", done).getFirst().properties())
        .containsEntry("cancel_outcome", "finished");
    assertThat(core.received("cna", unknown).getFirst().properties())
        .containsEntry("cancel_outcome", "unknown");
  }

  @Test
  void aV1AgentIgnoresACancel() throws Exception {
    CompletableFuture<Void> running = new CompletableFuture<>();
    start(
        builder()
            .handler(
                "slow",
                task -> {
                  running.complete(null);
                  Thread.sleep(1000);
                  return TaskResult.ok("{\"slept\":true}");
                }));
    UUID task = UUID.randomUUID();
    core.respond(TestCore.task(task, "slow", "{}"));
    running.get(10, TimeUnit.SECONDS);

    core.cancel(task);

    await().untilAsserted(() -> assertThat(core.received("res", task)).hasSize(1));
    assertThat(core.received("res", task).getFirst().payload()).isEqualTo("{\"slept\":true}");
    assertThat(core.received()).extracting(TestCore.Received::kind).doesNotContain("cna");
  }

  @Test
  void publishesAnEventAndCompletesWithTheCoresAnswer() throws Exception {
    start(builder());
    DeviceEvent event = new DeviceEvent(13, 4711, Instant.ofEpochSecond(1764072000));
    String payload = "{\"101\":4711,\"102\":1764072000,\"200\":13,\"300\":[{\"cell\":4}]}";

    CompletableFuture<EventOutcome> outcome = agent.publishEvent(event, payload);

    await().untilAsserted(() -> assertThat(core.events()).hasSize(1));
    TestCore.Received sent = core.events().getFirst();
    assertThat(sent.properties())
        .containsEntry("event_type_code", "13")
        .containsEntry("dev_event_id", "4711")
        .containsEntry("dev_timestamp", "1764072000");
    assertThat(JSON.readTree(sent.payload())).isEqualTo(JSON.readTree(payload));
    assertThat(sent.message().contentType()).isEqualTo("application/json");
    core.answerEvent(sent, null);
    assertThat(outcome.get(20, TimeUnit.SECONDS))
        .isEqualTo(
            new EventOutcome(event, sent.correlation(), EventOutcome.Status.STORED, null, 1));
  }

  @Test
  void anEventTheCoreRefusesCompletesWithItsCode() throws Exception {
    start(builder());

    CompletableFuture<EventOutcome> outcome =
        agent.publishEvent(new DeviceEvent(13, 4712, Instant.now()), "{}");
    await().untilAsserted(() -> assertThat(core.events()).hasSize(1));
    core.answerEvent(core.events().getFirst(), "invalid-event");

    EventOutcome refused = outcome.get(20, TimeUnit.SECONDS);
    assertThat(refused.status()).isEqualTo(EventOutcome.Status.REFUSED);
    assertThat(refused.errorCode()).isEqualTo("invalid-event");
  }

  @Test
  void sendsAnEventPublishedBeforeConnectingOnceConnected() throws Exception {
    agent = builder().build();
    CompletableFuture<EventOutcome> outcome =
        agent.publishEvent(new DeviceEvent(13, 1, Instant.now()), null);
    assertThat(outcome).isNotDone();

    agent.start().orTimeout(20, TimeUnit.SECONDS).join();

    await().untilAsserted(() -> assertThat(core.events()).hasSize(1));
    core.answerEvent(core.events().getFirst(), null);
    assertThat(outcome.get(20, TimeUnit.SECONDS).isStored()).isTrue();
  }

  @Test
  void resendsAnUnansweredEventThenGivesUp() throws Exception {
    start(builder().resultRetryInterval(Duration.ofMillis(300)).eventAttempts(3));

    EventOutcome outcome =
        agent.publishEvent(new DeviceEvent(13, 2, Instant.now()), "{}").get(20, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(EventOutcome.Status.UNANSWERED);
    assertThat(outcome.sends()).isEqualTo(3);
    await().untilAsserted(() -> assertThat(core.events()).hasSize(3));
    assertThat(core.events())
        .extracting(TestCore.Received::correlation)
        .containsOnly(outcome.correlation());
  }

  @Test
  void anAnswerToAResendCompletesTheEvent() throws Exception {
    start(builder().resultRetryInterval(Duration.ofMillis(300)));
    CompletableFuture<EventOutcome> outcome =
        agent.publishEvent(new DeviceEvent(13, 3, Instant.now()), "{}");

    await().untilAsserted(() -> assertThat(core.events()).hasSizeGreaterThanOrEqualTo(2));
    core.answerEvent(core.events().getLast(), null);

    assertThat(outcome.get(20, TimeUnit.SECONDS).sends()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anEventOfTypeZeroCompletesOnceSent() throws Exception {
    start(builder());

    EventOutcome outcome =
        agent.publishEvent(new DeviceEvent(0, 9, Instant.now()), "{}").get(20, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(EventOutcome.Status.NO_ANSWER_EXPECTED);
    await().untilAsserted(() -> assertThat(core.events()).hasSize(1));
  }

  private DeviceAgentBuilder builder() {
    return DeviceAgent.builder()
        .deviceId(deviceId)
        .broker(endpoints.amqpHost(), endpoints.mqttPort())
        .credentials(endpoints.deviceUser(), endpoints.devicePassword())
        .pollInterval(Duration.ofHours(1))
        .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
        .listener(events)
        .handler(
            "echo",
            task -> {
              echoRuns.incrementAndGet();
              return TaskResult.ok(task.payload());
            });
  }

  private void start(DeviceAgentBuilder builder) {
    agent = builder.build();
    agent.start().orTimeout(20, TimeUnit.SECONDS).join();
  }

  /**
   * Gives this device a broker login of its own, with the development device login's permissions
   * (rabbitmq/definitions.json), so that closing its connections closes no other client's; deleted
   * after the test.
   *
   * @return its password
   */
  private String ownLogin() {
    BrokerManagement management = BrokerManagement.of(endpoints);
    String password = UUID.randomUUID().toString();
    var permissions = Objects.requireNonNull(management.permissions(endpoints.deviceUser()));
    var topic = Objects.requireNonNull(management.topicPermissions(endpoints.deviceUser())).get(0);
    management.putUser(deviceId, password);
    ownLogin = true;
    management.putPermissions(
        deviceId,
        permissions.path("configure").asString(),
        permissions.path("write").asString(),
        permissions.path("read").asString());
    management.putTopicPermissions(
        deviceId,
        topic.path("exchange").asString(),
        topic.path("write").asString(),
        topic.path("read").asString());
    return password;
  }

  /** Records the agent's events for assertions. */
  static final class Events implements AgentListener {

    final List<Task> received = new CopyOnWriteArrayList<>();
    final List<UUID> committed = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();

    @Override
    public void connected() {
      connects.incrementAndGet();
    }

    @Override
    public void disconnected(Throwable cause) {
      disconnects.incrementAndGet();
    }

    @Override
    public void taskReceived(Task task) {
      received.add(task);
    }

    @Override
    public void resultCommitted(UUID taskId, UUID resultId) {
      committed.add(taskId);
    }

    @Override
    public void taskCancelled(UUID taskId, CancelOutcome outcome) {
      cancelled.add(taskId + " " + outcome);
    }
  }
}
