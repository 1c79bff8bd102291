package io.asyncrpc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.agent.AgentListener;
import io.asyncrpc.agent.EventOutcome;
import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskHandler;
import io.asyncrpc.agent.TaskResult;
import io.asyncrpc.protocol.CoreCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.GoldenMessages;
import io.asyncrpc.protocol.GoldenMessages.Golden;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.PushedTask;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.protocol.WireMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link AgentEngine}, with a recording stand-in for the MQTT connection and the core's
 * messages built by {@link CoreCodec}.
 */
class AgentEngineTests {

  private static final String DEVICE = "SN-0001";
  private static final ProtocolJson JSON = new ProtocolJson();
  private static final UUID GOLDEN_TASK = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091");
  private static final UUID GOLDEN_NEXT = UUID.fromString("5b7e0c2a-1d3f-4a5b-8c6d-7e8f9a0b1c2d");
  private static final String GOLDEN_RESULT = "{\"relay\":2,\"state\":\"on\",\"took_ms\":12}";
  private static final DeviceEvent GOLDEN_EVENT =
      new DeviceEvent(13, 4711, Instant.ofEpochSecond(1764072000));
  private static final String GOLDEN_EVENT_PAYLOAD =
      "{\"101\":4711,\"102\":1764072000,\"200\":13,\"300\":[{\"cell\":4,\"state\":\"open\"}]}";

  private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final RecordingOutbound outbound = new RecordingOutbound();
  private final AtomicInteger echoRuns = new AtomicInteger();
  private final List<Task> received = new CopyOnWriteArrayList<>();
  private final ResultJournal journal = ResultJournal.inMemory(100);
  private final CoreCodec core = new CoreCodec(JSON);
  private Duration retryInterval = Duration.ofHours(1);
  private int eventAttempts = 5;
  private int eventCapacity = 100;
  private AgentEngine engine;

  @AfterEach
  void stop() throws Exception {
    if (engine != null) {
      events.submit(engine::close).get();
    }
    workers.shutdownNow();
    events.shutdownNow();
  }

  @Test
  void acknowledgesAndRequestsATrigger() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();

    deliver(trigger(task, "echo"));

