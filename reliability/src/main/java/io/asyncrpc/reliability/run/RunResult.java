package io.asyncrpc.reliability.run;

import io.asyncrpc.reliability.history.AcceptedTask;
import io.asyncrpc.reliability.history.CheckResult;
import io.asyncrpc.reliability.history.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What one plan's run saw: its injections and the checker's verdict, as a report table.
 *
 * @param plan the plan
 * @param seed the random seed of the schedule
 * @param duration how long the run took
 * @param injections every injected fault
 * @param accepted the client's 202 log
 * @param refused task creations the API refused or did not answer
 * @param check the history checker's result
 */
public record RunResult(
    Plan plan,
    long seed,
    Duration duration,
    List<Injection> injections,
    List<AcceptedTask> accepted,
    long refused,
    CheckResult check) {

  /** Whether every invariant held and every fault healed. */
  public boolean passed() {
    return check.valid() && injections.stream().allMatch(i -> i.recovery() != null);
  }

  /**
   * Markdown rows, one per fault: | fault | injected | in flight | lost | duplicated | p50 | max |
   */
  public List<String> rows() {
    Map<String, List<Injection>> byFault = new LinkedHashMap<>();
    plan.faults().keySet().forEach(f -> byFault.put(f.name(), new ArrayList<>()));
    injections.forEach(i -> byFault.computeIfAbsent(i.fault(), f -> new ArrayList<>()).add(i));
    Map<String, Long> lost =
        attribute(Set.of(Violation.Kind.ACCEPTED_TASK_MISSING, Violation.Kind.RESULT_LOST));
    Map<String, Long> duplicated =
        attribute(Set.of(Violation.Kind.COMPLETED_TWICE, Violation.Kind.DOUBLE_HOLD));
    List<String> rows = new ArrayList<>();
    byFault.forEach(
        (fault, list) -> {
          List<Long> millis =
              list.stream()
                  .map(Injection::recovery)
                  .filter(Objects::nonNull)
                  .map(Duration::toMillis)
                  .sorted()
                  .toList();
          long unrecovered = list.stream().filter(i -> i.recovery() == null).count();
          String p50 = millis.isEmpty() ? "–" : seconds(millis.get((millis.size() - 1) / 2));
          String max = millis.isEmpty() ? "–" : seconds(millis.get(millis.size() - 1));
          if (unrecovered > 0) {
            max += " (" + unrecovered + " not recovered)";
          }
          rows.add(
              "| %s | %d | %d | %d | %d | %s | %s | %s |"
                  .formatted(
                      fault,
                      list.size(),
                      list.stream().mapToInt(Injection::inFlight).sum(),
                      lost.getOrDefault(fault, 0L),
                      duplicated.getOrDefault(fault, 0L),
                      p50,
                      max,
                      Faults.FIXED.getOrDefault(fault, "–")));
        });
    return rows;
  }

  /** One line: the plan, its size and the checker's verdict. */
  public String summary() {
    long devicesBackMax =
        injections.stream()
            .map(Injection::devicesBack)
            .filter(Objects::nonNull)
            .mapToLong(Duration::toMillis)
            .max()
            .orElse(0);
    long devicesNotBack = injections.stream().filter(i -> i.devicesBack() == null).count();
    return ("plan %s (seed %d, %d broker node%s, %d core instance%s, %d devices): %d min %d s, %d tasks answered 202, %d creations refused or unanswered, every device online again at most %s after an injection%s; %s")
        .formatted(
            plan.name(),
            seed,
            plan.brokerNodes(),
            plan.brokerNodes() == 1 ? "" : "s",
            plan.coreInstances(),
            plan.coreInstances() == 1 ? "" : "s",
            plan.devices() + SystemUnderTest.FAULT_DEVICES,
            duration.toMinutes(),
            duration.toSecondsPart(),
            accepted.size(),
            refused,
            seconds(devicesBackMax),
            devicesNotBack == 0 ? "" : " (" + devicesNotBack + " times not within 60 s)",
            check.valid()
                ? "no invariant violated"
                : check.violations().size() + " violations " + check.counts());
  }

  /** Distinct tasks with violations of {@code kinds}, per fault they first lived through. */
  private Map<String, Long> attribute(Set<Violation.Kind> kinds) {
    Map<UUID, Instant> acceptedAt = new HashMap<>();
    accepted.forEach(a -> acceptedAt.put(a.taskId(), a.at()));
    return check.violations().stream()
        .filter(v -> kinds.contains(v.kind()) && v.taskId() != null)
        .map(Violation::taskId)
        .distinct()
        .collect(Collectors.groupingBy(id -> faultOf(acceptedAt.get(id)), Collectors.counting()));
  }

  private String faultOf(@Nullable Instant acceptedAt) {
    if (injections.isEmpty()) {
      return "none";
    }
    if (acceptedAt != null) {
      for (Injection injection : injections) {
        if (!injection.at().isBefore(acceptedAt)) {
          return injection.fault();
        }
      }
    }
    return injections.get(injections.size() - 1).fault();
  }

  private static String seconds(long millis) {
    return "%.1f s".formatted(millis / 1000.0);
  }
}
