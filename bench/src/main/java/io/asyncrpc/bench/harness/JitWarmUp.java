package io.asyncrpc.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A warm-up that lasts until the JIT compilers of the measured JVMs (the services and the load
 * generator) have settled, not a fixed time: a fresh api-service still compiled for about 0.8 of a
 * core 30 s into its load on two shared cores (its compile time, read by {@code jstat -compiler},
 * grew 44 → 57 s over the next 23 s), and that compiling was measured as the API's cost per accept
 * and took CPU from its throughput (853 accepts/s after 30 s, 1,222 after 90 s, same run).
 *
 * <p>It runs the warm-up for at least {@code least}, then {@link #WINDOW} more at a time until no
 * JVM compiled for more than {@link #SETTLED} of the last window's wall time, or {@code most} in
 * all passed.
 */
public final class JitWarmUp {

  /** Compile time per wall time, per JVM, at which it counts as settled: 5 % of a core. */
  public static final double SETTLED = 0.05;

  /** The window over which the compile time's growth is read. */
  public static final Duration WINDOW = Duration.ofSeconds(10);

  /** The processes of a meter that are JVMs the benchmark started or is. */
  private static final Set<String> JVMS =
      Set.of(SystemProcesses.API, SystemProcesses.CORE, SystemProcesses.LOAD_GENERATOR);

  /** One stretch of the warm-up's load. */
  @FunctionalInterface
  public interface Load {
    void run(Duration length) throws Exception;
  }

  /**
   * How the warm-up went.
   *
   * @param length how long it ran
   * @param settled whether every JVM had settled at its end (false: {@code most} ran out)
   * @param compilingShare the highest compile time per wall time of one JVM in the last window
   * @param window the window read
   */
  public record Outcome(Duration length, boolean settled, double compilingShare, Duration window) {
    @Override
    public String toString() {
      return "%d s, %s (most compiling JVM %.0f %% of a core in the last %d s)"
          .formatted(
              length.toSeconds(),
              settled ? "JIT settled" : "JIT still compiling",
              compilingShare * 100,
              window.toSeconds());
    }
  }

  private JitWarmUp() {}

  /** Runs {@code load} as the warm-up of a measurement of {@code meter}'s processes. */
  public static Outcome run(CpuMeter meter, Duration least, Duration most, Load load)
      throws Exception {
    return run(meter, least, most, WINDOW, load);
  }

  /** {@link #run(CpuMeter, Duration, Duration, Load)} with another window (tests). */
  static Outcome run(CpuMeter meter, Duration least, Duration most, Duration window, Load load)
      throws Exception {
    List<Long> pids =
        meter.processes().stream()
            .filter(p -> JVMS.contains(p.name()))
            .map(CpuMeter.Measured::pid)
            .toList();
    long start = System.nanoTime();
    load.run(least);
    Map<Long, Double> before = compileSeconds(pids);
    double share = 0;
    while (System.nanoTime() - start < most.toNanos()) {
      long from = System.nanoTime();
      // The last window ends at most: a short warm-up (a smoke run) stays short.
      load.run(min(window, Duration.ofNanos(most.toNanos() - (from - start))));
      double wall = (System.nanoTime() - from) / 1e9;
      Map<Long, Double> after = compileSeconds(pids);
      share = 0;
      for (Map.Entry<Long, Double> e : after.entrySet()) {
        Double earlier = before.get(e.getKey());
        if (earlier != null) {
          share = Math.max(share, (e.getValue() - earlier) / wall);
        }
      }
      before = after;
      if (share <= SETTLED) {
        return new Outcome(Duration.ofNanos(System.nanoTime() - start), true, share, window);
      }
    }
    return new Outcome(Duration.ofNanos(System.nanoTime() - start), pids.isEmpty(), share, window);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Each JVM's total compile time in seconds, as {@code jstat -compiler} reads it; none fails. */
  private static Map<Long, Double> compileSeconds(List<Long> pids) {
    Map<Long, Double> seconds = new HashMap<>();
    for (long pid : pids) {
      Double s = compileSeconds(pid);
      if (s != null) {
        seconds.put(pid, s);
      }
    }
    return seconds;
  }

  /**
   * {@code jstat -compiler}'s "Time" of {@code pid} (its second line's fourth column: Compiled,
   * Failed, Invalid, Time), or null when it could not be read.
   */
  static @Nullable Double compileSeconds(long pid) {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    try {
      Process p =
          new ProcessBuilder(jstat.toString(), "-compiler", Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      String[] lines = out.strip().split("\n");
      String[] columns = lines[lines.length - 1].strip().split("\\s+");
      return columns.length >= 4 ? Double.parseDouble(columns[3]) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
