package io.asyncrpc.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * CPU time of the processes a measurement involves, read from {@code /proc/<pid>/stat} (user plus
 * system time) at the start and end of a measurement window. A process counted with its descendants
 * includes the children alive at each reading and, through its {@code cutime} and {@code cstime},
 * the children that ended in between (PostgreSQL's backends, the broker's helper ports), so
 * short-lived children are not lost.
 */
public final class CpuMeter {

  private static final Path PROC = Path.of("/proc");
  private static final long TICKS_PER_SECOND = clockTicks();

  /**
   * One process whose CPU time is read.
   *
   * @param name its line in the report, for example {@code broker}
   * @param pid its process id
   * @param withDescendants whether its children (and theirs) count too
   * @param system whether it is part of the system under test (the load generator is not)
   */
  public record Measured(String name, long pid, boolean withDescendants, boolean system) {}

  /** The readings at one moment: CPU ticks per measured process, and the machine's. */
  public record Sample(long nanoTime, Map<String, Long> ticks, long machineBusyTicks) {}

  private final List<Measured> processes;

  public CpuMeter(List<Measured> processes) {
    this.processes = List.copyOf(processes);
  }

  public List<Measured> processes() {
    return processes;
  }

  /** A meter for the same processes and {@code more}. */
  public CpuMeter with(Measured more) {
    List<Measured> all = new ArrayList<>(processes);
    all.add(more);
    return new CpuMeter(all);
  }

  /** Reads every process's CPU time now (a process that is gone reads as 0). */
  public Sample sample() {
    Map<Long, ProcStat> stats = readAll();
    Map<Long, List<Long>> children = new HashMap<>();
    stats.forEach(
        (pid, stat) -> children.computeIfAbsent(stat.ppid, k -> new ArrayList<>()).add(pid));
    Map<String, Long> ticks = new LinkedHashMap<>();
    for (Measured m : processes) {
      ProcStat root = stats.get(m.pid());
      long sum = 0;
      if (root != null) {
        if (m.withDescendants()) {
          Deque<Long> todo = new ArrayDeque<>(List.of(m.pid()));
          while (!todo.isEmpty()) {
            long pid = todo.pop();
            ProcStat s = stats.get(pid);
            if (s != null) {
              sum += s.own + s.children;
            }
            todo.addAll(children.getOrDefault(pid, List.of()));
          }
        } else {
          sum = root.own;
        }
      }
      ticks.put(m.name(), sum);
    }
    return new Sample(System.nanoTime(), ticks, machineBusyTicks());
  }

  /**
   * The CPU used between two samples of this meter.
   *
   * @param units the work done in between (lifecycles, messages), for the per-unit figures; 0 for
   *     none
   */
  public CpuUsage between(Sample start, Sample end, long units) {
    double seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
    List<CpuUsage.Process> lines = new ArrayList<>();
    double systemMs = 0;
    for (Measured m : processes) {
      double ms =
          toMs(end.ticks().getOrDefault(m.name(), 0L) - start.ticks().getOrDefault(m.name(), 0L));
      lines.add(CpuUsage.Process.of(m.name(), m.system(), ms, seconds, units));
      if (m.system()) {
        systemMs += ms;
      }
    }
    double machineMs = toMs(end.machineBusyTicks() - start.machineBusyTicks());
    return new CpuUsage(
        CpuUsage.round(seconds),
        units,
        lines,
        CpuUsage.Process.of("system", true, systemMs, seconds, units),
        CpuUsage.Process.of("whole machine", false, machineMs, seconds, units));
  }

  /** The CPU this meter's processes use while {@code work} runs, with its units of work. */
  public <T> Measurement<T> measure(Work<T> work) throws Exception {
    Sample start = sample();
    T result = work.run();
    Sample end = sample();
    return new Measurement<>(result, start, end);
  }

  /** Work whose CPU is measured. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws Exception;
  }

  /** A result with the samples around it. */
  public record Measurement<T>(T result, Sample start, Sample end) {}

  /**
   * The parent of {@code pid}, from its {@code /proc} entry (for example a PostgreSQL backend's
   * postmaster), or -1.
   */
  public static long parentOf(long pid) {
    ProcStat stat = read(pid);
    return stat == null ? -1 : stat.ppid;
  }

  /** The command name of {@code pid} ({@code comm}), or an empty string. */
  public static String commandOf(long pid) {
    try {
      return Files.readString(PROC.resolve(Long.toString(pid)).resolve("comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** The command line of {@code pid}, its arguments separated by spaces, or an empty string. */
  public static String commandLineOf(long pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether {@code pid} names a running process. */
  public static boolean alive(long pid) {
    return pid > 0 && Files.isDirectory(PROC.resolve(Long.toString(pid)));
  }

  private static double toMs(long ticks) {
    return ticks * 1000.0 / TICKS_PER_SECOND;
  }

  /** utime + stime, and cutime + cstime, in clock ticks, and the parent. */
  private record ProcStat(long ppid, long own, long children) {}

  private static Map<Long, ProcStat> readAll() {
    Map<Long, ProcStat> stats = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        ProcStat stat = read(pid);
        if (stat != null) {
          stats.put(pid, stat);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // No /proc: every figure reads 0.
    }
    return stats;
  }

  private static @Nullable ProcStat read(long pid) {
    try {
      String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // The command name in parentheses may hold spaces and parentheses: fields follow the last.
      String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
      // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
      return new ProcStat(
          Long.parseLong(f[1]),
          Long.parseLong(f[11]) + Long.parseLong(f[12]),
          Long.parseLong(f[13]) + Long.parseLong(f[14]));
    } catch (IOException | RuntimeException e) {
      return null; // gone meanwhile
    }
  }

  /** Busy ticks of all processors together, from the first line of /proc/stat. */
  private static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(PROC.resolve("stat")).getFirst().trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
      for (int i = 1; i <= 8 && i < f.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
