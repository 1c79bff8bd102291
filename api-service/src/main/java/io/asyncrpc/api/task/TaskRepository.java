package io.asyncrpc.api.task;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TaskRepository extends JpaRepository<Task, UUID> {

  Optional<Task> findByIdAndClientId(UUID id, String clientId);

  Optional<Task> findByClientIdAndIdempotencyKey(String clientId, String idempotencyKey);
}
