package io.asyncrpc.api.event;

import io.asyncrpc.api.web.InvalidParameterException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of events apps are told, by the names they see ({@code task.finished}, ...). */
public enum EventType {
  /** A task reached a final status; the data is the task with its result. */
  TASK_FINISHED("task.finished"),
  /** A device reported progress on a task it holds. */
  TASK_PROGRESS("task.progress"),
  /** A device published an event on {@code dev/<SN>/evt} and the core stored it. */
  DEVICE_EVENT("device.event"),
  /** A device connected or disconnected. */
  DEVICE_PRESENCE("device.presence"),
  /** A fleet job's roll-up changed (executions created or finished); no device of its own. */
  JOB_PROGRESS("job.progress"),
  /** A fleet job ended: COMPLETED, ABORTED or CANCELLED; no device of its own. */
  JOB_FINISHED("job.finished");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the log, in JSON and in filters. */
  public String wireName() {
    return wireName;
  }

  /** The type of a stored row; an unknown name there is a schema mismatch. */
  public static EventType fromWire(String name) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown event type " + name);
  }

  /** The type a client named in a parameter; an unknown name is a 400 problem. */
  public static EventType parse(String name, String parameter) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new InvalidParameterException(
        parameter,
        "must be one of "
            + Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", ")));
  }
}
