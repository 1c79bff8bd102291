package io.asyncrpc.core.southbound;

import com.rabbitmq.client.Channel;
import io.asyncrpc.core.LogContext;
import io.asyncrpc.core.MessageSettler;
import io.asyncrpc.task.model.NorthboundTopology;
import java.io.IOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** Consumes everything devices publish ({@code dev.#} on {@code amq.topic}). */
@Component
class DeviceMessageListener {

  private final DeviceMessageHandler handler;
  private final MessageSettler settler;

  DeviceMessageListener(DeviceMessageHandler handler, MessageSettler settler) {
    this.handler = handler;
    this.settler = settler;
  }

  @RabbitListener(id = "device-messages", queues = NorthboundTopology.DEVICE_MESSAGES_QUEUE)
  void onMessage(Message message, Channel channel) throws IOException {
    // The handler names the device and task in the log context as it parses the message.
    try {
      settler.settle(
          NorthboundTopology.DEVICE_MESSAGES_QUEUE,
          message,
          channel,
          () -> handler.handle(message));
    } finally {
      LogContext.clear();
    }
  }
}
