package io.asyncrpc.bench.queues;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.bench.harness.SystemProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Classic against quorum queues on the same broker for the two shapes of the core's traffic, each
 * through a queue of the benchmark's own ({@code bench.qtype.<type>}, bound to {@code amq.topic},
 * deleted afterwards): small persistent messages published with confirmation and consumed with an
 * acknowledgement per message by a few consumers with the core's prefetch.
 *
 * <ul>
 *   <li>{@link Shape#DEVICE_MESSAGES}: what {@code core.device-messages} carries, MQTT 5 QoS 1
 *       publishes (the broker confirms with its PUBACK) from many device connections;
 *   <li>{@link Shape#TASK_CREATED}: what {@code core.task-created} carries, AMQP publishes with
 *       publisher confirms from a few channels (the API's outbox).
 * </ul>
 *
 * A closed loop keeps a fixed number of messages in flight: a slot publishes its next message when
 * the previous one was both confirmed and consumed, so the queue stays short, as it does in
 * service.
 */
public final class QueueTypeBenchmark {

  /** The traffic of one of the core's queues. */
  public enum Shape {
    /** MQTT QoS 1 publishes from many devices into {@code core.device-messages}. */
    DEVICE_MESSAGES,
    /** AMQP publishes with confirms from the API's outbox into {@code core.task-created}. */
    TASK_CREATED
  }

  /**
   * What to run.
   *
   * @param host the broker
   * @param amqpPort its AMQP port
   * @param mqttPort its MQTT port
   * @param user a login that may declare queues and publish on any topic (the services')
   * @param password its password
   * @param types the queue types to compare, e.g. {@code classic} and {@code quorum}
   * @param inFlight messages in flight
   * @param mqttPublishers MQTT connections of the device shape
   * @param amqpPublishers AMQP channels of the task-created shape
   * @param consumers consumers on the queue (the core's listener concurrency)
   * @param prefetch each consumer's prefetch (the core's)
   * @param warmUp unmeasured time first
   * @param measure measured time
   * @param localAddresses loopback source addresses for the MQTT connections
   */
  public record Settings(
      String host,
      int amqpPort,
      int mqttPort,
      String user,
      String password,
      List<String> types,
      int inFlight,
      int mqttPublishers,
      int amqpPublishers,
      int consumers,
      int prefetch,
      Duration warmUp,
      Duration measure,
      List<String> localAddresses) {

    public Settings {
      types = List.copyOf(types);
      localAddresses = List.copyOf(localAddresses);
    }
  }

  /**
   * One shape through one queue type.
   *
   * @param shape the traffic
   * @param queueType the queue's type
   * @param messagesPerSecond messages consumed and acknowledged per second
   * @param latency publish to delivery at the consumer
   * @param brokerMicrosPerMessage the broker's CPU per message, in µs
   * @param cpu CPU per process over the measured window, per message
   */
  public record Measurement(
      Shape shape,
      String queueType,
      double messagesPerSecond,
      Latency latency,
      double brokerMicrosPerMessage,
      CpuUsage cpu) {}

  /**
   * The figures.
   *
   * @param inFlight messages in flight
   * @param payloadBytes the size of each message's body
   * @param consumers consumers per queue
   * @param prefetch their prefetch
   * @param measurements one per shape and queue type
   */
  public record Result(
      int inFlight,
      int payloadBytes,
      int consumers,
      int prefetch,
      List<Measurement> measurements) {}

  private static final String PAYLOAD_PAD = "x".repeat(160);

  private final Settings settings;
  private final CpuMeter cpu;

  /** {@code brokerPid}: the broker's node, whose CPU is read per message. */
  public QueueTypeBenchmark(Settings settings, long brokerPid) {
    this.settings = settings;
    this.cpu =
        new CpuMeter(
            List.of(
                new CpuMeter.Measured(SystemProcesses.BROKER, brokerPid, true, true),
                SystemProcesses.loadGenerator()));
  }

  public Result run() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(settings.host());
    factory.setPort(settings.amqpPort());
    factory.setUsername(settings.user());
    factory.setPassword(settings.password());
    List<Measurement> measurements = new ArrayList<>();
    try (Connection connection = factory.newConnection("bench-queue-types")) {
      for (Shape shape : Shape.values()) {
        for (String type : settings.types()) {
          Measurement m = new Run(connection, shape, type).measure();
          System.out.printf(
              Locale.ROOT,
              "  %s through a %s queue: %.0f messages/s, broker %.0f µs/message, %s%n",
              shape,
              type,
              m.messagesPerSecond(),
              m.brokerMicrosPerMessage(),
              m.latency());
          measurements.add(m);
        }
      }
    }
    return new Result(
        settings.inFlight(),
        body(0).length,
        settings.consumers(),
        settings.prefetch(),
        measurements);
  }

  private static byte[] body(long seq) {
    return String.format(
            Locale.ROOT,
            "{\"seq\":%019d,\"status_code\":200,\"result\":{\"n\":1},\"pad\":\"%s\"}",
            seq,
            PAYLOAD_PAD)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long seqOf(byte[] body) {
    // {"seq":<19 digits>
    return Long.parseLong(new String(body, 7, 19, StandardCharsets.US_ASCII));
  }

  /** One shape through one queue type: declares the queue, measures, deletes it. */
  private final class Run {
    private final Connection connection;
    private final Shape shape;
    private final String type;
    private final String queue;
    private final String routingPrefix;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder consumed = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private volatile boolean running = true;

    Run(Connection connection, Shape shape, String type) {
      this.connection = connection;
      this.shape = shape;
      this.type = type;
      this.queue = "bench.qtype." + type;
      this.routingPrefix = "bench.qtype." + type + "." + shape.name().toLowerCase(Locale.ROOT);
    }

    /** Sends one message of a slot; completes its confirmation when the broker confirms. */
    @FunctionalInterface
    private interface Publisher {
      void publish(long seq, Pending pending) throws IOException;
    }

    /** A message in flight: done when confirmed and consumed. */
    private final class Pending {
      final long sent = System.nanoTime();
      final CompletableFuture<Void> confirmed = new CompletableFuture<>();
      final CompletableFuture<Void> delivered = new CompletableFuture<>();
    }

    Measurement measure() throws Exception {
      Channel admin = connection.createChannel();
      List<Channel> channels = new ArrayList<>();
      Map<Channel, String> consumers = new java.util.LinkedHashMap<>();
      List<Mqtt5AsyncClient> mqtt = new ArrayList<>();
      ExecutorService publishing = Executors.newVirtualThreadPerTaskExecutor();
      try {
        admin.queueDelete(queue);
        admin.queueDeclare(queue, true, false, false, Map.of("x-queue-type", type));
        admin.queueBind(queue, "amq.topic", "bench.qtype." + type + ".#");
        for (int c = 0; c < settings.consumers(); c++) {
          Channel channel = connection.createChannel();
          channels.add(channel);
          channel.basicQos(settings.prefetch());
          consumers.put(channel, channel.basicConsume(queue, false, consumer(channel)));
        }
        List<Publisher> publishers =
            shape == Shape.DEVICE_MESSAGES ? mqttPublishers(mqtt) : amqpPublishers(channels);
        for (int slot = 0; slot < settings.inFlight(); slot++) {
          Publisher publisher = publishers.get(slot % publishers.size());
          publishing.execute(() -> loop(publisher));
        }
        Thread.sleep(settings.warmUp().toMillis());
        latency.getIntervalHistogram();
        long before = consumed.sum();
        CpuMeter.Sample start = cpu.sample();
        Thread.sleep(settings.measure().toMillis());
        CpuMeter.Sample end = cpu.sample();
        long messages = consumed.sum() - before;
        Latency window = Latency.ofMicros(latency.getIntervalHistogram());
        CpuUsage usage = cpu.between(start, end, messages);
        double brokerMs =
            usage.process(SystemProcesses.BROKER).map(CpuUsage.Process::cpuMs).orElse(0.0);
        return new Measurement(
            shape,
            type,
            Math.round(messages / usage.seconds() * 10) / 10.0,
            window,
            messages == 0 ? 0 : Math.round(brokerMs * 1000 / messages * 10) / 10.0,
            usage);
      } finally {
        running = false;
        pending.values().forEach(p -> p.delivered.complete(null));
        publishing.shutdownNow();
        publishing.awaitTermination(30, TimeUnit.SECONDS);
        consumers.forEach(
            (channel, tag) -> {
              try {
                channel.basicCancel(tag);
              } catch (IOException | RuntimeException e) {
                // the channel is closing anyway
              }
            });
        for (Mqtt5AsyncClient client : mqtt) {
          client.disconnect().exceptionally(e -> null);
        }
        for (Channel channel : channels) {
          closeQuietly(channel);
        }
        admin.queueDelete(queue);
        closeQuietly(admin);
      }
    }

    /** One in-flight slot: publish, wait for confirm and delivery, again. */
    private void loop(Publisher publisher) {
      while (running) {
        long seq = sequence.incrementAndGet();
        Pending p = new Pending();
        pending.put(seq, p);
        try {
          publisher.publish(seq, p);
          CompletableFuture.allOf(p.confirmed, p.delivered).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // A lost confirm or message: the slot goes on with the next one.
        } finally {
          pending.remove(seq);
        }
      }
    }

    private DefaultConsumer consumer(Channel channel) {
      return new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(
            String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
          try {
            channel.basicAck(envelope.getDeliveryTag(), false);
          } catch (com.rabbitmq.client.ShutdownSignalException e) {
            // The measurement ended and closed the channel; the queue is deleted next.
            return;
          }
          Pending p = pending.get(seqOf(body));
          if (p != null) {
            latency.recordValue((System.nanoTime() - p.sent) / 1_000);
            consumed.increment();
            p.delivered.complete(null);
          }
        }
      };
    }

    private List<Publisher> mqttPublishers(List<Mqtt5AsyncClient> clients) throws Exception {
      List<Publisher> publishers = new ArrayList<>();
      for (int i = 0; i < settings.mqttPublishers(); i++) {
        Mqtt5ClientBuilder builder =
            Mqtt5Client.builder()
                .identifier("bench-qtype-" + type + "-" + i)
                .serverHost(settings.host())
                .serverPort(settings.mqttPort());
        if (!settings.localAddresses().isEmpty()) {
          builder =
              builder
                  .transportConfig()
                  .serverHost(settings.host())
                  .serverPort(settings.mqttPort())
                  .localAddress(settings.localAddresses().get(i % settings.localAddresses().size()))
                  .applyTransportConfig();
        }
        Mqtt5AsyncClient client =
            builder
                .simpleAuth()
                .username(settings.user())
                .password(settings.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildAsync();
        clients.add(client);
        client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
        String topic = routingPrefix.replace('.', '/') + "/d" + i;
        publishers.add(
            (seq, p) ->
                client
                    .publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .userProperties()
                    .add("protocol", "2")
                    .applyUserProperties()
                    .payload(body(seq))
                    .send()
                    .whenComplete(
                        (ack, e) -> {
                          if (e == null) {
                            p.confirmed.complete(null);
                          } else {
                            p.confirmed.completeExceptionally(e);
                          }
                        }));
      }
      return publishers;
    }

    private List<Publisher> amqpPublishers(List<Channel> opened) throws IOException {
      List<Publisher> publishers = new ArrayList<>();
      for (int i = 0; i < settings.amqpPublishers(); i++) {
        Channel channel = connection.createChannel();
        opened.add(channel);
        channel.confirmSelect();
        ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
        channel.addConfirmListener(
            (tag, multiple) -> settle(unconfirmed, tag, multiple, null),
            (tag, multiple) ->
                settle(unconfirmed, tag, multiple, new IOException("nacked by the broker")));
        AMQP.BasicProperties properties =
            new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .build();
        String key = routingPrefix + ".created";
        publishers.add(
            (seq, p) -> {
              // A channel publishes from one thread at a time; its sequence numbers must match.
              synchronized (channel) {
                unconfirmed.put(channel.getNextPublishSeqNo(), p);
                channel.basicPublish("amq.topic", key, true, properties, body(seq));
              }
            });
      }
      return publishers;
    }

    private static void settle(
        ConcurrentNavigableMap<Long, Pending> unconfirmed,
        long tag,
        boolean multiple,
        @Nullable Exception nack) {
      Map<Long, Pending> done =
          multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
      for (Pending p : done.values()) {
        if (nack == null) {
          p.confirmed.complete(null);
        } else {
          p.confirmed.completeExceptionally(nack);
        }
      }
      done.clear();
    }
  }

  private static void closeQuietly(Channel channel) {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (Exception e) {
      // already closing with its connection
    }
  }
}
