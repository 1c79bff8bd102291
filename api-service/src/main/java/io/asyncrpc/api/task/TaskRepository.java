package io.asyncrpc.api.task;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TaskRepository extends JpaRepository<Task, UUID> {

  Optional<Task> findByIdAndTenant(UUID id, String tenant);

  Optional<Task> findByClientIdAndTenantAndIdempotencyKey(
      String clientId, String tenant, String idempotencyKey);
}
