package io.asyncrpc.api.task;

import io.asyncrpc.task.model.TaskStatus;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

/**
 * Listing of tasks with optional filters. The query is assembled from the filters actually given,
 * so PostgreSQL sees only typed parameters and can use the matching index ({@code tasks_by_device},
 * {@code tasks_by_external_id} or {@code tasks_by_tenant}).
 */
@Repository
class TaskSearch {

  private final EntityManager entityManager;

  TaskSearch(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /**
   * One tenant's tasks, newest first ({@code created_at DESC, id DESC}), after the cursor if one is
   * given.
   */
  List<Task> page(
      String tenant,
      @Nullable String deviceId,
      @Nullable TaskStatus status,
      @Nullable String externalId,
      @Nullable Instant cursorAt,
      @Nullable UUID cursorId,
      int limit) {
    StringBuilder jpql = new StringBuilder("select t from Task t where t.tenant = :tenant");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("tenant", tenant);
    if (deviceId != null) {
      jpql.append(" and t.deviceId = :deviceId");
      params.put("deviceId", deviceId);
    }
    if (status != null) {
      jpql.append(" and t.status = :status");
      params.put("status", status);
    }
    if (externalId != null) {
      jpql.append(" and t.externalId = :externalId");
      params.put("externalId", externalId);
    }
    if (cursorAt != null && cursorId != null) {
      jpql.append(
          " and (t.createdAt < :cursorAt or (t.createdAt = :cursorAt and t.id < :cursorId))");
      params.put("cursorAt", cursorAt);
      params.put("cursorId", cursorId);
    }
    jpql.append(" order by t.createdAt desc, t.id desc");
    TypedQuery<Task> query = entityManager.createQuery(jpql.toString(), Task.class);
    params.forEach(query::setParameter);
    return query.setMaxResults(limit).getResultList();
  }
}
