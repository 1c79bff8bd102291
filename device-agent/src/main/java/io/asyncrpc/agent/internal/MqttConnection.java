package io.asyncrpc.agent.internal;

import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.asyncrpc.protocol.Topic;
import io.asyncrpc.protocol.WireMessage;
import io.asyncrpc.protocol.hivemq.PublishMapping;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The agent's MQTT 5 connection (HiveMQ async client): connects with the device id as client id,
 * reconnects with exponential backoff, subscribes to {@code srv/<SN>/+} at QoS 1 after every
 * (re)connect and publishes the agent's messages at QoS 1.
 *
 * <p>Subscribing is done here after each connect rather than left to the client's session handling,
 * because with the default clean session the broker forgets subscriptions on every disconnect.
 */
final class MqttConnection implements Outbound {

  private static final System.Logger LOG = System.getLogger(MqttConnection.class.getName());

  private final AgentConfig config;
  private final ScheduledExecutorService events;
  private final Backoff backoff;
  private final String filter;
  private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
  private final Mqtt5AsyncClient client;
  private volatile @Nullable Inbound inbound;
  private volatile boolean subscribed;
  private volatile boolean closing;
  private volatile boolean listening;

  MqttConnection(AgentConfig config, ScheduledExecutorService events) {
    this.config = config;
    this.events = events;
    this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax());
    this.filter = Topic.subscriptionFilter(config.deviceId());
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(config.deviceId().value())
            .serverHost(config.host())
            .serverPort(config.port())
            .addConnectedListener(this::onConnected)
            .addDisconnectedListener(this::onDisconnected);
    if (config.tls()) {
      MqttClientSslConfigBuilder.Nested<? extends Mqtt5ClientBuilder> ssl = builder.sslConfig();
      if (config.keyManagers() != null) {
        ssl = ssl.keyManagerFactory(config.keyManagers());
      }
      if (config.trustManagers() != null) {
        ssl = ssl.trustManagerFactory(config.trustManagers());
      }
      builder = ssl.applySslConfig();
    }
    String username = config.username();
    byte[] password = config.password();
    if (username != null && password != null) {
      builder = builder.simpleAuth().username(username).password(password).applySimpleAuth();
    }
    this.client = builder.buildAsync();
  }

  /**
   * Starts connecting; messages and connection events go to {@code inbound} on the event thread.
   *
   * @return completed the first time the connection is up and subscribed
   */
  CompletableFuture<Void> connect(Inbound inbound) {
    this.inbound = inbound;
    long sessionExpiry = config.sessionExpiry().toSeconds();
    LOG.log(
        Level.INFO,
        "connecting to " + config.host() + ":" + config.port() + " as " + config.deviceId());
    client
        .connectWith()
        .cleanStart(sessionExpiry == 0)
        .sessionExpiryInterval(sessionExpiry)
        .keepAlive((int) Math.min(65535, config.keepAlive().toSeconds()))
        .send()
        .whenComplete(
            (connAck, failure) -> {
              if (failure != null) {
                LOG.log(Level.DEBUG, "connect failed, retrying: " + describe(failure));
              }
            });
    return firstConnect;
  }

  @Override
  public boolean isConnected() {
    return subscribed && client.getState() == MqttClientState.CONNECTED;
  }

  @Override
  public void send(WireMessage message) {
    client
        .publish(PublishMapping.toPublish(message))
        .whenComplete(
            (result, failure) -> {
              Throwable error = failure != null ? failure : result.getError().orElse(null);
              if (error != null) {
                LOG.log(
                    Level.WARNING,
                    "could not publish to " + message.topic() + ": " + describe(error));
              }
            });
  }

  /** Disconnects and stops reconnecting; waits a few seconds for a clean DISCONNECT. */
  void close() {
    closing = true;
    subscribed = false;
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.DEBUG, "disconnect: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onConnected(MqttClientConnectedContext context) {
    boolean sessionPresent =
        context instanceof Mqtt5ClientConnectedContext mqtt5
            && mqtt5.getConnAck().isSessionPresent();
    // The client ends its global publish flows when its session ends (with the default clean
    // session: at every disconnect), so listen again unless the old session, and flow, live on.
    if (!sessionPresent || !listening) {
      client.publishes(MqttGlobalPublishFilter.ALL, this::onPublish, events);
      listening = true;
    }
    events.execute(this::subscribe);
  }

  private void subscribe() {
    if (closing) {
      return;
    }
    client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .whenCompleteAsync(
            (subAck, failure) -> {
              if (failure != null) {
                // The connection went away meanwhile; the next connect subscribes again.
                LOG.log(Level.WARNING, "subscribe to " + filter + " failed: " + describe(failure));
                return;
              }
              Mqtt5SubAckReasonCode code = subAck.getReasonCodes().getFirst();
              if (code.isError()) {
                LOG.log(
                    Level.ERROR,
                    "broker refused the subscription to " + filter + ": " + code + "; no tasks");
              }
              subscribed = true;
              backoff.reset();
              firstConnect.complete(null);
              inbound().onConnected();
            },
            events);
  }

  private void onDisconnected(MqttClientDisconnectedContext context) {
    subscribed = false;
    if (closing || context.getSource() == MqttDisconnectSource.USER) {
      context.getReconnector().reconnect(false);
      return;
    }
    long delay = backoff.nextDelayMillis();
    LOG.log(
        Level.INFO,
        "disconnected (" + describe(context.getCause()) + "), reconnecting in " + delay + " ms");
    context
        .getReconnector()
        .reconnect(true)
        .resubscribeIfSessionPresent(false)
        .resubscribeIfSessionExpired(false)
        .republishIfSessionExpired(false)
        .delay(delay, TimeUnit.MILLISECONDS);
    Inbound target = inbound;
    if (target != null) {
      events.execute(() -> target.onDisconnected(context.getCause()));
    }
  }

  private void onPublish(Mqtt5Publish publish) {
    try {
      inbound().onMessage(PublishMapping.toWire(publish));
    } catch (RuntimeException e) {
      // A message we cannot handle must never take the agent down.
      LOG.log(Level.WARNING, "failed to handle a message on " + publish.getTopic(), e);
    }
  }

  private Inbound inbound() {
    return Objects.requireNonNull(inbound, "connect(inbound) comes before any connection");
  }

  private static String describe(@Nullable Throwable error) {
    if (error == null) {
      return "no cause";
    }
    Throwable cause =
        error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
