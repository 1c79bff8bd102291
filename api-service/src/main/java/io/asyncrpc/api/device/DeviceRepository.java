package io.asyncrpc.api.device;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface DeviceRepository extends JpaRepository<Device, String> {

  Optional<Device> findByIdAndTenant(String id, String tenant);

  boolean existsByIdAndTenant(String id, String tenant);

  /**
   * One page of a tenant's devices that carry all of {@code tags} (a JSON object; {@code {}} for
   * any), newest first, after the cursor ({@code created_at}, id); the first page has the cursor at
   * the end of time.
   */
  @Query(
      nativeQuery = true,
      value =
          """
          SELECT * FROM devices
           WHERE tenant = :tenant AND tags @> CAST(:tags AS jsonb)
             AND (created_at < :cursorAt OR (created_at = :cursorAt AND id < :cursorId))
           ORDER BY created_at DESC, id DESC
           LIMIT :limit
          """)
  List<Device> page(
      @Param("tenant") String tenant,
      @Param("tags") String tags,
      @Param("cursorAt") Instant cursorAt,
      @Param("cursorId") String cursorId,
      @Param("limit") int limit);
}
