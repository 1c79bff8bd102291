package io.asyncrpc.api.task;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Tasks as the API shows them, for other features that render tasks (the event log). */
@Component
public class TaskViews {

  private final TaskStore store;

  TaskViews(TaskStore store) {
    this.store = store;
  }

  /** The tasks of these ids by id, in one statement; ids of deleted tasks are absent. */
  public Map<UUID, TaskView> byIds(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return store.findAll(ids).stream().collect(Collectors.toMap(TaskView::id, Function.identity()));
  }
}
