package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.RunningApi;
import io.asyncrpc.api.task.TaskStore.Inserted;
import io.asyncrpc.api.task.TaskStore.NewRow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A measuring harness, not a test: the database side of task creation alone. Closed-loop threads
 * call {@link TaskWriter#write} directly (no HTTP, no JWT), so the figure is what the group commit,
 * its statements, the outbox rows and their deletion cost on PostgreSQL. It logs writes per second,
 * tasks per transaction and WAL per task, and asserts nothing about them.
 *
 * <p>Skipped unless {@code -Dharness=true}; settings {@code harness.threads} (comma-separated,
 * default {@code 16,64}), {@code harness.warm-up} and {@code harness.measure} (seconds, 5 and 15),
 * {@code harness.properties} (comma-separated {@code name=value} overrides of the service's
 * settings).
 */
@EnabledIfSystemProperty(named = "harness", matches = "true")
class TaskWriterHarnessIT {

  private static final Logger log = LoggerFactory.getLogger(TaskWriterHarnessIT.class);

  @Test
  void measureTheWriterAlone() throws Exception {
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("harness.warm-up", 5));
    Duration measure = Duration.ofSeconds(Integer.getInteger("harness.measure", 15));
    Map<String, String> overrides = Harness.overrides();
    try (RunningApi api = RunningApi.start(overrides)) {
      TaskWriter writer = api.bean(TaskWriter.class);
      JdbcClient jdbc = api.jdbc();
      String tenant = "harness-" + UUID.randomUUID().toString().substring(0, 8);
      List<String> results = new ArrayList<>();
      for (String count : System.getProperty("harness.threads", "16,64").split(",")) {
        int threads = Integer.parseInt(count.trim());
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          String device = "harness-" + UUID.randomUUID().toString().substring(0, 8);
          jdbc.sql("INSERT INTO devices (id, tenant) VALUES (?, ?)")
              .params(device, tenant)
              .update();
          devices.add(device);
        }
        results.add(run(writer, jdbc, tenant, devices, warmUp, measure));
      }
      log.info("harness settings {}", overrides);
      results.forEach(r -> log.info("{}", r));
      Harness.cleanUp(jdbc, tenant);
    }
  }

  private static String run(
      TaskWriter writer,
      JdbcClient jdbc,
      String tenant,
      List<String> devices,
      Duration warmUp,
      Duration measure)
      throws Exception {
    long measureFrom = System.nanoTime() + warmUp.toNanos();
    long end = measureFrom + measure.toNanos();
    List<Future<Long>> counts = new ArrayList<>();
    Harness.Counters[] atStart = new Harness.Counters[1];
    long[] cpuAtStart = new long[2];
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String device : devices) {
        counts.add(
            pool.submit(
                () -> {
                  long written = 0;
                  for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    Inserted result =
                        writer.write(
                            new NewRow(
                                UUID.randomUUID(),
                                device,
                                "harness",
                                tenant,
                                "harness.accept",
                                0,
                                "{\"n\":1}",
                                null,
                                null,
                                at,
                                at.plusSeconds(60),
                                false));
                    assertThat(result).isInstanceOf(Inserted.Created.class);
                    if (now >= measureFrom) {
                      written++;
                    }
                  }
                  return written;
                }));
      }
      Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      atStart[0] = Harness.Counters.read(jdbc);
      cpuAtStart[0] = Harness.jvmCpu();
      cpuAtStart[1] = Harness.postgresCpu();
    }
    long jvm = Harness.jvmCpu() - cpuAtStart[0];
    long postgres = Harness.postgresCpu() - cpuAtStart[1];
    Harness.Counters after = Harness.Counters.read(jdbc);
    long written = 0;
    for (Future<Long> f : counts) {
      written += f.get();
    }
    double seconds = measure.toNanos() / 1e9;
    return ("TaskWriter.write, %d threads: %.0f tasks/s; per task: CPU of this JVM %.3f ms, of"
            + " PostgreSQL %.3f ms; WAL %.0f bytes, %.3f WAL syncs, %.3f commits")
        .formatted(
            devices.size(),
            written / seconds,
            jvm / 1e6 / written,
            postgres / 1e6 / written,
            (after.walBytes() - atStart[0].walBytes()) / (double) written,
            (after.walSyncs() - atStart[0].walSyncs()) / (double) written,
            (after.commits() - atStart[0].commits()) / (double) written);
  }
}
