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
  final LongAdder events = new LongAdder();
  final LongAdder eventsStored = new LongAdder();
  final LongAdder eventsRefused = new LongAdder();
  final LongAdder progress = new LongAdder();
  private final Recorder taskToCommit = new Recorder(3);
  private final Recorder eventRoundTrip = new Recorder(3);

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
   * @param events device events ({@code evt}) sent
   * @param eventsStored events the core answered as stored ({@code eva} success)
   * @param eventsRefused events the core answered with an error ({@code eva} error)
   * @param progress progress reports ({@code prg}) sent
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
      long connectFailures,
      long events,
      long eventsStored,
      long eventsRefused,
      long progress) {

    /** Events sent and not answered (yet): dropped by the core's rate limit, lost, or in flight. */
    public long eventsUnanswered() {
      return Math.max(0, events - eventsStored - eventsRefused);
    }
  }

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
        connectFailures.sum(),
        events.sum(),
        eventsStored.sum(),
        eventsRefused.sum(),
        progress.sum());
  }

  /** Latencies from a task reaching its device to its commit, in microseconds, since last call. */
  public Histogram takeTaskToCommit() {
    return taskToCommit.getIntervalHistogram();
  }

  /**
   * Round trips from an event's {@code evt} to its {@code eva}, in microseconds, since last call.
   */
  public Histogram takeEventRoundTrip() {
    return eventRoundTrip.getIntervalHistogram();
  }

  void recordEventRoundTrip(long nanos) {
    eventRoundTrip.recordValue(Math.max(0, nanos / 1_000));
  }

  void recordTaskToCommit(long nanos) {
    taskToCommit.recordValue(Math.max(0, nanos / 1_000));
  }
}
