package io.asyncrpc.systemtests.security;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import io.asyncrpc.testsupport.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker as the services see it: device users made through the management API the way
 * ca-service makes them, and AMQP probes that watch what reaches {@code amq.topic}.
 */
final class BrokerSide implements AutoCloseable {

  private final Endpoints endpoints;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> users = new ArrayList<>();
  private final Connection amqp;

  BrokerSide(Endpoints endpoints) throws Exception {
    this.endpoints = endpoints;
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
    String user = enc(id);
    put(
        "users/" + user,
        password == null
            ? "{\"password_hash\":\"\",\"tags\":\"\"}"
            : "{\"password\":\"" + password + "\",\"tags\":\"\"}");
    users.add(id);
    String queues = "mqtt-subscription-" + id + "qos[01]";
    put(
        "permissions/%2F/" + user,
        "{\"configure\":\"^"
            + queues
            + "$\",\"write\":\"^(amq\\\\.topic|"
            + queues
            + ")$\",\"read\":\"^(amq\\\\.topic|"
            + queues
            + ")$\"}");
    put(
        "topic-permissions/%2F/" + user,
        "{\"exchange\":\"amq.topic\",\"write\":\"^dev\\\\."
            + id
            + "\\\\..+$\",\"read\":\"^srv\\\\."
            + id
            + "\\\\..+$\"}");
  }

  /** Names of the users with an open connection (MQTT or AMQP). */
  List<String> connectedUsers() throws Exception {
    HttpResponse<String> response = get("connections?columns=user");
    List<String> names = new ArrayList<>();
    var matcher = java.util.regex.Pattern.compile("\"user\":\"([^\"]*)\"").matcher(response.body());
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
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
        http.send(
            request("users/" + enc(user)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      amqp.close();
    }
  }

  private void put(String path, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "PUT " + path + " -> " + response.statusCode() + " " + response.body());
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (endpoints.amqpUser() + ":" + endpoints.amqpPassword())
                    .getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(
            URI.create(
                "http://"
                    + endpoints.amqpHost()
                    + ":"
                    + endpoints.managementPort()
                    + "/api/"
                    + path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Basic " + auth);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
