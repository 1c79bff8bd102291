package io.asyncrpc.bench;

import io.asyncrpc.task.model.FifoClaim;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The core's per-device FIFO: each consumer serves devices one after another and claims the head of
 * a device's FIFO with {@link FifoClaim#SQL}, the statement core-service runs, until it is empty.
 */
final class FifoClaimSystem implements ClaimSystem {

  private final JdbcClient jdbc;
  private final int tasksPerDevice;
  private final AtomicInteger nextDevice = new AtomicInteger();
  private volatile int devices;
  private final ThreadLocal<int[]> currentDevice = ThreadLocal.withInitial(() -> new int[] {-1});

  FifoClaimSystem(JdbcClient jdbc, int tasksPerDevice) {
    this.jdbc = jdbc;
    this.tasksPerDevice = tasksPerDevice;
  }

  @Override
  public String name() {
    return "core FIFO claim";
  }

  @Override
  public void load(int rows) {
    jdbc.sql("TRUNCATE task_events, tasks, devices CASCADE").update();
    devices = Math.max(1, rows / tasksPerDevice);
    nextDevice.set(0);
    jdbc.sql("INSERT INTO devices (id) SELECT 'bench-' || d FROM generate_series(0, :n - 1) d")
        .param("n", devices)
        .update();
    jdbc.sql(
            """
            INSERT INTO tasks (id, device_id, client_id, method_code, priority, payload, status,
                               created_at, deadline_at, updated_at)
            SELECT gen_random_uuid(), 'bench-' || (i % :devices), 'bench', 'work', i % 10,
                   '{}'::jsonb, 'QUEUED', now() - i * interval '1 millisecond',
                   now() + interval '1 hour', now()
              FROM generate_series(0, :rows - 1) i
            """)
        .param("devices", devices)
        .param("rows", rows)
        .update();
    jdbc.sql("ANALYZE tasks").update();
  }

  @Override
  public int claim(int consumer) {
    int[] device = currentDevice.get();
    while (true) {
      if (device[0] < 0) {
        device[0] = nextDevice.getAndIncrement();
        if (device[0] >= devices) {
          device[0] = -1;
          return 0;
        }
      }
      boolean claimed =
          jdbc.sql(FifoClaim.SQL)
                  .param("device", "bench-" + device[0])
                  .param("leaseMillis", 30_000L)
                  .param("actor", "bench")
                  .query()
                  .listOfRows()
                  .size()
              == 1;
      if (claimed) {
        return 1;
      }
      device[0] = -1;
    }
  }

  @Override
  public long claimedRows() {
    return jdbc.sql("SELECT count(*) FROM tasks WHERE status = 'LOCKED'")
        .query(Long.class)
        .single();
  }
}
