package io.asyncrpc.bench.substrate;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.bench.harness.Latency;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * MQTT 5 request/response over the same broker with no core in the path: {@code responders} clients
 * (as many as the devices of the lifecycle run) each answer requests on their own topic to the
 * request's response topic with its correlation data, and a few requester clients keep a fixed
 * number of requests in flight, QoS 1 both ways as the device protocol uses. Each round trip is two
 * MQTT messages through the broker; a task lifecycle is six (plus the API's event and the
 * database).
 */
public final class RequestResponseBenchmark {

  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

  /**
   * What to run.
   *
   * @param host the broker's MQTT host
   * @param port its MQTT port
   * @param username an MQTT login that may use any topic (the services' user)
   * @param password its password
   * @param responders responding clients, one topic each
   * @param requesters requesting clients, the requests spread over them
   * @param inFlight requests in flight
   * @param warmUp unmeasured time first
   * @param measure measured time
   * @param connectsPerSecond how fast the responders connect
   * @param localAddresses loopback source addresses to spread the connections over
   */
  public record Settings(
      String host,
      int port,
      String username,
      String password,
      int responders,
      int requesters,
      int inFlight,
      Duration warmUp,
      Duration measure,
      int connectsPerSecond,
      List<String> localAddresses) {}

  /**
   * The figures.
   *
   * @param clients responders plus requesters connected
   * @param inFlight requests in flight
   * @param roundTripsPerSecond completed request/response pairs per second
   * @param roundTrip request sent to response received
   */
  public record Result(int clients, int inFlight, double roundTripsPerSecond, Latency roundTrip) {}

  private final Settings settings;
  private final String run = Long.toString(System.nanoTime() % 1_000_000, 36);
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong correlations = new AtomicLong();
  private final LongAdder completed = new LongAdder();
  private final Recorder latency = new Recorder(3);
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private volatile boolean running = true;

  public RequestResponseBenchmark(Settings settings) {
    this.settings = settings;
  }

  public Result run() throws Exception {
    try {
      List<Mqtt5AsyncClient> requesters = connectRequesters();
      connectResponders();
      for (int slot = 0; slot < settings.inFlight(); slot++) {
        next(requesters.get(slot % requesters.size()), slot);
      }
      Thread.sleep(settings.warmUp().toMillis());
      latency.getIntervalHistogram();
      long before = completed.sum();
      long start = System.nanoTime();
      Thread.sleep(settings.measure().toMillis());
      double seconds = (System.nanoTime() - start) / 1e9;
      long done = completed.sum() - before;
      Latency roundTrip = Latency.ofMicros(latency.getIntervalHistogram());
      running = false;
      return new Result(
          clients.size(), settings.inFlight(), Math.round(done / seconds * 10) / 10.0, roundTrip);
    } finally {
      running = false;
      CompletableFuture.allOf(
              clients.stream()
                  .map(c -> c.disconnect().exceptionally(e -> null))
                  .toArray(CompletableFuture[]::new))
          .orTimeout(30, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }

  private List<Mqtt5AsyncClient> connectRequesters() throws Exception {
    List<Mqtt5AsyncClient> requesters = new ArrayList<>();
    for (int r = 0; r < settings.requesters(); r++) {
      Mqtt5AsyncClient client = client("rr-" + run + "-q" + r, r);
      client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
      client
          .subscribeWith()
          .topicFilter(replyTopic(r))
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(this::onReply)
          .send()
          .get(30, TimeUnit.SECONDS);
      requesters.add(client);
    }
    return requesters;
  }

  private void connectResponders() throws Exception {
    long spacing = 1_000_000_000L / settings.connectsPerSecond();
    List<CompletableFuture<?>> subscribed = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < settings.responders(); i++) {
      long wait = start + i * spacing - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      Mqtt5AsyncClient client = client("rr-" + run + "-s" + i, i);
      String topic = requestTopic(i);
      subscribed.add(
          client
              .connectWith()
              .cleanStart(true)
              .send()
              .thenCompose(
                  ack ->
                      client
                          .subscribeWith()
                          .topicFilter(topic)
                          .qos(MqttQos.AT_LEAST_ONCE)
                          .callback(request -> respond(client, request))
                          .send()));
    }
    CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);
  }

  private void respond(Mqtt5AsyncClient client, Mqtt5Publish request) {
    request
        .getResponseTopic()
        .ifPresent(
            topic ->
                client
                    .publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(request.getCorrelationData().orElse(null))
                    .payload(PAYLOAD)
                    .send());
  }

  /** Sends the next request of one in-flight slot; its reply sends the one after. */
  private void next(Mqtt5AsyncClient requester, int slot) {
    if (!running) {
      return;
    }
    long id = correlations.incrementAndGet();
    int responder = (int) (id % settings.responders());
    CompletableFuture<Void> reply = new CompletableFuture<>();
    pending.put(id, reply);
    long sent = System.nanoTime();
    reply.whenComplete(
        (ok, failure) -> {
          if (failure == null) {
            latency.recordValue((System.nanoTime() - sent) / 1_000);
            completed.increment();
          }
          next(requester, slot);
        });
    reply.orTimeout(30, TimeUnit.SECONDS);
    requester
        .publishWith()
        .topic(requestTopic(responder))
        .qos(MqttQos.AT_LEAST_ONCE)
        .responseTopic(replyTopic(slot % settings.requesters()))
        .correlationData(ByteBuffer.allocate(Long.BYTES).putLong(0, id))
        .payload(PAYLOAD)
        .send();
  }

  private void onReply(Mqtt5Publish reply) {
    reply
        .getCorrelationData()
        .ifPresent(
            data -> {
              CompletableFuture<Void> waiting = pending.remove(data.getLong(0));
              if (waiting != null) {
                waiting.complete(null);
              }
            });
  }

  private String requestTopic(int responder) {
    return String.format(Locale.ROOT, "bench/%s/rr/%d", run, responder);
  }

  private String replyTopic(int requester) {
    return String.format(Locale.ROOT, "bench/%s/reply/%d", run, requester);
  }

  private Mqtt5AsyncClient client(String id, int index) {
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost(settings.host())
            .serverPort(settings.port());
    List<String> addresses = settings.localAddresses();
    if (!addresses.isEmpty()) {
      builder =
          builder
              .transportConfig()
              .serverHost(settings.host())
              .serverPort(settings.port())
              .localAddress(addresses.get(index % addresses.size()))
              .applyTransportConfig();
    }
    Mqtt5AsyncClient client =
        builder
            .simpleAuth()
            .username(settings.username())
            .password(settings.password().getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildAsync();
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }
}
