package io.asyncrpc.bench.lifecycle;

import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.swarm.SwarmListener;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Times each task from its POST to each step the device sees. The device may see a step before the
 * POST's answer has told the client the task id, so whichever of the two comes second records.
 */
final class TaskTracker implements SwarmListener {

  /** What happened to one task, in {@link System#nanoTime()}; -1 until it happened. */
  static final class Times {
    private long posted = -1;
    private long triggered = -1;
    private long received = -1;
    private long committed = -1;
    final CompletableFuture<Void> done = new CompletableFuture<>();
  }

  /**
   * The latencies of one measurement window.
   *
   * @param accepted POST to its 202
   * @param triggered POST to the {@code tsk} at the device
   * @param payload POST to the device holding the payload ({@code rsp})
   * @param committed POST to the {@code cmt} at the device
   * @param done POST to a polling client seeing DONE
   */
  record Window(
      Latency accepted, Latency triggered, Latency payload, Latency committed, Latency done) {}

  private final ConcurrentHashMap<UUID, Times> tasks = new ConcurrentHashMap<>();
  private final LongAdder completed = new LongAdder();
  private final Recorder accepted = new Recorder(3);
  private final Recorder toTrigger = new Recorder(3);
  private final Recorder toPayload = new Recorder(3);
  private final Recorder toCommit = new Recorder(3);
  private final Recorder toDone = new Recorder(3);

  /** The client got the 202 for {@code id}, POSTed at {@code posted}. */
  Times posted(UUID id, long posted, long answered) {
    accepted.recordValue(micros(answered - posted));
    Times times = tasks.computeIfAbsent(id, k -> new Times());
    boolean finished;
    synchronized (times) {
      times.posted = posted;
      if (times.triggered >= 0) {
        toTrigger.recordValue(micros(times.triggered - posted));
      }
      if (times.received >= 0) {
        toPayload.recordValue(micros(times.received - posted));
      }
      finished = times.committed >= 0;
      if (finished) {
        toCommit.recordValue(micros(times.committed - posted));
      }
    }
    if (finished) {
      finish(id, times);
    }
    return times;
  }

  /** A polling client saw {@code DONE} (or another final state) at {@code at}. */
  void seenDone(long posted, long at) {
    toDone.recordValue(micros(at - posted));
  }

  @Override
  public void taskTriggered(String deviceId, UUID taskId, long nanoTime) {
    Times times = tasks.computeIfAbsent(taskId, k -> new Times());
    synchronized (times) {
      if (times.triggered >= 0) {
        return;
      }
      times.triggered = nanoTime;
      if (times.posted >= 0) {
        toTrigger.recordValue(micros(nanoTime - times.posted));
      }
    }
  }

  @Override
  public void taskReceived(String deviceId, UUID taskId, long nanoTime) {
    Times times = tasks.computeIfAbsent(taskId, k -> new Times());
    synchronized (times) {
      if (times.received >= 0) {
        return;
      }
      times.received = nanoTime;
      if (times.posted >= 0) {
        toPayload.recordValue(micros(nanoTime - times.posted));
      }
    }
  }

  @Override
  public void taskCommitted(String deviceId, UUID taskId, long nanoTime) {
    Times times = tasks.computeIfAbsent(taskId, k -> new Times());
    boolean finished;
    synchronized (times) {
      if (times.committed >= 0) {
        return;
      }
      times.committed = nanoTime;
      finished = times.posted >= 0;
      if (finished) {
        toCommit.recordValue(micros(nanoTime - times.posted));
      }
    }
    if (finished) {
      finish(taskId, times);
    }
  }

  /** Lifecycles completed (POSTed by this client and committed at the device) so far. */
  long completed() {
    return completed.sum();
  }

  /** Starts a new window: what was recorded so far is dropped. */
  void reset() {
    takeWindow();
  }

  /** The latencies since the last call (or {@link #reset()}). */
  Window takeWindow() {
    return new Window(
        Latency.ofMicros(accepted.getIntervalHistogram()),
        Latency.ofMicros(toTrigger.getIntervalHistogram()),
        Latency.ofMicros(toPayload.getIntervalHistogram()),
        Latency.ofMicros(toCommit.getIntervalHistogram()),
        Latency.ofMicros(toDone.getIntervalHistogram()));
  }

  private void finish(UUID id, Times times) {
    tasks.remove(id);
    completed.increment();
    times.done.complete(null);
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos / 1_000);
  }
}
