package io.asyncrpc.reliability.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncrpc.reliability.infra.Fixture;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the fault suite: the short plan by default (part of {@code ./mvnw verify}), the long one
 * with {@code -Diot.faults.plan=long} ({@code scripts/faults}). Every invariant must hold after
 * every run, and every fault must heal; a violation prints the task's whole history.
 */
class FaultSuiteIT {

  @Test
  void everyInvariantHoldsUnderFaults() throws IOException {
    assumeTrue(Fixture.available(), "the fault suite needs root: it runs its own broker nodes");
    String name = System.getProperty("iot.faults.plan", "short");
    long seed = Long.getLong("iot.faults.seed", System.currentTimeMillis());
    Path logDir = Files.createDirectories(Path.of("target", "faults"));

    List<RunResult> results = new ArrayList<>();
    FileLock lock = Fixture.exclusive();
    try {
      for (Plan plan : Plan.named(name)) {
        results.add(FaultRun.run(plan, logDir.resolve(plan.name()), seed));
      }
    } finally {
      lock.channel().close();
    }
    String report = Report.markdown(results);
    Files.writeString(logDir.resolve("report-" + name + ".md"), report);
    System.out.println(report);

    for (RunResult result : results) {
      assertThat(result.check().valid()).as(result.check().report()).isTrue();
      assertThat(result.passed()).as("every fault healed: " + result.injections()).isTrue();
      assertThat(result.accepted()).isNotEmpty();
    }
  }
}
