package io.asyncrpc.task.model;

/**
 * The claim of the head of one device's FIFO, the statement core-service runs for a zero-UUID
 * request. It lives beside the schema so the benchmark measures the very statement the core runs.
 *
 * <p>Parameters: {@code :device}, {@code :leaseMillis}, {@code :actor}. One statement: a CTE takes
 * the head row in the order of index {@code tasks_fifo} ({@code SKIP LOCKED} lets two concurrent
 * polls of one device take the first and the second task instead of waiting), locks it with a
 * lease, and records the task event.
 */
public final class FifoClaim {

  /** The columns a claim returns; {@code from_status} is the status before the claim. */
  public static final String CLAIMED_COLUMNS =
      """
      t.id, t.device_id, t.method_code, t.payload::text AS payload, t.attempts, t.deadline_at,
      t.external_id, t.lease_expires_at, target.status AS from_status""";

  /**
   * The condition a task must meet to be handed out: waiting, and its deadline not passed. Every
   * claim uses it, and so does a check of whether a device has a task to hand out, so the two
   * cannot drift apart.
   */
  public static final String CLAIMABLE = "status IN ('QUEUED', 'PENDING') AND deadline_at > now()";

  /** The claim of the head of the FIFO of {@code :device}. */
  public static final String SQL = headClaim("CLAIMED", false);

  /**
   * The claim of the head of the FIFO of {@code :device}, recorded with {@code cause}.
   *
   * @param cause the task event's cause, {@code CLAIMED} (a request) or {@code PUSHED} (protocol
   *     v2)
   * @param onlyWhenIdle claim nothing while the device holds a LOCKED task (a v2 push: the next
   *     task comes with that one's commit)
   */
  public static String headClaim(String cause, boolean onlyWhenIdle) {
    String idle =
        onlyWhenIdle
            ? """

                 AND NOT EXISTS (SELECT 1 FROM tasks held
                                  WHERE held.device_id = :device AND held.status = 'LOCKED')"""
            : "";
    return claim(
        """
        SELECT id, status FROM tasks
         WHERE device_id = :device
           AND %s%s
         ORDER BY priority DESC, deadline_at, created_at
         LIMIT 1
           FOR UPDATE SKIP LOCKED"""
            .formatted(CLAIMABLE, idle),
        cause);
  }

  /**
   * A claim of the task {@code target} selects: it becomes LOCKED with a lease of {@code
   * :leaseMillis}, its attempt counted, and the task event recorded with {@code cause} and {@code
   * :actor}, in one statement that returns {@link #CLAIMED_COLUMNS}. Every claim, of the head or of
   * one task by id, is this statement.
   *
   * @param target a query of the {@code id} and {@code status} of at most one claimable task, that
   *     locks its row
   * @param cause the task event's cause
   */
  public static String claim(String target, String cause) {
    return """
        WITH target AS (
        %s
        ), claimed AS (
            UPDATE tasks t
               SET status = 'LOCKED', attempts = t.attempts + 1, locked_at = now(),
                   lease_expires_at = now() + :leaseMillis * interval '1 millisecond',
                   updated_at = now()
              FROM target
             WHERE t.id = target.id
         RETURNING %s
        ), recorded AS (
            INSERT INTO task_events (task_id, from_status, to_status, cause, attempt, actor)
            SELECT id, from_status, 'LOCKED', '%s', attempts, :actor FROM claimed
        )
        SELECT * FROM claimed
        """
        .formatted(target.indent(4).stripTrailing(), CLAIMED_COLUMNS, cause);
  }

  private FifoClaim() {}
}
