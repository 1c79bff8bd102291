package io.asyncrpc.api.device;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface DeviceRepository extends JpaRepository<Device, String> {

  /** The first page: newest first. */
  @Query("select d from Device d order by d.createdAt desc, d.id desc")
  List<Device> firstPage(Limit limit);

  /** The page after the cursor (created_at, id), newest first. */
  @Query(
      """
      select d from Device d
      where d.createdAt < :cursorAt or (d.createdAt = :cursorAt and d.id < :cursorId)
      order by d.createdAt desc, d.id desc
      """)
  List<Device> pageAfter(
      @Param("cursorAt") Instant cursorAt, @Param("cursorId") String cursorId, Limit limit);
}
