package io.asyncrpc.bench;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.SystemClock;
import com.github.kagkarlsson.scheduler.TaskResolver;
import com.github.kagkarlsson.scheduler.event.SchedulerListeners;
import com.github.kagkarlsson.scheduler.jdbc.JdbcTaskRepository;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * db-scheduler's claim on PostgreSQL: its own repository's lock-and-fetch (one {@code UPDATE ...
 * WHERE ... IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING}), ordered by priority, for
 * {@code batch} executions per claim.
 */
final class DbSchedulerClaimSystem implements ClaimSystem {

  private static final String TASK = "bench";

  private final JdbcClient jdbc;
  private final JdbcTaskRepository repository;
  private final int batch;

  DbSchedulerClaimSystem(DataSource dataSource, JdbcClient jdbc, int batch) {
    this.jdbc = jdbc;
    this.batch = batch;
    TaskResolver resolver =
        new TaskResolver(
            SchedulerListeners.NOOP,
            new SystemClock(),
            List.of(Tasks.oneTime(TASK).execute((instance, context) -> {})));
    this.repository =
        new JdbcTaskRepository(
            dataSource,
            false,
            new PostgreSqlJdbcCustomization(false, false),
            JdbcTaskRepository.DEFAULT_TABLE_NAME,
            resolver,
            new SchedulerName.Fixed("bench"),
            true,
            new SystemClock());
  }

  @Override
  public String name() {
    return batch == 1 ? "db-scheduler claim" : "db-scheduler claim, batch " + batch;
  }

  @Override
  public void load(int rows) {
    jdbc.sql("TRUNCATE scheduled_tasks").update();
    jdbc.sql(
            """
            INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                         priority)
            SELECT :task, i::text, now() - interval '1 second' - i * interval '1 millisecond',
                   false, 1, i % 10
              FROM generate_series(0, :rows - 1) i
            """)
        .param("task", TASK)
        .param("rows", rows)
        .update();
    jdbc.sql("ANALYZE scheduled_tasks").update();
  }

  @Override
  public int claim(int consumer) {
    return repository.lockAndGetDue(Instant.now(), batch).size();
  }

  @Override
  public long claimedRows() {
    return jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE picked").query(Long.class).single();
  }
}
