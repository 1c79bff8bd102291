package io.asyncrpc.core.presence;

import com.rabbitmq.client.Channel;
import io.asyncrpc.core.messaging.MessageSettler;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.web.logging.LogContext;
import java.io.IOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** Consumes RabbitMQ's connection events and applies those of MQTT devices. */
@Component
@ConditionalOnBooleanProperty(name = "iot.core.presence-enabled", matchIfMissing = true)
class PresenceListener {

  private final DevicePresence presence;
  private final MessageSettler settler;

  PresenceListener(DevicePresence presence, MessageSettler settler) {
    this.presence = presence;
    this.settler = settler;
  }

  @RabbitListener(id = "presence", queues = NorthboundTopology.PRESENCE_QUEUE, concurrency = "1")
  void onEvent(Message message, Channel channel) throws IOException {
    try {
      settler.settle(
          NorthboundTopology.PRESENCE_QUEUE,
          message,
          channel,
          () ->
              ConnectionEvent.from(
                      message.getMessageProperties().getReceivedRoutingKey(),
                      message.getMessageProperties().getHeaders())
                  .ifPresent(
                      event -> {
                        LogContext.device(event.deviceId());
                        presence.apply(event);
                      }));
    } finally {
      LogContext.clear();
    }
  }
}
