package io.asyncrpc.protocol;

import java.util.Optional;

/** The kinds of protocol messages, each the last segment of its topic. */
public enum MessageKind {
  /** Core to device: a task is waiting. */
  TRIGGER(Direction.TO_DEVICE, "tsk"),
  /** Device to core: optional acknowledgement of a trigger. */
  ACK(Direction.FROM_DEVICE, "ack"),
  /** Device to core: request a task by id, or the head of the FIFO with the zero UUID. */
  REQUEST(Direction.FROM_DEVICE, "req"),
  /** Core to device: the task with its payload, or an explicit no-task answer. */
  RESPONSE(Direction.TO_DEVICE, "rsp"),
  /** Device to core: the result of a task. */
  RESULT(Direction.FROM_DEVICE, "res"),
  /** Core to device: the result is stored; the device may forget the task. */
  COMMIT(Direction.TO_DEVICE, "cmt"),
  /** Core to device: a typed error answer to a message the core could not use. */
  ERROR(Direction.TO_DEVICE, "err"),
  /** Device to core: a device event (the seed's {@code evt}), stored idempotently. */
  EVENT(Direction.FROM_DEVICE, "evt"),
  /** Core to device: the answer to an event, success or error. */
  EVENT_ANSWER(Direction.TO_DEVICE, "eva"),
  /**
   * Device to core: progress of a task the device holds (LOCKED); no answer unless refused. An
   * addition to the seed's contract, in v1 and v2 alike.
   */
  PROGRESS(Direction.FROM_DEVICE, "prg"),
  /**
   * Core to device (v2 only): the task the device holds was cancelled; stop its handler if it can
   * and answer on {@code cna}.
   */
  CANCEL(Direction.TO_DEVICE, "cnl"),
  /**
   * Device to core (v2 only): the answer to a {@code cnl}, saying whether the handler was stopped
   * ({@link CancelOutcome}).
   */
  CANCEL_ANSWER(Direction.FROM_DEVICE, "cna");

  /** Which way a message travels. */
  public enum Direction {
    TO_DEVICE("srv"),
    FROM_DEVICE("dev");

    private final String prefix;

    Direction(String prefix) {
      this.prefix = prefix;
    }

    /** The first topic segment of messages travelling this way. */
    public String prefix() {
      return prefix;
    }
  }

  private final Direction direction;
  private final String suffix;

  MessageKind(Direction direction, String suffix) {
    this.direction = direction;
    this.suffix = suffix;
  }

  public Direction direction() {
    return direction;
  }

  /** The last topic segment, for example {@code tsk}. */
  public String suffix() {
    return suffix;
  }

  /** The kind travelling in {@code direction} whose topic ends with {@code suffix}. */
  public static Optional<MessageKind> of(Direction direction, String suffix) {
    for (MessageKind kind : values()) {
      if (kind.direction == direction && kind.suffix.equals(suffix)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
