package io.asyncrpc.bench.idle;

import io.asyncrpc.bench.harness.ConnectWait;
import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.PrivateBroker;
import io.asyncrpc.bench.harness.SystemProcesses;
import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmListener;
import io.asyncrpc.swarm.SwarmSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The broker's CPU with {@code devices} connected idle devices, once per variant of the node's
 * settings, each on a fresh private node ({@link PrivateBroker}) with the stack's configuration:
 * the devices connect (MQTT 5, one subscription each, keep-alive 60 s), poll once as they do on
 * connecting, and then send nothing but keep-alives; after a settling time the broker's CPU is read
 * from /proc over the window. A variant that cannot run is reported with its reason and the others
 * still run.
 *
 * <p>The window is a whole number of the node's longest per-device period (the devices' keep-alive,
 * the statistics interval): that work comes in bursts once per period, so a window shorter than one
 * reads a phase, not the average. A 30 s window read 5.6 % of a core where the same settings read
 * 10.6 % over 240 s.
 */
public final class IdleBrokerBenchmark {

  /**
   * What to run.
   *
   * @param repository the repository (its {@code scripts/bench broker} starts the node)
   * @param host the node's host
   * @param mqttPort the private node's MQTT port
   * @param user the development device login
   * @param password its password
   * @param devices connected devices
   * @param variants node settings, each measured on its own start of the node
   * @param settle time after the devices connected before the window
   * @param measure the window
   * @param connectsPerSecond how fast the devices connect
   * @param localAddresses loopback source addresses for the connections
   */
  public record Settings(
      Path repository,
      String host,
      int mqttPort,
      String user,
      String password,
      int devices,
      List<String> variants,
      Duration settle,
      Duration measure,
      int connectsPerSecond,
      List<String> localAddresses) {

    public Settings {
      variants = List.copyOf(variants);
      localAddresses = List.copyOf(localAddresses);
    }
  }

  /**
   * One variant.
   *
   * @param variant its name
   * @param command the command that starts the node so
   * @param schedulerFlags the busy-wait flags the node's emulator was started with
   * @param devices devices asked for
   * @param connected devices connected when the window started
   * @param windowSeconds the window this variant was measured over
   * @param brokerPercentOfCore the broker's CPU over the window, as a share of one core
   * @param loadGeneratorPercentOfCore this JVM's (the devices') CPU over the window
   * @param brokerResidentBytes the node's resident memory with the devices connected
   * @param cpu the window's figures, or null when skipped
   * @param skipped why the variant could not run, or null
   */
  public record Measurement(
      String variant,
      String command,
      String schedulerFlags,
      int devices,
      int connected,
      long windowSeconds,
      double brokerPercentOfCore,
      double loadGeneratorPercentOfCore,
      long brokerResidentBytes,
      @Nullable CpuUsage cpu,
      @Nullable String skipped) {}

  /**
   * The figures.
   *
   * @param devices devices per variant
   * @param settleSeconds settling time
   * @param measureSeconds the window asked for; each variant's is at least this (its {@code
   *     windowSeconds})
   * @param measurements one per variant, in the settings' order
   */
  public record Result(
      int devices, long settleSeconds, long measureSeconds, List<Measurement> measurements) {

    /** The measured variant of {@code name}, or null. */
    public @Nullable Measurement variant(String name) {
      return measurements.stream()
          .filter(m -> m.variant().equals(name) && m.skipped() == null)
          .findFirst()
          .orElse(null);
    }
  }

  private final Settings settings;

  public IdleBrokerBenchmark(Settings settings) {
    this.settings = settings;
  }

  public Result run() {
    List<Measurement> measurements = new ArrayList<>();
    for (String variant : settings.variants()) {
      Measurement m;
      try {
        m = measure(variant);
      } catch (Exception e) {
        m =
            new Measurement(
                variant,
                PrivateBroker.command(variant),
                "",
                settings.devices(),
                0,
                0,
                0,
                0,
                0,
                null,
                String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        log("%s: not measured: %s", variant, m.skipped());
      }
      measurements.add(m);
    }
    return new Result(
        settings.devices(),
        settings.settle().toSeconds(),
        settings.measure().toSeconds(),
        measurements);
  }

  private Measurement measure(String variant) throws Exception {
    try (PrivateBroker node = PrivateBroker.start(settings.repository(), variant)) {
      CpuMeter meter =
          new CpuMeter(
              List.of(
                  new CpuMeter.Measured(SystemProcesses.BROKER, node.pid(), true, true),
                  SystemProcesses.loadGenerator()));
      SwarmSettings swarmSettings =
          SwarmSettings.of(settings.host(), settings.mqttPort(), "bench-idle", settings.devices())
              .withCredentials(settings.user(), settings.password())
              // Idle: no FIFO polls after the one on connecting.
              .withPolling(Duration.ofDays(1), Duration.ofSeconds(30))
              .withConnections(settings.localAddresses(), settings.connectsPerSecond());
      try (Swarm swarm = new Swarm(swarmSettings, SwarmListener.NONE)) {
        try {
          ConnectWait.await(
              swarm,
              swarm.start(),
              ConnectWait.budget(settings.devices(), settings.connectsPerSecond()));
        } catch (ExecutionException | TimeoutException e) {
          // Every device has tried once: the window says how many are connected.
        }
        Thread.sleep(settings.settle().toMillis());
        int connected = swarm.stats().snapshot().online();
        Duration window = window(settings.measure(), Swarm.KEEP_ALIVE, node.statisticsInterval());
        CpuMeter.Sample start = meter.sample();
        Thread.sleep(window.toMillis());
        CpuUsage cpu = meter.between(start, meter.sample(), 0);
        Measurement m =
            new Measurement(
                variant,
                PrivateBroker.command(variant),
                node.schedulerFlags(),
                settings.devices(),
                connected,
                window.toSeconds(),
                percent(cpu, SystemProcesses.BROKER),
                percent(cpu, SystemProcesses.LOAD_GENERATOR),
                node.residentBytes(),
                cpu,
                null);
        log(
            "%s (%s): %d devices connected, broker %.1f %% of a core over %d s, devices %.1f %%",
            variant,
            m.schedulerFlags(),
            connected,
            m.brokerPercentOfCore(),
            m.windowSeconds(),
            m.loadGeneratorPercentOfCore());
        return m;
      }
    }
  }

  /** At least {@code asked}, rounded up to whole periods of the longer of the two. */
  static Duration window(Duration asked, Duration keepAlive, Duration statistics) {
    long period = Math.max(keepAlive.toMillis(), statistics.toMillis());
    long periods = Math.max(1, (asked.toMillis() + period - 1) / period);
    return Duration.ofMillis(periods * period);
  }

  private static double percent(CpuUsage cpu, String name) {
    return cpu.process(name).map(CpuUsage.Process::percentOfCore).orElse(0.0);
  }

  private static void log(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, "  " + format + "%n", args);
  }
}
