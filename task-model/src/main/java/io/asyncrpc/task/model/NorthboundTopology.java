package io.asyncrpc.task.model;

/** Names of the AMQP exchanges and queues between the services (see {@code rabbitmq/}). */
public final class NorthboundTopology {

  /** Topic exchange of task events between services. */
  public static final String TASKS_EXCHANGE = "iot.tasks";

  /** Routing key of {@link TaskCreated}. */
  public static final String TASK_CREATED_KEY = "task.created";

  /** Routing key of {@link TaskCancelled}. */
  public static final String TASK_CANCELLED_KEY = "task.cancelled";

  /**
   * Queue core-service consumes {@link TaskCreated} and {@link TaskCancelled} from (bound to both
   * routing keys; the routing key tells them apart).
   */
  public static final String TASK_CREATED_QUEUE = "core.task-created";

  /** Quorum queue bound to {@code amq.topic} with {@code dev.#}: everything devices publish. */
  public static final String DEVICE_MESSAGES_QUEUE = "core.device-messages";

  /** Quorum queue bound to {@code amq.rabbitmq.event}: connections opened and closed. */
  public static final String PRESENCE_QUEUE = "core.presence";

  private NorthboundTopology() {}
}
