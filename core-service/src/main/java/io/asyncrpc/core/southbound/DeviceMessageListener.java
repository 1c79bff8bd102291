package io.asyncrpc.core.southbound;

import com.rabbitmq.client.Channel;
import io.asyncrpc.core.messaging.MessageSettler;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.web.logging.LogContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consumes everything devices publish ({@code dev.#} on {@code amq.topic}) in batches: the database
 * work of a batch is one transaction, its answers are sent together after the commit with one wait
 * for the broker's confirms, and the batch is acked at once. A batch that fails for a reason other
 * than an outage is handled again message by message, so one bad message cannot hold up the rest.
 */
@Component
class DeviceMessageListener {

  private final DeviceMessageHandler handler;
  private final DevicePublisher publisher;
  private final TaskLifecycle lifecycle;
  private final TransactionTemplate transactions;
  private final MessageSettler settler;

  DeviceMessageListener(
      DeviceMessageHandler handler,
      DevicePublisher publisher,
      TaskLifecycle lifecycle,
      TransactionTemplate transactions,
      MessageSettler settler) {
    this.handler = handler;
    this.publisher = publisher;
    this.lifecycle = lifecycle;
    this.transactions = transactions;
    this.settler = settler;
  }

  @RabbitListener(
      id = "device-messages",
      queues = NorthboundTopology.DEVICE_MESSAGES_QUEUE,
      containerFactory = "batchListenerContainerFactory")
  void onMessages(List<Message> messages, Channel channel) throws IOException {
    settler.settleBatch(NorthboundTopology.DEVICE_MESSAGES_QUEUE, messages, channel, this::process);
  }

  private void process(List<Message> batch) {
    List<Outgoing> answers = new ArrayList<>(batch.size());
    transactions.executeWithoutResult(
        status -> {
          answers.clear(); // a retried callback starts over
          for (Message message : batch) {
            // The handler names the device and task in the log context as it parses the message.
            try {
              handler.handle(message, answers);
            } finally {
              LogContext.clear();
            }
          }
        });
    List<Boolean> routed = publisher.sendAll(answers);
    for (int i = 0; i < answers.size(); i++) {
      Outgoing answer = answers.get(i);
      if (!routed.get(i) && answer.carries() != null) {
        // The device went offline: the task it was to get is not counted as handed out.
        lifecycle.undeliver(answer.carries());
      }
    }
  }
}
