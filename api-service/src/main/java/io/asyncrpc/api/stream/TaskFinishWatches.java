package io.asyncrpc.api.stream;

import io.asyncrpc.api.event.EventFeed;
import io.asyncrpc.api.event.EventPosition;
import io.asyncrpc.api.event.EventType;
import io.asyncrpc.api.event.FeedListener;
import io.asyncrpc.api.event.TenantEvent;
import io.asyncrpc.api.task.FinishedTasks;
import io.asyncrpc.api.task.TaskView;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The waiting requests' side of the event feed: a map from task id to its watches, completed when
 * the feed reads the task's {@code task.finished}. A watch costs one map entry and one future.
 */
@Component
class TaskFinishWatches implements FinishedTasks, FeedListener {

  private final Map<UUID, Set<TaskWatch>> watches = new ConcurrentHashMap<>();

  TaskFinishWatches(EventFeed feed, MeterRegistry meters) {
    feed.listen(this);
    meters.gauge("iot.api.waiting.requests", watches, Map::size);
  }

  @Override
  public Watch watch(UUID taskId) {
    TaskWatch watch = new TaskWatch(taskId, new CompletableFuture<>());
    watches.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(watch);
    return watch;
  }

  @Override
  public void onEvents(List<TenantEvent> events, EventPosition upTo) {
    if (watches.isEmpty()) {
      return;
    }
    for (TenantEvent event : events) {
      if (event.type() == EventType.TASK_FINISHED
          && event.taskId() != null
          && event.data() instanceof TaskView task) {
        Set<TaskWatch> waiting = watches.remove(event.taskId());
        if (waiting != null) {
          waiting.forEach(w -> w.finished().complete(task));
        }
      }
    }
  }

  private final class TaskWatch implements Watch {

    private final UUID taskId;
    private final CompletableFuture<TaskView> finished;

    TaskWatch(UUID taskId, CompletableFuture<TaskView> finished) {
      this.taskId = taskId;
      this.finished = finished;
    }

    @Override
    public CompletableFuture<TaskView> finished() {
      return finished;
    }

    @Override
    public void close() {
      watches.computeIfPresent(
          taskId,
          (id, set) -> {
            set.remove(this);
            return set.isEmpty() ? null : set;
          });
    }
  }
}
