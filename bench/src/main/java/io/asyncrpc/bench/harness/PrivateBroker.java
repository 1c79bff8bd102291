package io.asyncrpc.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RabbitMQ node of the benchmark's own ({@code scripts/bench broker start}), started with one
 * variant of the stack's settings and stopped again, so an A/B over node settings never restarts
 * the node the stack and other tests use. Needs the stack's RabbitMQ root, and root for chroot.
 */
public final class PrivateBroker implements AutoCloseable {

  private static final Pattern STATISTICS_LINE = Pattern.compile("statistics-interval-ms ([0-9]+)");

  private final Path repository;
  private final String variant;
  private final long pid;
  private final Duration statisticsInterval;

  private PrivateBroker(Path repository, String variant, long pid, Duration statisticsInterval) {
    this.repository = repository;
    this.variant = variant;
    this.pid = pid;
    this.statisticsInterval = statisticsInterval;
  }

  /**
   * Starts the node with {@code variant}: {@code default} or one of {@code scripts/bench}'s
   * variants ({@code metrics}, {@code fast-stats}, {@code busy-wait}, {@code one-scheduler}, ...),
   * or several joined with {@code +}.
   */
  public static PrivateBroker start(Path repository, String variant)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("start"));
    args.addAll(List.of(variant.split("\\+")));
    String output = script(repository, 180, args.toArray(String[]::new));
    String[] lines = output.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    if (!last.matches("[0-9]+")) {
      throw new IllegalStateException(
          "the private broker node did not report its pid: " + tail(output));
    }
    Duration statistics = null;
    for (String line : lines) {
      Matcher m = STATISTICS_LINE.matcher(line.strip());
      if (m.matches()) {
        statistics = Duration.ofMillis(Long.parseLong(m.group(1)));
      }
    }
    if (statistics == null) {
      throw new IllegalStateException(
          "the private broker node did not report its statistics interval: " + tail(output));
    }
    return new PrivateBroker(repository, variant, Long.parseLong(last), statistics);
  }

  /** The command that starts the node as this one was, for the report. */
  public static String command(String variant) {
    return "scripts/bench broker start " + variant.replace('+', ' ');
  }

  public String variant() {
    return variant;
  }

  /** How often the node's connections and queues emit their statistics. */
  public Duration statisticsInterval() {
    return statisticsInterval;
  }

  /** The node's {@code beam.smp}. */
  public long pid() {
    return pid;
  }

  /**
   * The scheduler busy-wait flags the node's emulator was started with, the last of each as the
   * emulator reads them, for example {@code sbwt none, sbwtdcpu none, sbwtdio none}.
   */
  public String schedulerFlags() {
    String[] args = CpuMeter.commandLineOf(pid).split(" ");
    List<String> flags = new ArrayList<>();
    for (String flag : List.of("-sbwt", "-sbwtdcpu", "-sbwtdio")) {
      String value = "(default)";
      for (int i = 0; i + 1 < args.length; i++) {
        if (args[i].equals(flag)) {
          value = args[i + 1];
        }
      }
      flags.add(flag.substring(1) + " " + value);
    }
    return String.join(", ", flags);
  }

  /** The node's resident memory in bytes, 0 where unreadable. */
  public long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    stopAny(repository);
  }

  /** Stops a private node left running (an interrupted run), if any. */
  public static void stopAny(Path repository) throws IOException {
    try {
      script(repository, 120, "stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the private broker node", e);
    }
  }

  private static String script(Path repository, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/bench", "broker"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(repository.toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    // The output is a few lines; read it to the end (the node itself writes to its own log).
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not end");
    }
    String output = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed (exit "
              + process.exitValue()
              + "): "
              + tail(output));
    }
    return output;
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() > 600 ? t.substring(t.length() - 600) : t;
  }
}
