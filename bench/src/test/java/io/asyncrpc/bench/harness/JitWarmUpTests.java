package io.asyncrpc.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitWarmUpTests {

  @Test
  void readsThisJvmsCompileTimeFromJstat() {
    Double seconds = JitWarmUp.compileSeconds(ProcessHandle.current().pid());

    assertThat(seconds).as("this JVM has compiled something by now").isNotNull().isPositive();
  }

  @Test
  void aProcessThatIsNoJvmHasNoCompileTime() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(JitWarmUp.compileSeconds(sleep.pid())).isNull();
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void runsTheLeastFirstThenWindowsUntilTheJvmsCompileTimeSettled() throws Exception {
    CpuMeter meter = new CpuMeter(List.of(SystemProcesses.loadGenerator()));
    List<Duration> stretches = new ArrayList<>();

    JitWarmUp.Outcome outcome =
        JitWarmUp.run(
            meter,
            Duration.ofMillis(200),
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            length -> {
              stretches.add(length);
              Thread.sleep(length.toMillis());
            });

    // An idle test JVM compiles next to nothing in 2 s; a busy JIT would take more windows.
    assertThat(stretches.getFirst()).isEqualTo(Duration.ofMillis(200));
    assertThat(stretches.subList(1, stretches.size())).containsOnly(Duration.ofSeconds(2));
    assertThat(outcome.settled()).isTrue();
    assertThat(outcome.compilingShare()).isLessThanOrEqualTo(JitWarmUp.SETTLED);
    assertThat(outcome.length()).isGreaterThanOrEqualTo(Duration.ofMillis(2200));
  }
}
