package io.asyncrpc.core.job;

/** The statuses of a job ({@code jobs.status}) the scheduler reads and writes. */
final class JobStatus {

  static final String SCHEDULED = "SCHEDULED";
  static final String IN_PROGRESS = "IN_PROGRESS";
  static final String COMPLETED = "COMPLETED";
  static final String ABORTED = "ABORTED";

  private JobStatus() {}

  /** Whether the scheduler still decides on a job in {@code status}. */
  static boolean running(String status) {
    return SCHEDULED.equals(status) || IN_PROGRESS.equals(status);
  }
}
