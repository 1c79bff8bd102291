package io.asyncrpc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.agent.AgentListener;
import io.asyncrpc.agent.TaskHandler;
import io.asyncrpc.agent.TaskResult;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.TaskIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link AgentEngine}, with a recording stand-in for the MQTT connection. */
class AgentEngineTests {

  private static final String DEVICE = "SN-0001";

  private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final RecordingOutbound outbound = new RecordingOutbound();
  private final AtomicInteger echoRuns = new AtomicInteger();
  private final ResultJournal journal = ResultJournal.inMemory(100);
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

    deliver("tsk", task, Map.of("method_code", "echo"), "");

    assertThat(outbound.sent()).containsExactly("ack " + task, "req " + task);
  }

  @Test
  void requestsATriggerWithoutAckWhenAcknowledgingIsOff() throws Exception {
    start(false, Map.of());
    UUID task = UUID.randomUUID();

    deliver("tsk", task, Map.of("method_code", "echo"), "");

    assertThat(outbound.sent()).containsExactly("req " + task);
  }

  @Test
  void runsATaskOnceAndResendsItsResultOnRedelivery() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();

    deliver("rsp", task, Map.of("method_code", "echo"), "{\"n\":1}");
    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).contains("res " + task + " 200 {\"n\":1}"));
    deliver("rsp", task, Map.of("method_code", "echo"), "{\"n\":1}");

    await()
        .untilAsserted(
            () ->
                assertThat(outbound.sent())
                    .filteredOn(m -> m.startsWith("res " + task))
                    .hasSize(2));
    assertThat(echoRuns).hasValue(1);
  }

  @Test
  void pollsTheHeadOfTheFifoAfterACommit() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();
    deliver("rsp", task, Map.of("method_code", "echo"), "{}");
    await().untilAsserted(() -> assertThat(outbound.sent()).contains("res " + task + " 200 {}"));

    deliver("cmt", task, Map.of("result_id", UUID.randomUUID().toString()), "");

    assertThat(outbound.sent()).last().isEqualTo("req " + TaskIds.ZERO);
  }

  @Test
  void requestsATriggerThatArrivedWhileBusyAfterwards() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(
        true,
        Map.of(
            "block",
            task -> {
              release.await(10, TimeUnit.SECONDS);
              return TaskResult.ok();
            }));
    UUID running = UUID.randomUUID();
    UUID waiting = UUID.randomUUID();
    deliver("rsp", running, Map.of("method_code", "block"), "{}");

    deliver("tsk", waiting, Map.of("method_code", "echo"), "");
    assertThat(outbound.sent()).containsExactly("ack " + waiting);
    release.countDown();

    await().untilAsserted(() -> assertThat(outbound.sent()).contains("req " + waiting));
  }

  @Test
  void stopsResendingAResultTheCoreRefusesForGood() throws Exception {
    start(true, Map.of());
    UUID task = UUID.randomUUID();
    deliver("rsp", task, Map.of("method_code", "nope"), "{}");
    await()
        .untilAsserted(
            () -> assertThat(outbound.sent()).anyMatch(m -> m.startsWith("res " + task + " 501")));

    deliver(
        "err",
        task,
        Map.of("error_code", "task-finished", "status_code", "409"),
        "{\"code\":\"task-finished\",\"message\":\"done\",\"topic\":\"dev/SN-0001/res\"}");

    assertThat(events.submit(journal::pending).get()).isEmpty();
    assertThat(outbound.sent()).last().isEqualTo("req " + TaskIds.ZERO);
  }

  @Test
  void ignoresGarbageWithoutFailing() throws Exception {
    start(true, Map.of());

    events
        .submit(
            () -> {
              engine.onMessage("srv/SN-0001/rsp", new byte[] {1, 2, 3}, Map.of(), new byte[0]);
              engine.onMessage(
                  "srv/OTHER/tsk",
                  TaskIds.toCorrelationData(UUID.randomUUID()),
                  Map.of(),
                  new byte[0]);
              engine.onMessage(
                  "srv/SN-0001/cmt", null, Map.of(), "{".getBytes(StandardCharsets.UTF_8));
            })
        .get();
    UUID task = UUID.randomUUID();
    deliver("tsk", task, Map.of(), "");

    assertThat(outbound.sent()).containsExactly("ack " + task, "req " + task);
  }

  private void start(boolean acknowledge, Map<String, TaskHandler> extra) throws Exception {
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
            new AgentListener() {},
            Duration.ofHours(1),
            acknowledge,
            Duration.ofHours(1),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ofSeconds(30),
            null,
            100);
    engine = new AgentEngine(config, journal, outbound, events, workers);
    events.submit(engine::start).get();
  }

  private void deliver(String kind, UUID task, Map<String, String> properties, String payload)
      throws Exception {
    events
        .submit(
            () ->
                engine.onMessage(
                    "srv/" + DEVICE + "/" + kind,
                    TaskIds.toCorrelationData(task),
                    properties,
                    payload.getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  /** Records what the engine sends as short strings: {@code kind taskId [status payload]}. */
  static final class RecordingOutbound implements Outbound {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public void send(OutgoingMessage message) {
      String text =
          message.topic().kind().suffix()
              + " "
              + new String(message.correlationData(), StandardCharsets.US_ASCII);
      if (message.userProperties().containsKey("status_code")) {
        text +=
            " "
                + message.userProperties().get("status_code")
                + " "
                + new String(message.payload(), StandardCharsets.UTF_8);
      }
      sent.add(text);
    }

    List<String> sent() {
      return List.copyOf(sent);
    }
  }
}
