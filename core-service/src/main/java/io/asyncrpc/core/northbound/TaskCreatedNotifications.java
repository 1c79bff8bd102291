package io.asyncrpc.core.northbound;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.task.model.TaskCreatedChannel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Listens to PostgreSQL's notification of new tasks ({@link TaskCreatedChannel}, sent by
 * api-service with {@code iot.outbox.task-created=notify}) and triggers their devices as {@code
 * task.created} does.
 *
 * <p>PostgreSQL delivers a notification to every listening session, so only one core instance
 * listens: the one whose connection holds a session advisory lock. The others keep trying, and one
 * of them takes over when the listener's session ends (its process died, or its connection broke).
 * A notification sent while nobody listened is lost; api-service's task sweep notifies again what
 * is still waiting after its grace period, and the device finds it with its poll in any case.
 */
@Component
class TaskCreatedNotifications implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TaskCreatedNotifications.class);

  /** The advisory lock of the listener: "iotcore:" and "tsk" in ASCII, unlikely to collide. */
  static final long LISTENER_LOCK = 0x696f_7463_6f72_6574L;

  /** Most tasks triggered in one go (one read of the tasks, one send). */
  private static final int MAX_BATCH = 1000;

  private static final int POLL_MILLIS = 500;

  private static final long STOP_WAIT_SECONDS = 10;

  private final DataSource dataSource;
  private final TaskCreatedListener listener;
  private final CoreProperties.Notifications settings;
  // Batches being triggered; the listener waits for a permit, so notifications gather meanwhile.
  private final Semaphore triggering;
  private final ExecutorService triggers = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean running;
  private volatile boolean listening;
  private @Nullable Thread thread;

  TaskCreatedNotifications(
      DataSource dataSource,
      TaskCreatedListener listener,
      CoreProperties properties,
      MeterRegistry meters) {
    this.dataSource = dataSource;
    this.listener = listener;
    this.settings = properties.notifications();
    this.triggering = new Semaphore(settings.concurrency());
    Gauge.builder("iot.core.task-created.listening", () -> listening ? 1 : 0)
        .description("1 while this instance listens to the notifications of new tasks")
        .register(meters);
  }

  /** Whether this instance is the one that listens now. */
  boolean listening() {
    return listening;
  }

  @Override
  public void start() {
    if (!settings.enabled()) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().daemon().name("task-created-notifications").start(this::run);
  }

  @Override
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(2L * POLL_MILLIS + settings.retry().toMillis());
        // The batches under way finish (each is one read and one send, bounded by the confirm
        // timeout); none starts after this.
        if (triggering.tryAcquire(settings.concurrency(), STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
          triggering.release(settings.concurrency());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    while (running) {
      try (Connection connection = connect()) {
        if (awaitLock(connection)) {
          listen(connection);
        }
      } catch (SQLException | RuntimeException e) {
        if (running) {
          log.warn("listening to new tasks' notifications failed; trying again", e);
        }
      } finally {
        if (listening) {
          listening = false;
          log.info("this instance no longer listens to new tasks' notifications");
        }
      }
      pause();
    }
  }

  /** Tries the lock until it holds it (true) or this instance stops (false). */
  private boolean awaitLock(Connection connection) throws SQLException {
    while (running) {
      try (Statement statement = connection.createStatement();
          var rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LISTENER_LOCK + ")")) {
        if (rs.next() && rs.getBoolean(1)) {
          return true;
        }
      }
      pause();
    }
    return false;
  }

  private void listen(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + TaskCreatedChannel.CHANNEL);
    }
    listening = true;
    log.info("this instance listens to new tasks' notifications");
    PGConnection pg = connection.unwrap(PGConnection.class);
    while (running) {
      // Everything that arrived while the last batch was triggered comes back at once.
      PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
      if (notifications != null && notifications.length > 0) {
        List<UUID> taskIds = taskIds(notifications);
        if (!taskIds.isEmpty()) {
          triggerAsync(taskIds);
        }
      }
    }
  }

  /** Triggers on a thread of its own once fewer than {@code concurrency} batches are under way. */
  private void triggerAsync(List<UUID> taskIds) {
    try {
      triggering.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return; // stopping: the sweep notifies these again, the devices' polls find them
    }
    try {
      triggers.execute(
          () -> {
            try {
              trigger(taskIds);
            } finally {
              triggering.release();
            }
          });
    } catch (RejectedExecutionException e) {
      triggering.release();
    }
  }

  private static List<UUID> taskIds(PGNotification[] notifications) {
    List<UUID> taskIds = new ArrayList<>();
    for (PGNotification notification : notifications) {
      try {
        taskIds.addAll(TaskCreatedChannel.taskIds(notification.getParameter()));
      } catch (IllegalArgumentException e) {
        log.warn("a notification of new tasks that is not a list of task ids was ignored");
      }
    }
    return taskIds;
  }

  private void trigger(List<UUID> taskIds) {
    for (int from = 0; from < taskIds.size(); from += MAX_BATCH) {
      try {
        listener.tasksCreated(taskIds.subList(from, Math.min(taskIds.size(), from + MAX_BATCH)));
      } catch (RuntimeException e) {
        // The tasks stay QUEUED: api-service's sweep notifies again, the devices' polls find them.
        log.warn("{} new task(s) not triggered", Math.min(MAX_BATCH, taskIds.size() - from), e);
      }
    }
  }

  /** A connection of its own, outside the pool: it is held for as long as this instance listens. */
  private Connection connect() throws SQLException {
    Connection connection =
        dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari
            ? DriverManager.getConnection(
                hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword())
            : dataSource.getConnection();
    connection.setAutoCommit(true);
    return connection;
  }

  private void pause() {
    if (!running) {
      return;
    }
    try {
      Thread.sleep(settings.retry());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
