package io.asyncrpc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.bench.harness.SystemProcesses;
import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.RepositoryFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A smoke run of the whole benchmark with tiny numbers (20 devices per protocol, seconds per step),
 * so the harness cannot rot: the services start from their jars, every measurement runs (lifecycles
 * v1 and v2, bare request/response, API and pgbench, queue types), and the result file, report and
 * chart come out with their fields. The idle A/B, which starts a private broker node, is left to
 * {@code scripts/bench}. It asserts that the harness works, never a speed. Needs the api-service
 * and core-service jars (the reactor packages them first) and pgbench.
 */
class BenchSuiteIT {

  @Test
  void runsEveryMeasurementAndWritesTheResultFileReportAndChart() throws Exception {
    Endpoints e = Infrastructure.endpoints();
    Path repository = RepositoryFiles.find("pom.xml").getParent();
    Path out = repository.resolve("bench/target/bench-smoke");
    Map<String, String> tiny = new HashMap<>();
    tiny.put("command", "smoke test");
    tiny.put("jars", System.getProperty("bench.jars", repository.toString()));
    tiny.put("jdbc-url", e.jdbcUrl());
    tiny.put("db-user", e.dbUser());
    tiny.put("db-password", e.dbPassword());
    tiny.put("host", e.amqpHost());
    tiny.put("amqp-port", Integer.toString(e.amqpPort()));
    tiny.put("amqp-user", e.amqpUser());
    tiny.put("amqp-password", e.amqpPassword());
    tiny.put("mqtt-port", Integer.toString(e.mqttPort()));
    tiny.put("device-user", e.deviceUser());
    tiny.put("device-password", e.devicePassword());
    tiny.put("management-port", Integer.toString(e.managementPort()));
    tiny.put("devices", "20");
    tiny.put("in-flight", "8");
    tiny.put("warm-up-s", "1");
    // One short window of waiting for the JIT to settle after the least (it will not, so soon).
    tiny.put("warm-up-max-s", "3");
    tiny.put("measure-s", "2");
    tiny.put("fractions", "0.5");
    tiny.put("idle-s", "1");
    tiny.put("api-clients", "2");
    tiny.put("fifo-rows", "200");
    tiny.put("fifo-concurrency", "2");
    tiny.put("fifo-rounds", "1");
    tiny.put("connect-rate", "200");
    tiny.put("done-poll-ms", "100");
    tiny.put("done-samples", "50");
    tiny.put("queue-warm-up-s", "1");
    tiny.put("queue-measure-s", "1");
    tiny.put("idle-variants", "");
    tiny.put("stream-counts", "20,40");
    tiny.put("stream-idle-s", "1");
    tiny.put("stream-check-tasks", "5");
    tiny.put("responders", "10");
    tiny.put("follow-clients", "4");
    tiny.put("webhook-drain-s", "20");
    tiny.put("job-devices", "20");
    tiny.put("job-warm-up-devices", "5");
    tiny.put("job-rollout-per-minute", "600");
    tiny.put("job-rollout-s", "5");
    tiny.put("job-abort-per-minute", "600");
    tiny.put("job-abort-failure-rate", "0.5");
    tiny.put("job-abort-min-executed", "5");
    tiny.put("job-finish-s", "60");
    tiny.put("local-addresses", "");
    tiny.put("out", out.resolve("results.json").toString());
    tiny.put("report", out.resolve("benchmarks.md").toString());
    tiny.put("chart", out.resolve("latency.svg").toString());
    tiny.put("logs", out.resolve("logs").toString());

    SuiteResults results = new BenchSuite(SuiteSettings.from(repository, tiny)).run();

    assertThat(results.skipped())
        .extracting(SuiteResults.Skipped::step)
        .containsExactly("broker idle cost");
    assertThat(results.lifecycle())
        .extracting(LifecycleBenchmark.Result::protocol)
        .containsExactly(ProtocolVersion.V1, ProtocolVersion.V2);
    for (LifecycleBenchmark.Result lifecycle : results.lifecycle()) {
      assertThat(lifecycle.idle().connected()).isEqualTo(20);
      assertThat(lifecycle.max().posted()).isPositive();
      assertThat(lifecycle.max().unfinished() + lifecycle.max().postErrors()).isZero();
      assertThat(lifecycle.max().toPayload().count()).isPositive();
      assertThat(lifecycle.steps()).hasSize(1);
      assertThat(lifecycle.max().cpu().processes())
          .extracting(p -> p.name())
          .containsExactly(
              SystemProcesses.BROKER,
              SystemProcesses.POSTGRESQL,
              SystemProcesses.API,
              SystemProcesses.CORE,
              SystemProcesses.LOAD_GENERATOR);
      assertThat(lifecycle.max().cpu().system().msPerUnit()).isNotNull();
    }
    assertThat(results.substrate().getFirst().bare().clients()).isEqualTo(24);
    assertThat(results.lifecycleRatios()).hasSize(2);
    assertThat(results.fifo().systems()).hasSize(3);
    assertThat(results.api().accepts().errors()).isZero();
    assertThat(results.api().reads().errors()).isZero();
    assertThat(results.api().acceptRatio()).isNotNull();
    assertThat(results.api().readRatio()).isNotNull();
    assertThat(results.queueTypes().measurements()).hasSize(4);
    assertThat(results.events().streams().levels()).hasSize(2);
    assertThat(results.events().streams().held()).isEqualTo(40);
    assertThat(results.events().streams().deliveries())
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.received()).isEqualTo(d.expected()));
    assertThat(results.events().waits().waiting().tasks()).isPositive();
    assertThat(results.events().waits().polling().tasks()).isPositive();
    assertThat(results.events().webhooks().delivered())
        .isEqualTo(results.events().webhooks().windowTasks());
    assertThat(results.events().webhooks().badSignatures()).isZero();
    assertThat(results.jobs().accepts()).hasSize(3);
    assertThat(results.jobs().throughput().jobUnfinished()).isZero();
    assertThat(results.jobs().throughput().postedUnfinished()).isZero();
    assertThat(results.jobs().rollout().created()).isPositive();
    assertThat(results.jobs().abort().executionsCreated()).isPositive();
    assertThat(results.jobTargets()).hasSize(4);
    assertThat(results.targets()).hasSize(7);
    assertThat(results.targets().get(6).measured()).startsWith("not measured");

    JsonNode json = JsonMapper.builder().build().readTree(out.resolve("results.json").toFile());
    assertThat(json.has("machine")).isTrue();
    JsonNode step = json.get("lifecycle").get(0).get("max");
    for (String field :
        List.of("lifecycles_per_second", "to_payload", "to_done", "accepted", "cpu")) {
      assertThat(step.has(field)).as(field).isTrue();
    }
    assertThat(step.get("to_payload").has("p99")).isTrue();
    assertThat(step.get("cpu").get("system").has("ms_per_unit")).isTrue();
    assertThat(json.get("lifecycle_ratios").get(0).has("ratio")).isTrue();
    assertThat(json.get("fifo").has("ratio")).isTrue();
    assertThat(json.get("api").has("accept_ratio")).isTrue();
    assertThat(json.get("api").get("pgbench_select").has("transactions_per_second")).isTrue();
    assertThat(json.get("queue_types").get("measurements").get(0).has("broker_micros_per_message"))
        .isTrue();
    assertThat(json.get("lifecycle").get(0).get("idle").has("broker_bytes_per_device")).isTrue();
    assertThat(Files.readString(out.resolve("benchmarks.md")))
        .contains(
            "## Targets",
            "## Full lifecycles",
            "## CPU per lifecycle",
            "## Substrate limit",
            "## API against pgbench",
            "## Queue types",
            "## Idle event streams per api-service",
            "## Waiting requests against status polling",
            "## Webhook delivery",
            "every **100 ms**",
            "latency.svg");
    assertThat(Files.readString(out.resolve("latency.svg")))
        .startsWith("<svg")
        .contains("polyline");
  }
}
