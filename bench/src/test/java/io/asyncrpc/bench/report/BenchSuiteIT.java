package io.asyncrpc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.bench.lifecycle.LifecycleBenchmark;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.RepositoryFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A smoke run of the whole benchmark with tiny numbers (20 devices, seconds per step), so the
 * harness cannot rot: the services start from their jars, every measurement runs, and the result
 * file, report and chart come out with their fields. It asserts that the harness works, never a
 * speed. Needs the api-service and core-service jars (the reactor packages them first).
 */
class BenchSuiteIT {

  @Test
  void runsEveryMeasurementAndWritesTheResultFileReportAndChart() throws Exception {
    Endpoints e = Infrastructure.endpoints();
    Path repository = RepositoryFiles.find("pom.xml").getParent();
    Path out = repository.resolve("bench/target/bench-smoke");
    SuiteSettings settings =
        new SuiteSettings(
            "smoke test",
            repository,
            Path.of(System.getProperty("bench.jars", repository.toString())),
            e.jdbcUrl(),
            e.dbUser(),
            e.dbPassword(),
            e.amqpHost(),
            e.amqpPort(),
            e.amqpUser(),
            e.amqpPassword(),
            e.mqttPort(),
            e.deviceUser(),
            e.devicePassword(),
            e.managementPort(),
            List.of(20),
            8,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            List.of(0.5),
            2,
            200,
            2,
            1,
            200,
            Duration.ofMillis(10),
            50,
            Duration.ofMinutes(5),
            List.of(),
            List.of(),
            List.of(),
            out.resolve("results.json"),
            out.resolve("benchmarks.md"),
            out.resolve("latency.svg"),
            out.resolve("logs"));

    SuiteResults results = new BenchSuite(settings).run();

    LifecycleBenchmark.Result lifecycle = results.lifecycle().getFirst();
    assertThat(lifecycle.idle().connected()).isEqualTo(20);
    assertThat(lifecycle.max().posted()).isPositive();
    assertThat(lifecycle.max().unfinished() + lifecycle.max().postErrors()).isZero();
    assertThat(lifecycle.max().toPayload().count()).isPositive();
    assertThat(lifecycle.steps()).hasSize(1);
    assertThat(results.substrate().getFirst().bare().clients()).isEqualTo(24);
    assertThat(results.fifo().systems()).hasSize(3);
    assertThat(results.api().errors()).isZero();
    assertThat(results.targets()).extracting(SuiteResults.Target::name).hasSize(6);

    JsonNode json = JsonMapper.builder().build().readTree(out.resolve("results.json").toFile());
    assertThat(json.has("machine")).isTrue();
    JsonNode step = json.get("lifecycle").get(0).get("max");
    for (String field : List.of("lifecycles_per_second", "to_payload", "to_done", "accepted")) {
      assertThat(step.has(field)).as(field).isTrue();
    }
    assertThat(step.get("to_payload").has("p99")).isTrue();
    assertThat(json.get("substrate").get(0).has("lifecycle_ratio")).isTrue();
    assertThat(json.get("fifo").has("ratio")).isTrue();
    assertThat(json.get("api").has("accepts_per_second")).isTrue();
    assertThat(json.get("lifecycle").get(0).get("idle").has("broker_bytes_per_device")).isTrue();
    assertThat(Files.readString(out.resolve("benchmarks.md")))
        .contains("## Targets", "## Full lifecycles", "## Substrate limit", "latency.svg");
    assertThat(Files.readString(out.resolve("latency.svg")))
        .startsWith("<svg")
        .contains("polyline");
  }
}
