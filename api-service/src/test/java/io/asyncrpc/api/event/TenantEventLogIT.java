package io.asyncrpc.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.task.TaskView;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tests for {@link TenantEventLog} against the real PostgreSQL: the triggers write each kind of
 * event once, the log renders them, filters them by tenant, type, device and task, and an event of
 * a transaction still running holds back every later one, so a reader's position never skips.
 */
@SpringBootTest
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class TenantEventLogIT {

  @Autowired TenantEventLog log;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  private String tenant;
  private String device;
  private EventPosition start;

  @BeforeEach
  void device() {
    tenant = "it-log-" + UUID.randomUUID().toString().substring(0, 8);
    device = "it-log-" + UUID.randomUUID().toString().substring(0, 13);
    start = log.head();
    jdbc.sql("INSERT INTO devices (id, tenant) VALUES (?, ?)").params(device, tenant).update();
  }

  @Test
  void triggersWriteEachKindOnceAndTheLogRendersThem() {
    UUID task = queuedTask();
    jdbc.sql(
            """
            UPDATE tasks SET status = 'DONE', status_code = 200, result = '{"ok": true}',
                   finished_at = now() WHERE id = ?""")
        .param(task)
        .update();
    // Not a change of status: no second event.
    jdbc.sql("UPDATE tasks SET status = 'DONE' WHERE id = ?").param(task).update();
    jdbc.sql("UPDATE devices SET online = true, connected_at = now() WHERE id = ?")
        .param(device)
        .update();
    jdbc.sql("UPDATE devices SET online = true WHERE id = ?").param(device).update();
    storeDeviceEvent(7);
    storeDeviceEvent(7); // a resend is stored, and told, once

    List<TenantEvent> events = log.after(tenant, start, EventFilter.ALL, 100);

    assertThat(events)
        .extracting(TenantEvent::type)
        .containsExactly(
            EventType.TASK_FINISHED, EventType.DEVICE_PRESENCE, EventType.DEVICE_EVENT);
    assertThat(events).allSatisfy(e -> assertThat(e.deviceId()).isEqualTo(device));
    assertThat(events.getFirst().data())
        .isInstanceOfSatisfying(
            TaskView.class,
            finished -> {
              assertThat(finished.id()).isEqualTo(task);
              assertThat(finished.status()).isEqualTo(TaskStatus.DONE);
              assertThat(finished.result().path("ok").asBoolean()).isTrue();
            });
    assertThat(events.get(1).data())
        .isInstanceOfSatisfying(
            PresenceData.class,
            presence -> {
              assertThat(presence.online()).isTrue();
              assertThat(presence.connectedAt()).isNotNull();
            });
    assertThat(events.get(2).data())
        .isInstanceOfSatisfying(
            DeviceEventData.class, stored -> assertThat(stored.devEventId()).isEqualTo(7));
    assertThat(events)
        .extracting(TenantEvent::position)
        .isSortedAccordingTo(EventPosition::compareTo)
        .doesNotHaveDuplicates();
  }

  @Test
  void aTaskCreatedFinishedIsToldToo() {
    UUID task = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO tasks (id, device_id, client_id, tenant, method_code, priority, payload,
                               status, created_at, deadline_at, updated_at, finished_at)
            VALUES (?, ?, 'it', ?, 'm', 1, '{}', 'CANCELLED', now(), now() + interval '1 hour',
                    now(), now())""")
        .params(task, device, tenant)
        .update();

    assertThat(log.after(tenant, start, EventFilter.ALL, 10))
        .extracting(TenantEvent::taskId)
        .containsExactly(task);
  }

  @Test
  void jobEventsHaveNoDeviceAndCarryTheRollUpTheRolloutWrote() {
    UUID job = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO tenant_events (tenant, type, job_id, data)
            VALUES (:tenant, 'job.progress', :job, CAST(:progress AS jsonb)),
                   (:tenant, 'job.finished', :job, CAST(:finished AS jsonb))""")
        .param("tenant", tenant)
        .param("job", job)
        .param(
            "progress",
            """
            {"job_id": "%s", "status": "IN_PROGRESS", "status_reason": null, "target_count": 3,
             "executions_created": 2, "counts": {"QUEUED": 1, "DONE": 1, "FAILED": 0}}"""
                .formatted(job))
        .param(
            "finished",
            """
            {"job_id": "%s", "status": "ABORTED", "status_reason": "too many FAILED",
             "target_count": 3, "executions_created": 2, "counts": {"CANCELLED": 1, "FAILED": 1}}"""
                .formatted(job))
        .update();

    List<TenantEvent> events =
        log.after(
            tenant,
            start,
            new EventFilter(Set.of(EventType.JOB_PROGRESS, EventType.JOB_FINISHED), null, null),
            10);

    assertThat(events)
        .extracting(TenantEvent::type)
        .containsExactly(EventType.JOB_PROGRESS, EventType.JOB_FINISHED);
    assertThat(events).allSatisfy(e -> assertThat(e.deviceId()).isNull());
    assertThat(events.getFirst().data())
        .isInstanceOfSatisfying(
            JobEventData.class,
            progress -> {
              assertThat(progress.jobId()).isEqualTo(job);
              assertThat(progress.status()).isEqualTo("IN_PROGRESS");
              assertThat(progress.statusReason()).isNull();
              assertThat(progress.targetCount()).isEqualTo(3);
              assertThat(progress.executionsCreated()).isEqualTo(2);
              assertThat(progress.counts()).containsEntry("QUEUED", 1).containsEntry("DONE", 1);
            });
    assertThat(events.get(1).data())
        .isInstanceOfSatisfying(
            JobEventData.class,
            finished -> {
              assertThat(finished.status()).isEqualTo("ABORTED");
              assertThat(finished.statusReason()).isEqualTo("too many FAILED");
            });
    assertThat(EventType.parse("job.finished", "type")).isEqualTo(EventType.JOB_FINISHED);
    assertThat(log.after(tenant, start, new EventFilter(Set.of(), device, null), 10)).isEmpty();
  }

  @Test
  void filtersByTenantTypeDeviceAndTask() {
    UUID first = queuedTask();
    UUID second = queuedTask();
    finish(first);
    finish(second);
    storeDeviceEvent(1);

    assertThat(log.after("it-nobody-" + UUID.randomUUID(), start, EventFilter.ALL, 10)).isEmpty();
    assertThat(
            log.after(
                tenant, start, new EventFilter(Set.of(EventType.DEVICE_EVENT), null, null), 10))
        .extracting(TenantEvent::type)
        .containsExactly(EventType.DEVICE_EVENT);
    assertThat(log.after(tenant, start, new EventFilter(Set.of(), null, second), 10))
        .extracting(TenantEvent::taskId)
        .containsExactly(second);
    assertThat(log.after(tenant, start, new EventFilter(Set.of(), "other-device", null), 10))
        .isEmpty();
    assertThat(log.after(start, 10_000)).filteredOn(e -> e.tenant().equals(tenant)).hasSize(3);
  }

  @Test
  void aRunningTransactionHoldsBackLaterEventsUntilItEnds() throws Exception {
    UUID early = queuedTask();
    UUID late = queuedTask();
    try (Connection slow = dataSource.getConnection()) {
      slow.setAutoCommit(false);
      try (PreparedStatement finishing =
          slow.prepareStatement("UPDATE tasks SET status = 'FAILED' WHERE id = ?")) {
        finishing.setObject(1, early);
        finishing.executeUpdate();
      }
      finish(late); // begins after the slow transaction and commits first

      assertThat(log.after(tenant, start, EventFilter.ALL, 10))
          .as("nothing after the running transaction is readable yet")
          .isEmpty();

      slow.commit();
    }

    List<TenantEvent> events = log.after(tenant, start, EventFilter.ALL, 10);
    assertThat(events).extracting(TenantEvent::taskId).containsExactly(early, late);
    // A reader that had stopped after the first resumes at exactly the second.
    assertThat(log.after(tenant, events.getFirst().position(), EventFilter.ALL, 10))
        .extracting(TenantEvent::taskId)
        .containsExactly(late);
  }

  @Test
  void eventsAreReadInTheOrderOfTheirTransactionsNumbersNotOfTheirText() {
    // Two events of long-past transactions 9 and 10: "10" sorts before "9" as text.
    for (long tx : new long[] {10, 9}) {
      jdbc.sql(
              """
              INSERT INTO tenant_events (tx, tenant, type, device_id, data)
              VALUES (CAST(CAST(? AS text) AS xid8), ?, 'device.presence', ?,
                      '{"online": true}')""")
          .params(Long.toString(tx), tenant, device)
          .update();
    }
    EventPosition beforeBoth = new EventPosition(8, Long.MAX_VALUE);

    assertThat(log.after(beforeBoth, 1)).extracting(e -> e.position().tx()).containsExactly(9L);
    assertThat(log.after(tenant, beforeBoth, EventFilter.ALL, 1))
        .extracting(e -> e.position().tx())
        .containsExactly(9L);
    assertThat(log.after(tenant, beforeBoth, EventFilter.ALL, 10))
        .extracting(e -> e.position().tx())
        .containsExactly(9L, 10L);
  }

  @Test
  void positionsRoundTripAsTheirText() {
    EventPosition position = new EventPosition(48211, 10442);
    assertThat(EventPosition.decode(position.encode(), "after")).isEqualTo(position);
  }

  private UUID queuedTask() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO tasks (id, device_id, client_id, tenant, method_code, priority, payload,
                               status, created_at, deadline_at, updated_at)
            VALUES (?, ?, 'it', ?, 'm', 1, '{}', 'QUEUED', now(), now() + interval '1 hour',
                    now())""")
        .params(id, device, tenant)
        .update();
    return id;
  }

  private void finish(UUID task) {
    jdbc.sql("UPDATE tasks SET status = 'DONE', finished_at = now() WHERE id = ?")
        .param(task)
        .update();
  }

  private void storeDeviceEvent(long devEventId) {
    jdbc.sql(
            """
            INSERT INTO device_events (device_id, event_type_code, dev_event_id, dev_timestamp)
            VALUES (?, 13, ?, '2026-12-01T00:00:00Z') ON CONFLICT DO NOTHING""")
        .params(device, devEventId)
        .update();
  }
}
