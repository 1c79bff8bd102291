package io.asyncrpc.api.task;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TaskEventRepository extends JpaRepository<TaskEvent, Long> {

  List<TaskEvent> findByTaskIdOrderByIdAsc(UUID taskId);
}
