package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.RunningApi;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A measuring harness, not a test: closed-loop clients against an api-service started in this JVM
 * on the real PostgreSQL and RabbitMQ, first creating tasks ({@code POST /api/v1/tasks}), then
 * reading one ({@code GET /api/v1/tasks/{id}}). It logs requests per second and latencies and
 * asserts nothing about them; the figures in {@code docs/outbox.md} come from it.
 *
 * <p>Skipped unless {@code -Dharness=true}; e.g. {@code ./mvnw -B verify -pl api-service
 * -Dharness=true -Dit.test=TaskThroughputHarnessIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Settings: {@code harness.clients} (16), {@code
 * harness.warm-up} and {@code harness.measure} (seconds, 5 and 15), {@code harness.properties}
 * (comma-separated {@code name=value} overrides of the service's settings).
 */
@EnabledIfSystemProperty(named = "harness", matches = "true")
class TaskThroughputHarnessIT {

  private static final Logger log = LoggerFactory.getLogger(TaskThroughputHarnessIT.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void measureCreatesAndReads() throws Exception {
    int clients = Integer.getInteger("harness.clients", 16);
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("harness.warm-up", 5));
    Duration measure = Duration.ofSeconds(Integer.getInteger("harness.measure", 15));
    Map<String, String> overrides = Harness.overrides();
    try (RunningApi api = RunningApi.start(overrides)) {
      String tenant = "harness-" + UUID.randomUUID().toString().substring(0, 8);
      String token =
          TestTokens.shared()
              .token("harness", tenant, "tasks:read", "tasks:write", "devices:admin");
      List<ApiClient> http = new ArrayList<>();
      List<String> devices = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        http.add(ApiClient.local(api.port(), token));
        String device = "harness-" + UUID.randomUUID().toString().substring(0, 8);
        devices.add(device);
        assertThat(
                http.get(c)
                    .post("/api/v1/devices", "{\"id\":\"" + device + "\"}", Map.of())
                    .status())
            .isEqualTo(201);
      }
      String body =
          "{\"device_id\":\"%s\",\"method_code\":\"harness.accept\",\"payload\":{\"n\":1}}";
      Figures creates =
          run(
              api.jdbc(),
              "POST /api/v1/tasks",
              clients,
              warmUp,
              measure,
              c -> http.get(c).post("/api/v1/tasks", body.formatted(devices.get(c)), Map.of()),
              202);
      List<String> ids = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Answer created =
            http.get(c).post("/api/v1/tasks", body.formatted(devices.get(c)), Map.of());
        ids.add(JSON.readTree(created.text()).path("id").asString());
      }
      Figures reads =
          run(
              api.jdbc(),
              "GET /api/v1/tasks/{id}",
              clients,
              warmUp,
              measure,
              c -> http.get(c).get("/api/v1/tasks/" + ids.get(c)),
              200);
      log.info("harness settings {}, {} clients", overrides, clients);
      log.info("{}", creates);
      log.info("{}", reads);
      Harness.cleanUp(api.jdbc(), tenant);
    }
  }

  private record Figures(
      String what,
      double perSecond,
      long errors,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double jvmCpuMs,
      double postgresCpuMs,
      double walBytes,
      double walSyncs,
      double commits) {

    @Override
    public String toString() {
      return ("%s: %.0f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d errors;"
              + " per request: CPU of this JVM (service and clients) %.3f ms, of PostgreSQL %.3f"
              + " ms; WAL %.0f bytes, %.3f WAL syncs, %.3f commits")
          .formatted(
              what,
              perSecond,
              p50Ms,
              p99Ms,
              maxMs,
              errors,
              jvmCpuMs,
              postgresCpuMs,
              walBytes,
              walSyncs,
              commits);
    }
  }

  private static Figures run(
      JdbcClient jdbc,
      String what,
      int clients,
      Duration warmUp,
      Duration measure,
      Function<Integer, Answer> call,
      int expected)
      throws Exception {
    long measureFrom = System.nanoTime() + warmUp.toNanos();
    long end = measureFrom + measure.toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    long[] cpuAtStart = new long[2];
    Harness.Counters[] countersAtStart = new Harness.Counters[1];
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        results.add(
            pool.submit(
                () -> {
                  long[] latencies = new long[1 << 16];
                  int n = 0;
                  long errors = 0;
                  for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    Answer answer = call.apply(client);
                    long took = System.nanoTime() - now;
                    if (now < measureFrom) {
                      continue;
                    }
                    if (answer.status() != expected) {
                      errors++;
                    } else {
                      if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                      }
                      latencies[n++] = took;
                    }
                  }
                  long[] out = Arrays.copyOf(latencies, n + 1);
                  out[n] = errors;
                  return out;
                }));
      }
      Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      cpuAtStart[0] = Harness.jvmCpu();
      cpuAtStart[1] = Harness.postgresCpu();
      countersAtStart[0] = Harness.Counters.read(jdbc);
    }
    Harness.Counters counters = Harness.Counters.read(jdbc);
    long jvm = Harness.jvmCpu() - cpuAtStart[0];
    long postgres = Harness.postgresCpu() - cpuAtStart[1];
    List<Long> all = new ArrayList<>();
    long errors = 0;
    for (Future<long[]> f : results) {
      long[] r = f.get();
      for (int i = 0; i < r.length - 1; i++) {
        all.add(r[i]);
      }
      errors += r[r.length - 1];
    }
    all.sort(null);
    double seconds = measure.toNanos() / 1e9;
    return new Figures(
        what,
        all.size() / seconds,
        errors,
        percentile(all, 0.50),
        percentile(all, 0.99),
        all.isEmpty() ? 0 : all.getLast() / 1e6,
        all.isEmpty() ? 0 : jvm / 1e6 / all.size(),
        all.isEmpty() ? 0 : postgres / 1e6 / all.size(),
        perRequest(counters.walBytes() - countersAtStart[0].walBytes(), all.size()),
        perRequest(counters.walSyncs() - countersAtStart[0].walSyncs(), all.size()),
        perRequest(counters.commits() - countersAtStart[0].commits(), all.size()));
  }

  private static double perRequest(long total, int requests) {
    return requests == 0 ? 0 : (double) total / requests;
  }

  private static double percentile(List<Long> sorted, double p) {
    return sorted.isEmpty()
        ? 0
        : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p)) / 1e6;
  }
}
