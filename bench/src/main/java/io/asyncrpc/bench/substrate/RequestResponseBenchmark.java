package io.asyncrpc.bench.substrate;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * MQTT 5 request/response over the same broker with no core in the path: {@code responders} clients
 * (as many as the devices of the lifecycle run) each answer requests on their own topic to the
 * request's response topic with its correlation data, and a few requester clients keep a fixed
 * number of requests in flight, QoS 1 both ways as the device protocol uses. Each round trip is two
 * MQTT messages through the broker; a task lifecycle is six (plus the API's event and the
 * database).
 *
 * <p>Every client connects at a bounded rate and retries a failed connection (after a 10,000-device
 * swarm the broker may still be closing its connections); requests go to the responders that
 * connected, and the result says how many did not. Only when no requester connects does {@link
 * #run()} fail.
 */
public final class RequestResponseBenchmark {

  private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
  private static final int CONNECT_ATTEMPTS = 5;
  private static final long CONNECT_TIMEOUT_SECONDS = 30;

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
   * @param failedClients responders that did not connect after every retry (requests skip them)
   * @param inFlight requests in flight
   * @param roundTripsPerSecond completed request/response pairs per second
   * @param roundTrip request sent to response received
   * @param cpu CPU per process over the measured window, per round trip
   */
  public record Result(
      int clients,
      int failedClients,
      int inFlight,
      double roundTripsPerSecond,
      Latency roundTrip,
      CpuUsage cpu) {}

  private final Settings settings;
  private final CpuMeter cpu;
  private final String run = Long.toString(System.nanoTime() % 1_000_000, 36);
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong correlations = new AtomicLong();
  private final LongAdder completed = new LongAdder();
  private final Recorder latency = new Recorder(3);
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
  private volatile boolean running = true;
  private volatile int[] live = new int[0];

  public RequestResponseBenchmark(Settings settings, CpuMeter cpu) {
    this.settings = settings;
    this.cpu = cpu;
  }

  public Result run() throws Exception {
    try {
      List<Mqtt5AsyncClient> requesters = connectRequesters();
      live = connectResponders();
      int failed = settings.responders() - live.length;
      if (live.length == 0) {
        throw new IllegalStateException("no responder connected");
      }
      if (failed > 0) {
        log(
            "%d of %d responders did not connect; requests go to the others",
            failed, settings.responders());
      }
      for (int slot = 0; slot < settings.inFlight(); slot++) {
        next(requesters.get(slot % requesters.size()), slot);
      }
      Thread.sleep(settings.warmUp().toMillis());
      latency.getIntervalHistogram();
      long before = completed.sum();
      CpuMeter.Sample cpuStart = cpu.sample();
      long start = System.nanoTime();
      Thread.sleep(settings.measure().toMillis());
      CpuMeter.Sample cpuEnd = cpu.sample();
      double seconds = (System.nanoTime() - start) / 1e9;
      long done = completed.sum() - before;
      Latency roundTrip = Latency.ofMicros(latency.getIntervalHistogram());
      running = false;
      return new Result(
          requesters.size() + live.length,
          failed,
          settings.inFlight(),
          Math.round(done / seconds * 10) / 10.0,
          roundTrip,
          cpu.between(cpuStart, cpuEnd, done));
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

  /**
   * The requesters, one after the other, each retried with a growing pause: they are few, and the
   * step cannot run without them.
   */
  private List<Mqtt5AsyncClient> connectRequesters() throws Exception {
    List<Mqtt5AsyncClient> requesters = new ArrayList<>();
    for (int r = 0; r < settings.requesters(); r++) {
      String topic = replyTopic(r);
      Exception last = null;
      Mqtt5AsyncClient client = null;
      for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
        // A new client (and id) per attempt: a late answer to an abandoned one must not take over.
        client = client("rr-" + run + "-q" + r + "-" + attempt, r);
        try {
          connectAndSubscribe(client, topic, this::onReply)
              .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          last = null;
          break;
        } catch (ExecutionException | TimeoutException e) {
          last = e;
          log("requester %d: connection attempt %d failed (%s)", r, attempt, cause(e));
          client.disconnect().exceptionally(x -> null);
          Thread.sleep(Math.min(10_000, 1_000L << attempt));
        }
      }
      if (last != null) {
        throw new IllegalStateException(
            "requester "
                + r
                + " did not connect in "
                + CONNECT_ATTEMPTS
                + " attempts: "
                + cause(last),
            last);
      }
      requesters.add(client);
    }
    return requesters;
  }

  /**
   * The responders at {@code connectsPerSecond}, each retried after a failure a few times.
   *
   * @return the indices of the responders that connected and subscribed
   */
  private int[] connectResponders() throws Exception {
    long spacing = 1_000_000_000L / settings.connectsPerSecond();
    List<CompletableFuture<Boolean>> subscribed = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < settings.responders(); i++) {
      long wait = start + i * spacing - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String topic = requestTopic(i);
      int index = i;
      AtomicInteger attempt = new AtomicInteger();
      subscribed.add(
          withRetries(
              () -> {
                Mqtt5AsyncClient client =
                    client("rr-" + run + "-s" + index + "-" + attempt.incrementAndGet(), index);
                return connectAndSubscribe(client, topic, request -> respond(client, request));
              },
              CONNECT_ATTEMPTS));
    }
    try {
      CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new))
          .get(CONNECT_ATTEMPTS * (CONNECT_TIMEOUT_SECONDS + 10) + 60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Those still trying count as failed.
    }
    int[] connected = new int[settings.responders()];
    int n = 0;
    for (int i = 0; i < subscribed.size(); i++) {
      if (subscribed.get(i).getNow(false)) {
        connected[n++] = i;
      }
    }
    return Arrays.copyOf(connected, n);
  }

  private CompletableFuture<Boolean> withRetries(
      Supplier<CompletableFuture<?>> attempt, int attemptsLeft) {
    return attempt
        .get()
        .orTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .handle((ok, failure) -> failure)
        .thenCompose(
            failure -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(true);
              }
              if (attemptsLeft <= 1 || !running) {
                return CompletableFuture.completedFuture(false);
              }
              Executor later = CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(x -> withRetries(attempt, attemptsLeft - 1));
            });
  }

  private static CompletableFuture<?> connectAndSubscribe(
      Mqtt5AsyncClient client, String topic, Consumer<Mqtt5Publish> callback) {
    return client
        .connectWith()
        .cleanStart(true)
        .send()
        .thenCompose(
            ack ->
                client
                    .subscribeWith()
                    .topicFilter(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(callback)
                    .send());
  }

  private static String cause(Throwable e) {
    Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return c.toString();
  }

  private static void log(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, "  " + format + "%n", args);
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
    int[] targets = live;
    int responder = targets[(int) (id % targets.length)];
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
