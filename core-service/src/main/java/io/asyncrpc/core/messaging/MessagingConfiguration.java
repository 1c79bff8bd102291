package io.asyncrpc.core.messaging;

import static io.asyncrpc.task.model.NorthboundTopology.DEVICE_MESSAGES_QUEUE;
import static io.asyncrpc.task.model.NorthboundTopology.PRESENCE_QUEUE;
import static io.asyncrpc.task.model.NorthboundTopology.TASKS_EXCHANGE;
import static io.asyncrpc.task.model.NorthboundTopology.TASK_CANCELLED_KEY;
import static io.asyncrpc.task.model.NorthboundTopology.TASK_CREATED_KEY;
import static io.asyncrpc.task.model.NorthboundTopology.TASK_CREATED_QUEUE;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.protocol.CoreCodec;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.Topic;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Binding.DestinationType;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the core consumes, declared idempotently with the same arguments as the broker definitions
 * ({@code rabbitmq/definitions.json}) so the service also works against a bare broker, and the
 * listener containers: manual acks, raw correlation bytes.
 */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

  /** The exchange of RabbitMQ's event exchange plugin. */
  static final String EVENT_EXCHANGE = "amq.rabbitmq.event";

  @Bean
  Declarables northboundTopology(CoreProperties properties) {
    TopicExchange tasks = new TopicExchange(TASKS_EXCHANGE, true, false);
    Queue created = queue(TASK_CREATED_QUEUE, properties);
    Queue deviceMessages = queue(DEVICE_MESSAGES_QUEUE, properties);
    // amq.* exchanges exist on every broker and may not be declared, only bound to.
    String everythingDevicesPublish = "dev.#";
    return new Declarables(
        tasks,
        created,
        deviceMessages,
        new Binding(
            TASK_CREATED_QUEUE, DestinationType.QUEUE, TASKS_EXCHANGE, TASK_CREATED_KEY, null),
        // The cancels of held tasks share the queue: one more binding, no new queue to run.
        new Binding(
            TASK_CREATED_QUEUE, DestinationType.QUEUE, TASKS_EXCHANGE, TASK_CANCELLED_KEY, null),
        new Binding(
            DEVICE_MESSAGES_QUEUE,
            DestinationType.QUEUE,
            Topic.MQTT_EXCHANGE,
            everythingDevicesPublish,
            null));
  }

  /** The wire's JSON, configured once in the protocol module. */
  @Bean
  ProtocolJson protocolJson() {
    return new ProtocolJson();
  }

  @Bean
  CoreCodec coreCodec(ProtocolJson json) {
    return new CoreCodec(json);
  }

  @Bean
  @ConditionalOnBooleanProperty(name = "iot.core.presence-enabled", matchIfMissing = true)
  Declarables presenceTopology(CoreProperties properties) {
    Queue presence = queue(PRESENCE_QUEUE, properties);
    return new Declarables(
        presence,
        new Binding(
            PRESENCE_QUEUE, DestinationType.QUEUE, EVENT_EXCHANGE, "connection.created", null),
        new Binding(
            PRESENCE_QUEUE, DestinationType.QUEUE, EVENT_EXCHANGE, "connection.closed", null));
  }

  // Durable either way: the definition survives a restart. See docs/architecture.md for why each
  // queue's messages need no more than a classic queue on one node.
  private static Queue queue(String name, CoreProperties properties) {
    return QueueBuilder.durable(name)
        .withArgument("x-queue-type", properties.queueType().argument())
        .build();
  }

  /**
   * Device messages and task events in batches ({@code iot.core.listener.batch-size}): a consumer
   * takes what its prefetch holds, waiting at most {@code batch-wait} for each next message.
   */
  @Bean
  SimpleRabbitListenerContainerFactory batchListenerContainerFactory(
      SimpleRabbitListenerContainerFactoryConfigurer configurer,
      ConnectionFactory connectionFactory,
      CoreProperties properties) {
    SimpleRabbitListenerContainerFactory factory =
        rabbitListenerContainerFactory(configurer, connectionFactory, properties);
    CoreProperties.Listener listener = properties.listener();
    factory.setBatchListener(true);
    factory.setConsumerBatchEnabled(true);
    factory.setBatchSize(listener.batchSize());
    factory.setReceiveTimeout(listener.batchWait().toMillis());
    // A batch is whatever arrived meanwhile: as many as a consumer may hold unacknowledged.
    factory.setPrefetchCount(Math.max(listener.prefetch(), listener.batchSize()));
    return factory;
  }

  @Bean
  SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory(
      SimpleRabbitListenerContainerFactoryConfigurer configurer,
      ConnectionFactory connectionFactory,
      CoreProperties properties) {
    SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
    configurer.configure(factory, connectionFactory);
    // Acked by the listeners once the database commit and the device answer are done.
    factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    factory.setConcurrentConsumers(properties.listener().concurrency());
    factory.setMaxConcurrentConsumers(
        Math.max(properties.listener().concurrency(), properties.listener().maxConcurrency()));
    factory.setPrefetchCount(properties.listener().prefetch());
    factory.setDefaultRequeueRejected(false);
    factory.setContainerCustomizer(
        container -> container.setMessagePropertiesConverter(new BinaryHeaderConverter()));
    return factory;
  }
}
