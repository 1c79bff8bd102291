package io.asyncrpc.core.northbound;

import com.rabbitmq.client.Channel;
import io.asyncrpc.core.messaging.MessageSettler;
import io.asyncrpc.core.messaging.PoisonMessageException;
import io.asyncrpc.core.southbound.TaskDispatch;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.core.task.TaskTrigger;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskCancelled;
import io.asyncrpc.task.model.TaskCreated;
import io.asyncrpc.web.logging.LogContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Triggers the device of each new task ({@link TaskCreated}), and tells a v2 device that a task it
 * held was cancelled ({@link TaskCancelled}); both arrive on one queue, told apart by routing key.
 * Only the task id is read from the event; the rest comes from the database, the truth, so a task
 * cancelled or expired in the meantime is not triggered.
 */
@Component
class TaskCreatedListener {

  private static final Logger log = LoggerFactory.getLogger(TaskCreatedListener.class);

  private final TaskLifecycle lifecycle;
  private final TaskDispatch dispatch;
  private final ProtocolJson json;
  private final MessageSettler settler;

  TaskCreatedListener(
      TaskLifecycle lifecycle, TaskDispatch dispatch, ProtocolJson json, MessageSettler settler) {
    this.lifecycle = lifecycle;
    this.dispatch = dispatch;
    this.json = json;
    this.settler = settler;
  }

  @RabbitListener(
      id = "task-created",
      queues = NorthboundTopology.TASK_CREATED_QUEUE,
      containerFactory = "batchListenerContainerFactory")
  void onMessages(List<Message> messages, Channel channel) throws IOException {
    settler.settleBatch(
        NorthboundTopology.TASK_CREATED_QUEUE,
        messages,
        channel,
        batch -> {
          List<UUID> created = new ArrayList<>();
          List<UUID> cancelled = new ArrayList<>();
          for (Message m : batch) {
            String key = m.getMessageProperties().getReceivedRoutingKey();
            (NorthboundTopology.TASK_CANCELLED_KEY.equals(key) ? cancelled : created)
                .add(taskId(m.getBody()));
          }
          if (!cancelled.isEmpty()) {
            dispatch.cancelAll(cancelled);
          }
          if (!created.isEmpty()) {
            tasksCreated(created);
          }
        });
  }

  /** Tells the devices of new tasks, all in one go: one read, one send of every trigger or push. */
  void tasksCreated(List<UUID> taskIds) {
    List<TaskTrigger> waiting = lifecycle.waitingTasks(taskIds);
    if (waiting.size() < taskIds.size()) {
      log.debug(
          "{} of {} new tasks no longer wait for their device; not triggered",
          taskIds.size() - waiting.size(),
          taskIds.size());
    }
    if (waiting.size() == 1) {
      LogContext.task(waiting.getFirst().taskId());
      LogContext.device(waiting.getFirst().deviceId());
    }
    try {
      dispatch.offerAll(waiting);
    } finally {
      LogContext.clear();
    }
  }

  /** The {@code task_id} of the event (snake_case on the wire; {@code taskId} is accepted too). */
  private UUID taskId(byte[] body) {
    JsonNode event;
    try {
      event = json.read(body);
    } catch (JacksonException e) {
      throw new PoisonMessageException("task event is not JSON", e);
    }
    JsonNode id = event.has("task_id") ? event.get("task_id") : event.get("taskId");
    return TaskIds.fromText(id == null || !id.isString() ? null : id.stringValue())
        .orElseThrow(() -> new PoisonMessageException("task event without a task id", null));
  }
}
