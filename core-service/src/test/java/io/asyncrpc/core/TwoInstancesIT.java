package io.asyncrpc.core;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TaskFixtures.EventRow;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two core instances (two application contexts, same database and broker) share the work of many
 * devices: competing consumers on the same queues, sweeps on both, and no task completed twice.
 */
class TwoInstancesIT {

  private static final int DEVICES = 6;
  private static final int TASKS_PER_DEVICE = 5;

  private static ConfigurableApplicationContext first;
  private static ConfigurableApplicationContext second;
  private static TaskFixtures fixtures;

  @BeforeAll
  static void startTwoInstances() {
    first = start("core-a");
    second = start("core-b");
    fixtures =
        new TaskFixtures(
            first.getBean(JdbcClient.class),
            first.getBean(RabbitTemplate.class),
            first.getBean(ProtocolJson.class));
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void manyDevicesAreServedWithoutAnyTaskCompletedTwice() throws Exception {
    Endpoints endpoints = Infrastructure.endpoints();
    List<TestDevice> devices = new ArrayList<>();
    List<UUID> tasks = new ArrayList<>();
    try {
      for (int d = 0; d < DEVICES; d++) {
        devices.add(
            TestDevice.connect(
                endpoints.amqpHost(), endpoints.mqttPort(), fixtures.newDevice("twin")));
      }
      for (TestDevice device : devices) {
        for (int t = 0; t < TASKS_PER_DEVICE; t++) {
          tasks.add(fixtures.createTask(device.id(), "relay.switch", t % 3, inMinutes(30)));
        }
      }
      // Tasks that nobody requests: the deadline sweeps of both instances compete for them.
      List<UUID> expiring = new ArrayList<>();
      for (int t = 0; t < 20; t++) {
        expiring.add(
            fixtures.createTask(
                devices.get(t % DEVICES).id(), "never", 0, Instant.now().plusSeconds(1)));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> expiring.stream().allMatch(t -> fixtures.status(t) == TaskStatus.EXPIRED));

      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Integer>> done = new ArrayList<>();
        for (TestDevice device : devices) {
          done.add(pool.submit(() -> workUntilEmpty(device)));
        }
        for (Future<Integer> count : done) {
          assertThat(count.get()).isEqualTo(TASKS_PER_DEVICE);
        }
      }

      for (UUID task : tasks) {
        assertThat(fixtures.status(task)).isEqualTo(TaskStatus.DONE);
        List<EventRow> history = fixtures.assertHistoryIsAPath(task);
        assertThat(history).filteredOn(e -> e.cause() == Cause.RESULT_OK).hasSize(1);
        assertThat(history).filteredOn(e -> e.cause() == Cause.CLAIMED).hasSize(1);
      }
      for (UUID task : expiring) {
        assertThat(fixtures.assertHistoryIsAPath(task))
            .filteredOn(e -> e.to() == TaskStatus.EXPIRED)
            .hasSize(1);
      }
      assertThat(sweeps(first)).isPositive();
      assertThat(sweeps(second)).isPositive();
    } finally {
      devices.forEach(TestDevice::close);
    }
  }

  /** Plays one device: poll, work, report, until the FIFO is empty; returns the tasks done. */
  private static int workUntilEmpty(TestDevice device) throws Exception {
    int done = 0;
    while (true) {
      device.poll();
      Received response = device.next(MessageKind.RESPONSE);
      if (TaskIds.ZERO.toString().equals(response.correlation())) {
        return done;
      }
      UUID task = UUID.fromString(response.correlation());
      device.result(task, 200, "{\"by\": \"" + device.id() + "\"}");
      device.next(MessageKind.COMMIT, task);
      done++;
    }
  }

  private static double sweeps(ConfigurableApplicationContext context) {
    var counter = context.getBean(MeterRegistry.class).find("iot.sweeps").counter();
    return counter == null ? 0 : counter.count();
  }

  private static ConfigurableApplicationContext start(String name) {
    Endpoints endpoints = Infrastructure.endpoints();
    // Command-line arguments: they take precedence over application.yml (builder properties do
    // not).
    List<String> args =
        new ArrayList<>(List.of("--spring.application.name=" + name, "--server.port=0"));
    args.addAll(endpoints.springArgs());
    args.addAll(
        List.of(
            "--iot.core.lease=2s", "--iot.core.sweep-interval=200ms", "--iot.core.max-attempts=2"));
    return new SpringApplicationBuilder(CoreApplication.class).run(args.toArray(String[]::new));
  }
}
