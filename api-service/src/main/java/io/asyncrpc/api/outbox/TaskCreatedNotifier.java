package io.asyncrpc.api.outbox;

import io.asyncrpc.task.model.TaskCreatedChannel;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Announces new tasks to core-service through PostgreSQL ({@code iot.outbox.task-created=notify}):
 * inside a transaction the notification is delivered at its commit, and dropped with its rollback;
 * outside one, at once.
 */
@Component
class TaskCreatedNotifier {

  private final JdbcClient jdbc;

  TaskCreatedNotifier(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One {@code pg_notify} per {@link TaskCreatedChannel#MAX_IDS} tasks. */
  void announce(List<UUID> taskIds) {
    for (String payload : TaskCreatedChannel.payloads(taskIds)) {
      jdbc.sql("SELECT pg_notify(?, ?)")
          .params(TaskCreatedChannel.CHANNEL, payload)
          .query(rs -> {});
    }
  }
}
