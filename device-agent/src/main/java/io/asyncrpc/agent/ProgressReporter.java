package io.asyncrpc.agent;

import org.jspecify.annotations.Nullable;

/**
 * Reports how far the device is with the task it runs, on {@code dev/<SN>/prg}: the core stores the
 * latest report with the task ({@code GET /api/v1/tasks/{id}} shows it), tells the caller's apps,
 * and extends the task's lease, so a long job that keeps reporting does not time out (it still ends
 * at its deadline).
 *
 * <p>A report is sent at once when the agent is connected and dropped otherwise (a later one says
 * more); it is not answered. Reports after the handler returned are dropped. The core takes at most
 * 20 requests, events and reports a second from a device (burst 40) and drops the rest, so report
 * on progress that matters, not in a tight loop.
 *
 * <p>It is also the handler's view of a cancel: {@link #isCancelled()} turns {@code true} when the
 * core cancelled the task while it runs (v2, {@code srv/<SN>/cnl}), and the agent interrupts the
 * handler's thread at the same moment, so a handler that blocks in {@code Thread.sleep} or a
 * blocking queue stops by itself.
 */
@FunctionalInterface
public interface ProgressReporter {

  /** A reporter that sends nothing, for running a handler outside an agent (tests). */
  ProgressReporter NONE = (percent, message, detailsJson) -> {};

  /**
   * Reports progress; every argument may be {@code null}.
   *
   * @param percent 0 to 100
   * @param message the device's words, for example {@code "flashing block 4 of 10"}
   * @param detailsJson a JSON object of the device's own
   * @throws IllegalArgumentException when {@code percent} is out of range, {@code detailsJson} is
   *     not a JSON object, or the report is larger than 4 KiB
   */
  void report(@Nullable Integer percent, @Nullable String message, @Nullable String detailsJson);

  /**
   * Whether the core cancelled this task while its handler runs (v2 only; a v1 agent is never
   * told). A handler that sees it should stop and return or throw: the agent then answers the core
   * {@code stopped} and sends no result. The default, for reporters outside an agent, is never
   * cancelled.
   *
   * @return {@code true} once the task is cancelled
   */
  default boolean isCancelled() {
    return false;
  }

  /** Reports {@code percent} (0 to 100) alone. */
  default void report(int percent) {
    report(percent, null, null);
  }

  /** Reports {@code percent} (0 to 100) and a message. */
  default void report(int percent, @Nullable String message) {
    report(percent, message, null);
  }
}
