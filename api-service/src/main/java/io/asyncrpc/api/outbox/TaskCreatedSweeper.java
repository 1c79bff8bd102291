package io.asyncrpc.api.outbox;

import io.asyncrpc.api.outbox.OutboxPublisher.Publication;
import io.asyncrpc.api.schedule.FixedDelayWork;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCreated;
import io.asyncrpc.task.model.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Re-announces ({@code task.created}, or the PostgreSQL notification with {@code
 * iot.outbox.task-created=notify}) the tasks that may never have been announced, when no outbox row
 * is written for them ({@code sweep} or {@code notify}): tasks still {@code QUEUED}, never
 * attempted, of an online device, created more than the grace period ago.
 *
 * <p>A cursor over {@code (created_at, id)} moves past a task once its re-announcement was
 * confirmed, so each such task is announced again once by each instance, not at every run; it stays
 * put while the broker refuses, and never lags more than {@code sweep-look-back}. It starts that
 * far back, which covers a crash of an instance between commit and publish. A device that is
 * offline gets nothing: the core would not reach it, and it finds its tasks by polling (v2 on
 * connect and on its timer, v1 on its timer).
 */
@Component
class TaskCreatedSweeper extends FixedDelayWork {

  private static final Logger log = LoggerFactory.getLogger(TaskCreatedSweeper.class);

  /** Sorts after every id: a cursor at {@code (t, LAST)} has passed every task created at t. */
  private static final UUID LAST = new UUID(-1L, -1L);

  /** Tasks read per statement, due or not: a bounded scan whatever the backlog. */
  static final int PAGE = 1000;

  private record Cursor(Instant createdAt, UUID id) {}

  private record Waiting(TaskCreated task, Instant createdAt) {}

  private final JdbcClient jdbc;
  private final OutboxPublisher publisher;
  private final TaskCreatedNotifier notifier;
  private final OutboxProperties properties;
  private final BrokerFlowControl flow;
  private final JsonMapper json;
  private final Clock clock;
  private final FailureBurst failures =
      new FailureBurst(log, "re-announced task.created", "the next sweep tries again");
  // Only the scheduler's thread touches these (runs never overlap).
  private Cursor cursor;
  private int announced;

  TaskCreatedSweeper(
      JdbcClient jdbc,
      OutboxPublisher publisher,
      TaskCreatedNotifier notifier,
      OutboxProperties properties,
      BrokerFlowControl flow,
      JsonMapper json,
      TaskScheduler scheduler) {
    super(
        "task-created sweep",
        scheduler,
        properties.relayInterval(),
        properties.relayEnabled() && properties.taskCreated().swept());
    this.jdbc = jdbc;
    this.publisher = publisher;
    this.notifier = notifier;
    this.properties = properties;
    this.flow = flow;
    this.json = json;
    this.clock = Clock.systemUTC();
    this.cursor = new Cursor(clock.instant().minus(properties.sweepLookBack()), LAST);
  }

  /**
   * Reads the next page of tasks after the cursor and re-announces those due; returns how many rows
   * the page held (a full page: more may follow) when every announcement was confirmed, and moves
   * the cursor past them; otherwise moves it only up to the first refused one and returns 0.
   */
  int sweepOnce() {
    boolean notify = properties.taskCreated() == OutboxProperties.TaskCreatedRecovery.NOTIFY;
    if (!notify && flow.blocked().isPresent()) {
      return 0; // a publish would wait for the alarm to clear
    }
    Instant now = clock.instant();
    Instant upTo = now.minus(properties.gracePeriod());
    Instant lookBack = now.minus(properties.sweepLookBack());
    Cursor from = cursor.createdAt().isBefore(lookBack) ? new Cursor(lookBack, LAST) : cursor;
    Page page = page(from, upTo);
    return notify ? notifyAgain(page, upTo) : publishAgain(page, upTo);
  }

