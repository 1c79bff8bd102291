package io.asyncrpc.agent;

import io.asyncrpc.protocol.CancelOutcome;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Observes what an agent does, for logs, metrics or a console; every method has a no-op default.
 *
 * <p>Methods are called on the agent's event thread: keep them short and do not block. An exception
 * thrown here is logged and otherwise ignored.
 */
public interface AgentListener {

  /** The agent is connected and subscribed, and about to poll. */
  default void connected() {}

  /**
   * The connection was lost or could not be made; the agent reconnects unless it is closing.
   *
   * @param cause why, possibly {@code null}
   */
  default void disconnected(@Nullable Throwable cause) {}

  /** {@code task} was handed to this device and its handler is about to run. */
  default void taskReceived(Task task) {}

  /** The handler of {@code task} finished with {@code result}, which is being sent. */
  default void taskDone(Task task, TaskResult result) {}

  /**
   * The core cancelled {@code taskId} (v2, {@code srv/<SN>/cnl}) and the agent answered {@code
   * outcome} ({@code dev/<SN>/cna}): {@code STOPPED} when its handler was stopped (no result is
   * sent), {@code FINISHED} when its result was already made, {@code UNKNOWN} when the agent does
   * not hold the task.
   *
   * @param taskId the task
   * @param outcome what the agent answered
   */
  default void taskCancelled(UUID taskId, CancelOutcome outcome) {}

  /**
   * The core handed out a task this device already finished; its stored result is sent again.
   *
   * @param taskId the task
   */
  default void resultResent(UUID taskId) {}

  /**
   * The core stored the result of {@code taskId} ({@code cmt}); the device may forget the task.
   *
   * @param taskId the task
   * @param resultId the stored result's id, or {@code null} when the commit did not carry one
   */
  default void resultCommitted(UUID taskId, @Nullable UUID resultId) {}

  /**
   * The core refused a message about {@code taskId} with a typed error ({@code err}).
   *
   * @param taskId the task, or {@code null} when the error carried none
   * @param errorCode the error code, for example {@code unknown-task}
   * @param message the core's explanation, possibly empty
   */
  default void errorReceived(@Nullable UUID taskId, String errorCode, String message) {}
}
