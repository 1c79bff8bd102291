package io.asyncrpc.bench.events;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Webhook delivery of {@code task.finished} while lifecycles run: first the lifecycles alone (the
 * baseline), then the same closed loop with a webhook endpoint registered that points at a local
 * receiver checking every signature. Delivery latency runs from the event's timestamp (the task's
 * finishing, the database's clock on this machine) to the receipt; deliveries a second are counted
 * over the same window as the lifecycles, and the window's tasks not delivered within the drain
 * time are reported missing.
 */
public final class WebhookBenchmark {

  private static final Pattern TASK_ID = IdleStreamsBenchmark.TASK_ID;

  /**
   * What to run.
   *
   * @param inFlight lifecycles in flight, each on a device of its own
   * @param warmUp closed-loop warm-up before the baseline
   * @param measure each measured window
   * @param drain how long deliveries of the window's tasks are awaited after it
   */
  public record Settings(int inFlight, Duration warmUp, Duration measure, Duration drain) {}

  /**
   * One closed-loop window.
   *
   * @param lifecyclesPerSecond lifecycles committed at the devices per second
   * @param lifecycles lifecycles committed in the window
   * @param cpu CPU per process over the window, per lifecycle
   */
  public record Window(double lifecyclesPerSecond, long lifecycles, CpuUsage cpu) {}

  /**
   * The figures.
   *
   * @param inFlight lifecycles in flight
   * @param baseline lifecycles with no webhook
   * @param withWebhook lifecycles with the webhook registered
   * @param deliveriesPerSecond deliveries received in the window, per second
   * @param windowTasks tasks committed in the window
   * @param delivered of those, delivered (by the end of the drain)
   * @param eventToReceipt event timestamp to receipt, of the window's tasks
   * @param badSignatures deliveries whose signature did not verify
   * @param duplicates deliveries of a message id already received
   */
  public record Result(
      int inFlight,
      Window baseline,
      Window withWebhook,
      double deliveriesPerSecond,
      long windowTasks,
      long delivered,
      Latency eventToReceipt,
      long badSignatures,
      long duplicates) {}

  private final ApiClient api;
  private final CpuMeter cpu;
  private final Responders responders;
  private final Settings settings;

  public WebhookBenchmark(ApiClient api, CpuMeter cpu, Responders responders, Settings settings) {
    this.api = api;
    this.cpu = cpu;
    this.responders = responders;
    this.settings = settings;
  }

  public Result run() throws Exception {
    int inFlight = Math.min(settings.inFlight(), responders.devices().size());
    closedLoop(inFlight, settings.warmUp(), null);
    Window baseline = closedLoop(inFlight, settings.measure(), null);
    log("no webhook: %.1f lifecycles/s", baseline.lifecyclesPerSecond());
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      ApiClient.Webhook hook = api.createWebhook(receiver.url(), "benchmark", "task.finished");
      receiver.secret(hook.secret());
      try {
        Set<UUID> windowTasks = ConcurrentHashMap.newKeySet();
        Set<UUID> delivered = ConcurrentHashMap.newKeySet();
        Recorder latency = new Recorder(3);
        AtomicLong inWindow = new AtomicLong();
        AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
        AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
        receiver.listener(
            (id, body, at) -> {
              long now = System.nanoTime();
              if (now >= windowStart.get() && now < windowEnd.get()) {
                inWindow.incrementAndGet();
              }
              Matcher task = TASK_ID.matcher(body);
              if (task.find()) {
                UUID taskId = UUID.fromString(task.group(1));
                delivered.add(taskId);
                long event = IdleStreamsBenchmark.timestampMicros(body);
                if (event > 0 && windowTasks.contains(taskId)) {
                  latency.recordValue(Math.max(0, at - event));
                }
              }
            });
        // A second of lifecycles first: the fan-out picks the endpoint up on its next run.
        closedLoop(inFlight, Duration.ofSeconds(2), null);
        windowStart.set(System.nanoTime());
        Window withHook = closedLoop(inFlight, settings.measure(), windowTasks);
        windowEnd.set(System.nanoTime());
        double seconds = (windowEnd.get() - windowStart.get()) / 1e9;
        long deadline = System.nanoTime() + settings.drain().toNanos();
        while (System.nanoTime() < deadline && !delivered.containsAll(windowTasks)) {
          Thread.sleep(100);
        }
        long got = windowTasks.stream().filter(delivered::contains).count();
        // The latencies of deliveries that arrived after a task was added are recorded; those
        // that raced ahead of the add are few and left out.
        Result result =
            new Result(
                inFlight,
                baseline,
                withHook,
                Math.round(inWindow.get() / seconds * 10) / 10.0,
                windowTasks.size(),
                got,
                Latency.ofMicros(latency.getIntervalHistogram()),
                receiver.badSignatures(),
                receiver.duplicates());
        log(
            "webhook: %.1f lifecycles/s, %.1f deliveries/s, %,d of %,d delivered, event ->"
                + " receipt %s, %d bad signatures (%s), %d duplicates",
            withHook.lifecyclesPerSecond(),
            result.deliveriesPerSecond(),
            got,
            windowTasks.size(),
            result.eventToReceipt(),
            receiver.badSignatures(),
            receiver.firstBad(),
            receiver.duplicates());
        return result;
      } finally {
        api.deleteWebhook(hook.id());
      }
    }
  }

  /** {@code inFlight} devices each doing one lifecycle after the other for {@code length}. */
  private Window closedLoop(int inFlight, Duration length, @Nullable Set<UUID> committedTasks)
      throws Exception {
    List<String> devices = responders.devices();
    AtomicLong committed = new AtomicLong();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    CpuMeter.Sample start = cpu.sample();
    long begin = System.nanoTime();
    long end = begin + length.toNanos();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < inFlight; w++) {
        String device = devices.get(w);
        workers.execute(
            () -> {
              while (System.nanoTime() < end) {
                try {
                  Responders.Posted posted = responders.post(device);
                  long at = posted.committed().get(30, TimeUnit.SECONDS);
                  if (at < end) {
                    committed.incrementAndGet();
                    if (committedTasks != null) {
                      committedTasks.add(posted.id());
                    }
                  }
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  firstError.compareAndSet(null, e.toString());
                }
              }
            });
      }
    }
    CpuMeter.Sample stop = cpu.sample();
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (firstError.get() != null) {
      log("first lifecycle error: %s", firstError.get());
    }
    return new Window(
        Math.round(committed.get() / seconds * 10) / 10.0,
        committed.get(),
        cpu.between(start, stop, committed.get()));
  }

  static void log(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, "  " + format + "%n", args);
  }
}