  /** Notifies the page's due tasks in one statement per notification, outside a transaction. */
  private int notifyAgain(Page page, Instant upTo) {
    try {
      notifier.announce(page.due().stream().map(w -> w.task().taskId()).toList());
    } catch (DataAccessException e) {
      failures.failed(String.valueOf(e.getMostSpecificCause().getMessage()));
      return 0; // the cursor stays: the next run notifies the same page again
    }
    if (!page.due().isEmpty()) {
      failures.confirmed();
    }
    announced += page.due().size();
    return advance(page, upTo);
  }

  private int publishAgain(Page page, Instant upTo) {
    List<Publication> sent =
        page.due().stream()
            .map(
                w ->
                    publisher.send(
                        new PendingEvent(
                            0,
                            w.task().taskId(),
                            TaskCreated.class.getSimpleName(),
                            NorthboundTopology.TASK_CREATED_KEY,
                            json.writeValueAsString(w.task())),
                        "sweep"))
            .toList();
    for (int i = 0; i < sent.size(); i++) {
      String error = sent.get(i).await();
      if (error != null) {
        failures.failed(error);
        if (i > 0) {
          Waiting last = page.due().get(i - 1);
          cursor = new Cursor(last.createdAt(), last.task().taskId());
        }
        announced += i;
        return 0; // this run ends; the next one starts at the refused task
      }
      failures.confirmed();
    }
    announced += sent.size();
    return advance(page, upTo);
  }

  /** Moves the cursor past the page and returns its row count. */
  private int advance(Page page, Instant upTo) {
    // A page that was not full saw every task up to upTo, including any that share its instant.
    cursor = page.rows() < PAGE ? new Cursor(upTo, LAST) : page.last();
    return page.rows();
  }

  private record Page(List<Waiting> due, int rows, Cursor last) {}

  private Page page(Cursor after, Instant upTo) {
    // The page is read in the order of tasks_by_created (created_at DESC, id DESC, read backwards)
    // and filtered afterwards: a filter on status in the same scan let the planner AND that index
    // with tasks_waiting_deadline, whose size grows with every waiting task (docs/outbox.md).
    // Besides the due tasks the page's last row comes back, for the cursor.
    List<Waiting> due = new ArrayList<>();
    Cursor[] last = {after};
    int[] rows = {0};
    jdbc.sql(
            """
            WITH page AS MATERIALIZED (
                SELECT id, device_id, method_code, priority, deadline_at, created_at, status, attempts
                  FROM tasks
                 WHERE (created_at, id) > (:afterAt, :afterId) AND created_at <= :upTo
                 ORDER BY created_at, id
                 LIMIT :page),
              edge AS (SELECT created_at, id, count(*) OVER () AS rows FROM page
                        ORDER BY created_at DESC, id DESC LIMIT 1)
            SELECT p.id, p.device_id, p.method_code, p.priority, p.deadline_at, p.created_at,
                   p.status = 'QUEUED' AND p.attempts = 0 AND d.online AS due,
                   (SELECT rows FROM edge) AS rows
              FROM page p
              JOIN devices d ON d.id = p.device_id
             WHERE (p.status = 'QUEUED' AND p.attempts = 0 AND d.online)
                OR (p.created_at, p.id) = (SELECT created_at, id FROM edge)
             ORDER BY p.created_at, p.id
            """)
        .param("afterAt", after.createdAt().atOffset(ZoneOffset.UTC))
        .param("afterId", after.id())
        .param("upTo", upTo.atOffset(ZoneOffset.UTC))
        .param("page", PAGE)
        .query(
            rs -> {
              UUID id = rs.getObject("id", UUID.class);
              Instant createdAt = Timestamps.required(rs, "created_at");
              last[0] = new Cursor(createdAt, id);
              rows[0] = rs.getInt("rows");
              if (rs.getBoolean("due")) {
                due.add(
                    new Waiting(
                        new TaskCreated(
                            id,
                            rs.getString("device_id"),
                            rs.getString("method_code"),
                            rs.getInt("priority"),
                            Timestamps.required(rs, "deadline_at")),
                        createdAt));
              }
            });
    return new Page(due, rows[0], last[0]);
  }

  @Override
  protected void runOnce() {
    announced = 0;
    drain(this::sweepOnce, PAGE, properties.relayInterval());
    if (announced > 0) {
      log.info("task sweep re-announced {} task(s)", announced);
    }
  }
}
