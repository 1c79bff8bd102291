package io.asyncrpc.api.outbox;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a burst of failed publications once: the first failure with its reason, then, at the next
 * confirmed publication, how many failed in between. A broker outage at thousands of tasks per
 * second would otherwise write thousands of lines per second; the count is in the meters anyway.
 */
final class FailureBurst {

  private final Logger log;
  private final String what;
  private final String recovery;
  // -1: no burst under way; otherwise the failures since the burst began.
  private final AtomicLong failures = new AtomicLong(-1);

  /**
   * @param what what failed, for the log: {@code "task.created"}
   * @param recovery who publishes it again: {@code "the sweeper re-announces it"}
   */
  FailureBurst(Logger log, String what, String recovery) {
    this.log = log;
    this.what = what;
    this.recovery = recovery;
  }

  void failed(String reason) {
    if (failures.getAndUpdate(n -> n < 0 ? 1 : n + 1) < 0) {
      log.warn(
          "{} not published ({}); {}; further failures are counted until one is confirmed",
          what,
          reason,
          recovery);
    }
  }

  void confirmed() {
    if (failures.get() < 0) {
      return; // the common case: no write to a shared counter
    }
    long failed = failures.getAndSet(-1);
    if (failed > 0) {
      log.info("{} published again; {} publication(s) had failed", what, failed);
    }
  }
}
