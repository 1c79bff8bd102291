package io.asyncrpc.swarm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters and latency histograms of a swarm, safe to update from many threads. */
public final class SwarmStats {

  final AtomicInteger online = new AtomicInteger();
  final LongAdder triggers = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder tasks = new LongAdder();
  final LongAdder noTask = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder results = new LongAdder();
  final LongAdder failedResults = new LongAdder();
  final LongAdder commits = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  private final Recorder taskToCommit = new Recorder(3);

  /**
   * A point-in-time copy of the counters.
   *
   * @param online devices connected and subscribed
   * @param triggers {@code tsk} received
   * @param requests {@code req} sent (by id and zero-UUID polls)
   * @param tasks tasks received and run
   * @param noTask no-task answers to polls
   * @param duplicates re-delivered tasks recognised and not run again
   * @param results {@code res} sent, retries included
   * @param failedResults results sent with a failure status code
   * @param commits {@code cmt} received for a pending result
   * @param errors typed {@code err} answers received
   * @param connectFailures connection attempts that failed
   */
  public record Snapshot(
      int online,
      long triggers,
      long requests,
      long tasks,
      long noTask,
      long duplicates,
      long results,
      long failedResults,
      long commits,
      long errors,
      long connectFailures) {}

  public Snapshot snapshot() {
    return new Snapshot(
        online.get(),
        triggers.sum(),
        requests.sum(),
        tasks.sum(),
        noTask.sum(),
        duplicates.sum(),
        results.sum(),
        failedResults.sum(),
        commits.sum(),
        errors.sum(),
        connectFailures.sum());
  }

  /** Latencies from a task reaching its device to its commit, in microseconds, since last call. */
  public Histogram takeTaskToCommit() {
    return taskToCommit.getIntervalHistogram();
  }

  void recordTaskToCommit(long nanos) {
    taskToCommit.recordValue(Math.max(0, nanos / 1_000));
  }
}
