package io.asyncrpc.core.messaging;

import com.rabbitmq.client.AMQP.BasicProperties;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Keeps the header {@code x-correlation-id} as raw bytes.
 *
 * <p>RabbitMQ's MQTT plugin puts correlation data that is not UTF-8 (a device's 16 raw UUID bytes)
 * into this header as an AMQP long string; the default converter would decode it as UTF-8 text and
 * destroy it.
 */
final class BinaryHeaderConverter implements MessagePropertiesConverter {

  /** The header RabbitMQ uses for MQTT 5 correlation data that is not valid UTF-8. */
  static final String RAW_CORRELATION_HEADER = "x-correlation-id";

  private final DefaultMessagePropertiesConverter delegate =
      new DefaultMessagePropertiesConverter();

  @Override
  public MessageProperties toMessageProperties(
      BasicProperties source, @Nullable Envelope envelope, String charset) {
    MessageProperties target = delegate.toMessageProperties(source, envelope, charset);
    Map<String, Object> headers = source.getHeaders();
    if (headers != null && headers.get(RAW_CORRELATION_HEADER) instanceof LongString raw) {
      target.setHeader(RAW_CORRELATION_HEADER, raw.getBytes());
    }
    return target;
  }

  @Override
  public BasicProperties fromMessageProperties(MessageProperties source, String charset) {
    return delegate.fromMessageProperties(source, charset);
  }
}
