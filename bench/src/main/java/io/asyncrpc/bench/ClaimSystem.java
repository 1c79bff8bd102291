package io.asyncrpc.bench;

/** A queue whose claim the benchmark measures: load rows, then claim them all concurrently. */
interface ClaimSystem {

  /** The name in the report. */
  String name();

  /** Empties the system's table and loads {@code rows} due rows. */
  void load(int rows);

  /**
   * Claims one row (or one batch) as one consumer does.
   *
   * @param consumer the consumer's index, 0 to concurrency - 1
   * @return how many rows the claim took; 0 when nothing is left for this consumer
   */
  int claim(int consumer);

  /** How many rows are claimed now, read from the table: the benchmark's check on itself. */
  long claimedRows();
}