    assertThat(outbound.sent()).containsExactly("ack " + task, "req " + task);
  }

  @Test
  void requestsATriggerWithoutAckWhenAcknowledgingIsOff() throws Exception {
    start(false, Map.of());
    UUID task = UUID.randomUUID();

    deliver(trigger(task, "echo"));

    assertThat(outbound.sent()).containsExactly("req " + task);
  }

  @Test
  void runsATaskOnceAndResendsItsResultOnRedelivery() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();

    deliver(response(task, "echo", "{\"n\":1}"));
    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).contains("res " + task + " 200 {\"n\":1}"));
    deliver(response(task, "echo", "{\"n\":1}"));

    await()
        .untilAsserted(
            () ->
                assertThat(outbound.sent())
                    .filteredOn(m -> m.startsWith("res " + task))
                    .hasSize(2));
    assertThat(echoRuns).hasValue(1);
  }

  @Test
  void readsTheAttemptOfAResponse() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();

    deliver(core.response(DEVICE, task(task, "echo", 12, "{}"), ProtocolVersion.V1, Instant.now()));

    await().untilAsserted(() -> assertThat(received).extracting(Task::attempt).containsExactly(12));
  }

  @Test
  void pollsTheHeadOfTheFifoAfterACommit() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();
    deliver(response(task, "echo", "{}"));
    await().untilAsserted(() -> assertThat(outbound.sent()).contains("res " + task + " 200 {}"));

    deliver(commit(task, ProtocolVersion.V1, null));

    assertThat(outbound.sent()).last().isEqualTo("req " + TaskIds.ZERO);
  }

  @Test
  void requestsATriggerThatArrivedWhileBusyAfterwards() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(true, Map.of("block", blocking(release)));
    UUID running = UUID.randomUUID();
    UUID waiting = UUID.randomUUID();
    deliver(response(running, "block", "{}"));

    deliver(trigger(waiting, "echo"));
    assertThat(outbound.sent()).containsExactly("ack " + waiting);
    release.countDown();

    await().untilAsserted(() -> assertThat(outbound.sent()).contains("req " + waiting));
  }

  @Test
  void stopsResendingAResultTheCoreRefusesForGood() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();
    deliver(response(task, "nope", "{}"));
    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).anyMatch(m -> m.startsWith("res " + task + " 501")));

    deliver(core.error(DEVICE, task, ProtocolError.TASK_FINISHED, "done", "dev/SN-0001/res"));

    assertThat(events.submit(journal::pending).get()).isEmpty();
    assertThat(outbound.sent()).last().isEqualTo("req " + TaskIds.ZERO);
  }

  @Test
  void readsAnErrorWhosePayloadIsNotJson() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();
    deliver(response(task, "echo", "{}"));
    await().untilAsserted(() -> assertThat(outbound.sent()).contains("res " + task + " 200 {}"));

    deliver(
        WireMessage.of(
            "srv/SN-0001/err",
            TaskIds.toCorrelationData(task),
            new WireMessage.Properties().add(UserProperties.ERROR_CODE, "task-finished").list(),
            "not json".getBytes(StandardCharsets.UTF_8)));

    assertThat(events.submit(journal::pending).get()).as("the result is dropped").isEmpty();
  }

  @Test
  void ignoresGarbageWithoutFailing() throws Exception {
    start(true, Map.of());
    byte[] correlation = TaskIds.toCorrelationData(UUID.randomUUID());

    for (WireMessage garbage :
        List.of(
            WireMessage.of("srv/SN-0001/rsp", new byte[] {1, 2, 3}, List.of(), new byte[0]),
            WireMessage.of(
                "srv/SN-0001/rsp",
                "not-a-uuid".getBytes(StandardCharsets.US_ASCII),
                List.of(),
                new byte[0]),
            WireMessage.of("srv/SN-0001/tsk", null, List.of(), new byte[0]),
            WireMessage.of("srv/OTHER/tsk", correlation, List.of(), new byte[0]),
            WireMessage.of("srv/SN-0001/evt", correlation, List.of(), new byte[0]),
            WireMessage.of("dev/SN-0001/res", correlation, List.of(), new byte[0]),
            WireMessage.of("not/a/protocol/topic", correlation, List.of(), new byte[0]),
            WireMessage.of(
                "srv/SN-0001/cmt", null, List.of(), "{".getBytes(StandardCharsets.UTF_8)))) {
      deliver(garbage);
    }
    UUID task = UUID.randomUUID();
    deliver(trigger(task, null));

    assertThat(outbound.sent()).containsExactly("ack " + task, "req " + task);
  }

  @Test
  void speaksTheGoldenMessagesOfV1() throws Exception {
    start(true, Map.of("relay.switch", task -> TaskResult.ok(GOLDEN_RESULT)));

    deliver(golden("01-trigger.json"));
    assertThat(outbound.messages()).hasSize(2);
    assertGolden(outbound.messages().get(0), "02-ack.json");
    assertGolden(outbound.messages().get(1), "03-request-by-id.json");

    deliver(golden("05-response.json"));
    await().until(() -> outbound.messages().size() == 3);
    assertGolden(outbound.messages().get(2), "07-result-ok.json");

    deliver(golden("11-commit.json"));
    assertThat(outbound.messages()).hasSize(4);
    assertGolden(outbound.messages().get(3), "04-request-head-of-fifo.json");
  }

  @Test
  void speaksTheGoldenMessagesOfV2() throws Exception {
    start(true, Map.of("relay.switch", task -> TaskResult.ok(GOLDEN_RESULT)), ProtocolVersion.V2);

    deliver(golden("14-push-v2.json"));
    await().until(() -> outbound.messages().size() == 1);
    assertGolden(outbound.messages().getFirst(), "15-result-v2.json");

    deliver(golden("16-commit-v2-next.json"));
    await().until(() -> outbound.messages().size() == 2);
    assertThat(outbound.sent().get(1)).isEqualTo("res " + GOLDEN_NEXT + " 200 " + GOLDEN_RESULT);
    assertThat(received)
        .extracting(Task::id, Task::payload)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(GOLDEN_TASK, "{\"relay\":2,\"state\":\"on\"}"),
            org.assertj.core.groups.Tuple.tuple(GOLDEN_NEXT, "{\"relay\":3,\"state\":\"off\"}"));

    deliver(golden("17-commit-v2-idle.json"));
    assertThat(outbound.messages()).as("nothing waits: no poll").hasSize(2);
  }

  @Test
  void v2DeclaresItsVersionOnRequestsAndResults() throws Exception {
    start(false, Map.of(), ProtocolVersion.V2);
    UUID task = UUID.randomUUID();

    deliver(trigger(task, "echo"));
    deliver(response(task, "echo", "{}"));

    await().until(() -> outbound.messages().size() == 2);
    assertThat(outbound.messages())
        .extracting(m -> m.property(UserProperties.PROTOCOL))
        .containsExactly("2", "2");
  }

  @Test
  void v1SendsNoVersion() throws Exception {
    start(false, Map.of());
    UUID task = UUID.randomUUID();

    deliver(trigger(task, "echo"));
    deliver(response(task, "echo", "{}"));

    await().until(() -> outbound.messages().size() == 2);
    assertThat(outbound.messages()).allMatch(m -> m.property(UserProperties.PROTOCOL) == null);
  }

  @Test
  void v2CommitWithANextTaskRunsItWithoutPolling() throws Exception {
    start(true, Map.of(), ProtocolVersion.V2);
    UUID first = UUID.randomUUID();
    UUID next = UUID.randomUUID();
    deliver(push(first, "{\"n\":1}"));
    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).contains("res " + first + " 200 {\"n\":1}"));

    deliver(commit(first, ProtocolVersion.V2, task(next, "echo", 1, "{\"n\":2}")));

    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).contains("res " + next + " 200 {\"n\":2}"));
    assertThat(outbound.sent()).noneMatch(m -> m.startsWith("req "));
    assertThat(received).extracting(Task::id).containsExactly(first, next);
    assertThat(events.submit(journal::pending).get())
        .extracting(JournalEntry::taskId)
        .containsExactly(next);
  }

  @Test
  void v2CommitWithoutANextTaskSendsNoRequest() throws Exception {
    start(true, Map.of(), ProtocolVersion.V2);
    UUID task = UUID.randomUUID();
    deliver(push(task, "{}"));
    await().untilAsserted(() -> assertThat(outbound.sent()).contains("res " + task + " 200 {}"));

    deliver(commit(task, ProtocolVersion.V2, null));

    assertThat(outbound.sent()).containsExactly("res " + task + " 200 {}");
    assertThat(events.submit(journal::pending).get()).isEmpty();
  }

  @Test
  void aV2AgentPollsAfterAV1Commit() throws Exception {
    // A core that does not speak v2 yet answers with v1 commits: the agent keeps polling.
    start(true, Map.of(), ProtocolVersion.V2);
    UUID task = UUID.randomUUID();
    deliver(response(task, "echo", "{}"));
    await().untilAsserted(() -> assertThat(outbound.sent()).contains("res " + task + " 200 {}"));

    deliver(commit(task, ProtocolVersion.V1, null));

    assertThat(outbound.sent()).last().isEqualTo("req " + TaskIds.ZERO);
  }

  @Test
  void aPushedTaskRunsOnceAndItsResultIsResentOnRepush() throws Exception {
    start(true, Map.of(), ProtocolVersion.V2);
    UUID task = UUID.randomUUID();
    deliver(push(task, "{\"n\":1}"));
    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).contains("res " + task + " 200 {\"n\":1}"));

    deliver(push(task, "{\"n\":1}"));
    deliver(commit(UUID.randomUUID(), ProtocolVersion.V2, task(task, "echo", 2, "{\"n\":1}")));

    await()
        .untilAsserted(
            () ->
                assertThat(outbound.sent())
                    .filteredOn(m -> m.startsWith("res " + task))
                    .hasSize(3));
    assertThat(echoRuns).hasValue(1);
  }

  @Test
  void pushesWhileBusyRunInTurnAndOnlyOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(true, Map.of("block", blocking(release)), ProtocolVersion.V2);
    UUID running = UUID.randomUUID();
    UUID waiting = UUID.randomUUID();
    deliver(
        core.response(DEVICE, task(running, "block", 1, "{}"), ProtocolVersion.V2, Instant.now()));

    deliver(push(waiting, "{\"n\":2}"));
    deliver(push(waiting, "{\"n\":2}"));
    deliver(push(running, "{}"));
    assertThat(outbound.sent()).isEmpty();
    release.countDown();

    await()
        .untilAsserted(
            () ->
                assertThat(outbound.sent())
                    .containsExactly(
                        "res " + running + " 200 {}", "res " + waiting + " 200 {\"n\":2}"));
    assertThat(echoRuns).hasValue(1);
  }

  @Test
  void sendsAnEventAsTheGoldenMessageWithACorrelationOfItsOwn() throws Exception {
    start(true, Map.of());

    engine.publishEvent(GOLDEN_EVENT, GOLDEN_EVENT_PAYLOAD);

    WireMessage sent = awaitEvents(1).getFirst();
    Golden golden = GoldenMessages.load("18-event.json");
    assertThat(sent.topic()).isEqualTo(golden.message().topic());
    assertThat(sent.userProperties()).isEqualTo(golden.message().userProperties());
    assertThat(JSON.read(sent.payload())).isEqualTo(golden.payload());
    assertThat(sent.contentType()).isEqualTo(WireMessage.JSON);
    String correlation = correlationOf(sent);
    assertThat(UUID.fromString(correlation)).hasToString(correlation);
  }

  @Test
  void theGoldenAnswerCompletesTheEventAsStored() throws Exception {
    start(true, Map.of());
    CompletableFuture<EventOutcome> outcome =
        engine.publishEvent(GOLDEN_EVENT, GOLDEN_EVENT_PAYLOAD);
    String correlation = correlationOf(awaitEvents(1).getFirst());

    deliver(withCorrelation(golden("19-event-answer.json"), correlation));

    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isEqualTo(
            new EventOutcome(GOLDEN_EVENT, correlation, EventOutcome.Status.STORED, null, 1));
    assertThat(events.submit(engine::eventsWaiting).get()).isZero();
  }

  @Test
  void anErrorAnswerCompletesTheEventWithItsCode() throws Exception {
    start(true, Map.of());
    CompletableFuture<EventOutcome> outcome =
        engine.publishEvent(GOLDEN_EVENT, GOLDEN_EVENT_PAYLOAD);
    String correlation = correlationOf(awaitEvents(1).getFirst());

    deliver(withCorrelation(golden("20-event-answer-error.json"), correlation));

    EventOutcome refused = outcome.get(5, TimeUnit.SECONDS);
    assertThat(refused.status()).isEqualTo(EventOutcome.Status.REFUSED);
    assertThat(refused.errorCode()).isEqualTo("invalid-event");
    assertThat(refused.isStored()).isFalse();
  }

  @Test
  void anAnswerWithoutCorrelationIsMatchedByTypeAndId() throws Exception {
    start(true, Map.of());
    DeviceEvent other = new DeviceEvent(13, 4712, GOLDEN_EVENT.deviceTimestamp());
    CompletableFuture<EventOutcome> first = engine.publishEvent(GOLDEN_EVENT, null);
    CompletableFuture<EventOutcome> second = engine.publishEvent(other, null);
    awaitEvents(2);

    deliver(core.eventAnswer(DEVICE, other, null, "payload-too-large"));

    assertThat(second.get(5, TimeUnit.SECONDS).errorCode()).isEqualTo("payload-too-large");
    assertThat(first).isNotDone();
  }

  @Test
  void anAnswerToAnotherCorrelationCompletesNothing() throws Exception {
    // The second answer of a resent event names the same correlation; a stranger's names another.
    start(true, Map.of());
    CompletableFuture<EventOutcome> outcome = engine.publishEvent(GOLDEN_EVENT, null);
    String correlation = correlationOf(awaitEvents(1).getFirst());

    deliver(core.eventAnswer(DEVICE, GOLDEN_EVENT, UUID.randomUUID().toString(), null));
    assertThat(outcome).isNotDone();
    deliver(core.eventAnswer(DEVICE, GOLDEN_EVENT, correlation, null));
    deliver(core.eventAnswer(DEVICE, GOLDEN_EVENT, correlation, null));

    assertThat(outcome.get(5, TimeUnit.SECONDS).isStored()).isTrue();
  }

  @Test
  void anEventOfTypeOrIdZeroCompletesOnceSent() throws Exception {
    start(true, Map.of());
    Instant now = Instant.now();

    EventOutcome typeZero =
        engine.publishEvent(new DeviceEvent(0, 7, now), "{}").get(5, TimeUnit.SECONDS);
    EventOutcome idZero =
        engine.publishEvent(new DeviceEvent(13, 0, now), null).get(5, TimeUnit.SECONDS);

    assertThat(List.of(typeZero, idZero))
        .extracting(EventOutcome::status, EventOutcome::sends)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(EventOutcome.Status.NO_ANSWER_EXPECTED, 1));
    assertThat(outbound.messages()).hasSize(2);
    assertThat(events.submit(engine::eventsWaiting).get()).isZero();
  }

  @Test
  void resendsAnUnansweredEventThenGivesUp() throws Exception {
    retryInterval = Duration.ofMillis(50);
    eventAttempts = 3;
    start(true, Map.of());

    EventOutcome outcome =
        engine.publishEvent(GOLDEN_EVENT, GOLDEN_EVENT_PAYLOAD).get(5, TimeUnit.SECONDS);

    assertThat(outcome.status()).isEqualTo(EventOutcome.Status.UNANSWERED);
    assertThat(outcome.sends()).isEqualTo(3);
    assertThat(outbound.messages())
        .hasSize(3)
        .allSatisfy(m -> assertThat(correlationOf(m)).isEqualTo(outcome.correlation()))
        .allSatisfy(
            m -> assertThat(m.payload()).isEqualTo(outbound.messages().getFirst().payload()));
  }

  @Test
  void aResentEventIsCompletedByTheAnswerToAnySend() throws Exception {
    retryInterval = Duration.ofMillis(50);
    start(true, Map.of());
    CompletableFuture<EventOutcome> outcome = engine.publishEvent(GOLDEN_EVENT, null);
    String correlation = correlationOf(awaitEvents(2).getFirst());

    deliver(core.eventAnswer(DEVICE, GOLDEN_EVENT, correlation, null));

    assertThat(outcome.get(5, TimeUnit.SECONDS).sends()).isGreaterThanOrEqualTo(2);
    int sent = outbound.messages().size();
    Thread.sleep(200);
    assertThat(outbound.messages()).as("no more resends").hasSize(sent);
  }

  @Test
  void queuesEventsWhileOfflineBoundedAndSendsThemInOrderOnConnect() throws Exception {
    eventCapacity = 2;
    outbound.connected = false;
    start(true, Map.of());
    Instant now = Instant.now();
    CompletableFuture<EventOutcome> first = engine.publishEvent(new DeviceEvent(13, 1, now), null);
    CompletableFuture<EventOutcome> second = engine.publishEvent(new DeviceEvent(13, 2, now), null);
    CompletableFuture<EventOutcome> third = engine.publishEvent(new DeviceEvent(13, 3, now), null);

    assertThatThrownBy(() -> third.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RejectedExecutionException.class);
    assertThat(outbound.messages()).isEmpty();

    outbound.connected = true;
    events.submit(engine::onConnected).get();

    assertThat(outbound.messages())
        .filteredOn(m -> m.topic().endsWith("/evt"))
        .extracting(m -> m.property(UserProperties.DEV_EVENT_ID))
        .containsExactly("1", "2");
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
  }

  @Test
  void aCancelledEventIsNotSentAgain() throws Exception {
    retryInterval = Duration.ofMillis(50);
    start(true, Map.of());
    CompletableFuture<EventOutcome> outcome = engine.publishEvent(GOLDEN_EVENT, null);
    awaitEvents(1);

    outcome.cancel(false);

    await().until(() -> events.submit(engine::eventsWaiting).get() == 0);
    int sent = outbound.messages().size();
    Thread.sleep(200);
    assertThat(outbound.messages()).hasSize(sent);
  }

  @Test
  void closingFailsTheEventsThatWait() throws Exception {
    start(true, Map.of());
    CompletableFuture<EventOutcome> outcome = engine.publishEvent(GOLDEN_EVENT, null);
    awaitEvents(1);

    events.submit(engine::close).get();

    assertThatThrownBy(() -> outcome.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(engine.publishEvent(GOLDEN_EVENT, null))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesAnEventThatCannotBeSent() throws Exception {
    start(true, Map.of());
    Instant now = Instant.now();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> engine.publishEvent(new DeviceEvent(13, 1, now), "not json"))
        .withMessageContaining("one JSON document");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> engine.publishEvent(new DeviceEvent(-1, 1, now), null));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                engine.publishEvent(
                    new DeviceEvent(13, 1, now), "\"" + "x".repeat(16 * 1024) + "\""))
        .withMessageContaining("16384");
    assertThat(outbound.messages()).isEmpty();
  }

  private void start(boolean acknowledge, Map<String, TaskHandler> extra) throws Exception {
    start(acknowledge, extra, ProtocolVersion.V1);
  }

  private void start(boolean acknowledge, Map<String, TaskHandler> extra, ProtocolVersion protocol)
      throws Exception {
    Map<String, TaskHandler> handlers = new HashMap<>(extra);
    handlers.put(
        "echo",
        task -> {
          echoRuns.incrementAndGet();
          return TaskResult.ok(task.payload());
        });
    AgentConfig config =
        new AgentConfig(
            new DeviceId(DEVICE),
            "localhost",
            1883,
            null,
            null,
            false,
            null,
            null,
            handlers,
            null,
            new AgentListener() {
              @Override
              public void taskReceived(Task task) {
                received.add(task);
              }
            },
            Duration.ofHours(1),
            acknowledge,
            retryInterval,
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ofSeconds(30),
            null,
            100,
            protocol,
            eventAttempts,
            eventCapacity);
    engine = new AgentEngine(config, journal, outbound, events, workers);
    events.submit(engine::start).get();
  }

  private static TaskHandler blocking(CountDownLatch release) {
    return task -> {
      release.await(10, TimeUnit.SECONDS);
      return TaskResult.ok();
    };
  }

  private void deliver(WireMessage message) throws Exception {
    events.submit(() -> engine.onMessage(message)).get();
  }

  private WireMessage trigger(UUID task, String methodCode) {
    Instant now = Instant.now();
    return core.trigger(DEVICE, task, methodCode, 0, now.plusSeconds(3600), now);
  }

  private WireMessage response(UUID task, String methodCode, String payload) {
    return core.response(
        DEVICE, task(task, methodCode, 1, payload), ProtocolVersion.V1, Instant.now());
  }

  private WireMessage push(UUID task, String payload) {
    return core.response(DEVICE, task(task, "echo", 1, payload), ProtocolVersion.V2, Instant.now());
  }

  private WireMessage commit(UUID task, ProtocolVersion version, PushedTask next) {
    return core.commit(DEVICE, task, UUID.randomUUID(), "DONE", version, next);
  }

  private static PushedTask task(UUID id, String methodCode, int attempt, String payload) {
    Instant now = Instant.now();
    return new PushedTask(
        id, methodCode, attempt, now.plusSeconds(3600), now.plusSeconds(30), null, payload);
  }

  private List<WireMessage> awaitEvents(int count) {
    await()
        .until(
            () ->
                outbound.messages().stream().filter(m -> m.topic().endsWith("/evt")).count()
                    >= count);
    return outbound.messages().stream().filter(m -> m.topic().endsWith("/evt")).toList();
  }

  private static String correlationOf(WireMessage message) {
    return new String(message.correlationData(), StandardCharsets.UTF_8);
  }

  private static WireMessage withCorrelation(WireMessage message, String correlation) {
    return new WireMessage(
        message.topic(),
        correlation.getBytes(StandardCharsets.UTF_8),
        message.userProperties(),
        message.payload(),
        message.contentType(),
        message.expirySeconds());
  }

  private static WireMessage golden(String file) {
    return GoldenMessages.load(file).message();
  }

  private static void assertGolden(WireMessage actual, String file) {
    Golden golden = GoldenMessages.load(file);
    assertThat(actual.topic()).as(file + " topic").isEqualTo(golden.message().topic());
    assertThat(actual.correlationData())
        .as(file + " correlation data")
        .isEqualTo(golden.message().correlationData());
    assertThat(actual.userProperties())
        .as(file + " user properties")
        .isEqualTo(golden.message().userProperties());
    if (golden.payload() == null) {
      assertThat(actual.payload()).as(file + " payload").isEmpty();
    } else {
      assertThat(JSON.read(actual.payload())).as(file + " payload").isEqualTo(golden.payload());
    }
  }

  /** Records what the engine sends, also as short strings: {@code kind taskId [status payload]}. */
  static final class RecordingOutbound implements Outbound {

    private final List<WireMessage> messages = new CopyOnWriteArrayList<>();
    volatile boolean connected = true;

    @Override
    public boolean isConnected() {
      return connected;
    }

    @Override
    public void send(WireMessage message) {
      messages.add(message);
    }

    List<WireMessage> messages() {
      return List.copyOf(messages);
    }

    List<String> sent() {
      return messages.stream().map(RecordingOutbound::text).toList();
    }

    private static String text(WireMessage message) {
      MessageKind kind = Topic.parseMqtt(message.topic()).orElseThrow().kind();
      String text =
          kind.suffix() + " " + new String(message.correlationData(), StandardCharsets.US_ASCII);
      String status = message.property(UserProperties.STATUS_CODE);
      if (status != null) {
        text += " " + status + " " + new String(message.payload(), StandardCharsets.UTF_8);
      }
      return text;
    }
  }
}
