package io.asyncrpc.api.device;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface DeviceRepository extends JpaRepository<Device, String> {

  Optional<Device> findByIdAndTenant(String id, String tenant);

  boolean existsByIdAndTenant(String id, String tenant);

  /** The first page of a tenant's devices: newest first. */
  @Query("select d from Device d where d.tenant = :tenant order by d.createdAt desc, d.id desc")
  List<Device> firstPage(@Param("tenant") String tenant, Limit limit);

  /** The page after the cursor (created_at, id), newest first. */
  @Query(
      """
      select d from Device d
      where d.tenant = :tenant
        and (d.createdAt < :cursorAt or (d.createdAt = :cursorAt and d.id < :cursorId))
      order by d.createdAt desc, d.id desc
      """)
  List<Device> pageAfter(
      @Param("tenant") String tenant,
      @Param("cursorAt") Instant cursorAt,
      @Param("cursorId") String cursorId,
      Limit limit);
}
