package io.asyncrpc.task.model;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL notification that announces new tasks ({@code iot.outbox.task-created=notify}):
 * api-service sends it in the transaction that creates them, so PostgreSQL delivers it at commit
 * and never for a rolled-back task; core-service listens. Its payload is the tasks' ids, separated
 * by commas.
 */
public final class TaskCreatedChannel {

  /** The channel of {@code NOTIFY} and {@code LISTEN}. */
  public static final String CHANNEL = "iot_task_created";

  /**
   * Most ids in one notification: 36 characters and a comma each stay well under PostgreSQL's
   * payload limit of 8,000 bytes.
   */
  public static final int MAX_IDS = 200;

  private TaskCreatedChannel() {}

  /** The payloads that announce {@code taskIds}, at most {@link #MAX_IDS} ids each, in order. */
  public static List<String> payloads(List<UUID> taskIds) {
    List<String> payloads = new ArrayList<>();
    for (int from = 0; from < taskIds.size(); from += MAX_IDS) {
      StringBuilder payload = new StringBuilder();
      for (UUID id : taskIds.subList(from, Math.min(taskIds.size(), from + MAX_IDS))) {
        if (!payload.isEmpty()) {
          payload.append(',');
        }
        payload.append(id);
      }
      payloads.add(payload.toString());
    }
    return payloads;
  }

  /**
   * The task ids of a payload.
   *
   * @throws IllegalArgumentException if an entry is not a UUID (nothing of it is taken then)
   */
  public static List<UUID> taskIds(String payload) {
    List<UUID> ids = new ArrayList<>();
    if (payload == null || payload.isBlank()) {
      return ids;
    }
    for (String entry : payload.split(",")) {
      ids.add(UUID.fromString(entry.strip()));
    }
    return ids;
  }
}
