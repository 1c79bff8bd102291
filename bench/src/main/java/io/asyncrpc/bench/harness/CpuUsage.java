package io.asyncrpc.bench.harness;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The CPU the measured processes used over one window, from {@link CpuMeter}.
 *
 * @param seconds the window's length
 * @param units the work done in the window (lifecycles, messages, requests)
 * @param processes one line per measured process
 * @param system the sum of the processes that are part of the system under test
 * @param machine every processor of the machine: the measured processes and everything else
 */
public record CpuUsage(
    double seconds, long units, List<Process> processes, Process system, Process machine) {

  public CpuUsage {
    processes = List.copyOf(processes);
  }

  /**
   * One process's share.
   *
   * @param name the process, for example {@code broker}
   * @param system whether it counts as the system under test
   * @param cpuMs CPU time used in the window, in ms
   * @param percentOfCore that time as a share of one core over the window (200 is two cores)
   * @param msPerUnit CPU time per unit of work, in ms; null when there was no work
   */
  public record Process(
      String name, boolean system, double cpuMs, double percentOfCore, @Nullable Double msPerUnit) {

    static Process of(String name, boolean system, double cpuMs, double seconds, long units) {
      return new Process(
          name,
          system,
          round(cpuMs),
          seconds <= 0 ? 0 : round(cpuMs / (seconds * 10)),
          units <= 0 ? null : Math.round(cpuMs / units * 1000) / 1000.0);
    }
  }

  /** The line of {@code name}, if it was measured. */
  public Optional<Process> process(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
