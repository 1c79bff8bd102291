package io.asyncrpc.reliability.history;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** What {@link HistoryChecker} found: the violations, and each task's history to print them. */
public final class CheckResult {

  private final History history;
  private final Map<UUID, TaskRow> tasks;
  private final Map<UUID, List<TaskEventRow>> events;
  private final Map<UUID, List<DeviceObservation>> observations;
  private final List<Violation> violations;

  CheckResult(
      History history,
      Map<UUID, TaskRow> tasks,
      Map<UUID, List<TaskEventRow>> events,
      Map<UUID, List<DeviceObservation>> observations,
      List<Violation> violations) {
    this.history = history;
    this.tasks = tasks;
    this.events = events;
    this.observations = observations;
    this.violations = List.copyOf(violations);
  }

  /** This result with {@code more} violations found by another check of the same run. */
  public CheckResult with(List<Violation> more) {
    List<Violation> all = new java.util.ArrayList<>(violations);
    all.addAll(more);
    return new CheckResult(history, tasks, events, observations, all);
  }

  public List<Violation> violations() {
    return violations;
  }

  public boolean valid() {
    return violations.isEmpty();
  }

  /** How many violations of each kind. */
  public Map<Violation.Kind, Long> counts() {
    Map<Violation.Kind, Long> counts = new EnumMap<>(Violation.Kind.class);
    for (Violation v : violations) {
      counts.merge(v.kind(), 1L, Long::sum);
    }
    return counts;
  }

  /** Tasks acknowledged with 202 (or committed to a device) whose work the system lost. */
  public long lost() {
    return distinctTasks(Violation.Kind.ACCEPTED_TASK_MISSING, Violation.Kind.RESULT_LOST);
  }

  /** Tasks completed twice or held by two requests at once. */
  public long duplicated() {
    return distinctTasks(Violation.Kind.COMPLETED_TWICE, Violation.Kind.DOUBLE_HOLD);
  }

  private long distinctTasks(Violation.Kind... kinds) {
    List<Violation.Kind> wanted = List.of(kinds);
    return violations.stream()
        .filter(v -> wanted.contains(v.kind()))
        .map(Violation::taskId)
        .distinct()
        .count();
  }

  /** The whole recorded history of one task: database row, events, client and device lines. */
  public String describe(UUID taskId) {
    StringBuilder text = new StringBuilder("task ").append(taskId).append('\n');
    TaskRow task = tasks.get(taskId);
    text.append("  row:    ").append(task == null ? "(missing)" : task).append('\n');
    history.accepted().stream()
        .filter(a -> a.taskId().equals(taskId))
        .forEach(a -> text.append("  client: ").append(a).append('\n'));
    events
        .getOrDefault(taskId, List.of())
        .forEach(e -> text.append("  event:  ").append(e).append('\n'));
    observations.getOrDefault(taskId, List.of()).stream()
        .sorted(Comparator.comparing(DeviceObservation::at))
        .forEach(o -> text.append("  device: ").append(o).append('\n'));
    return text.toString();
  }

  /** Every violation followed by the history of its task; "no violations" when valid. */
  public String report() {
    if (valid()) {
      return "no violations in " + history.tasks().size() + " tasks";
    }
    String list = violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    String histories =
        violations.stream()
            .map(Violation::taskId)
            .filter(id -> id != null)
            .distinct()
            .limit(20)
            .map(this::describe)
            .collect(Collectors.joining("\n"));
    return violations.size() + " violations:\n" + list + "\n\n" + histories;
  }
}
