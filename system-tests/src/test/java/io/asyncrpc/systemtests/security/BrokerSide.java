package io.asyncrpc.systemtests.security;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import io.asyncrpc.testsupport.BrokerManagement;
import io.asyncrpc.testsupport.Endpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker as the services see it: device users made through the management API the way
 * ca-service makes them, and AMQP probes that watch what reaches {@code amq.topic}.
 */
final class BrokerSide implements AutoCloseable {

  private final BrokerManagement management;
  private final List<String> users = new ArrayList<>();
  private final Connection amqp;

  BrokerSide(Endpoints endpoints) throws Exception {
    this.management = BrokerManagement.of(endpoints);
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(endpoints.amqpHost());
    factory.setPort(endpoints.amqpPort());
    factory.setUsername(endpoints.amqpUser());
    factory.setPassword(endpoints.amqpPassword());
    this.amqp = factory.newConnection("mqtt-security-it");
  }

  /**
   * Creates device {@code id}'s broker user as ca-service does: no password (certificate login
   * only) and permissions anchored to its own queues and topics.
   */
  void createDevice(String id) throws Exception {
    createDevice(id, null);
  }

  /** As {@link #createDevice(String)}, with a password (only to show what the rights allow). */
  void createDevice(String id, String password) throws Exception {
    management.putUser(id, password);
    users.add(id);
    String queues = "mqtt-subscription-" + id + "qos[01]";
    management.putPermissions(
        id, "^" + queues + "$", "^(amq\\.topic|" + queues + ")$", "^(amq\\.topic|" + queues + ")$");
    management.putTopicPermissions(
        id, "amq.topic", "^dev\\." + id + "\\..+$", "^srv\\." + id + "\\..+$");
  }

  /** Names of the users with an open connection (MQTT or AMQP). */
  List<String> connectedUsers() throws Exception {
    return management.connectedUsers();
  }

  /** Everything published to {@code amq.topic} under {@code bindingKey} from now on. */
  List<String> watch(String bindingKey) throws IOException {
    Channel channel = amqp.createChannel();
    String queue = channel.queueDeclare("", false, true, true, Map.of()).getQueue();
    channel.queueBind(queue, "amq.topic", bindingKey);
    List<String> seen = new CopyOnWriteArrayList<>();
    DeliverCallback callback =
        (tag, delivery) ->
            seen.add(
                delivery.getEnvelope().getRoutingKey()
                    + " "
                    + new String(delivery.getBody(), StandardCharsets.UTF_8));
    channel.basicConsume(queue, true, callback, tag -> {});
    return seen;
  }

  /** Publishes to {@code amq.topic} as core does (persistent, so QoS 1 at the device). */
  void publish(String routingKey, String body) throws IOException {
    try (Channel channel = amqp.createChannel()) {
      channel.basicPublish(
          "amq.topic",
          routingKey,
          new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
          body.getBytes(StandardCharsets.UTF_8));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      for (String user : users) {
        // Deleting the user also closes its connections.
        management.deleteUser(user);
      }
    } finally {
      amqp.close();
    }
  }
}
