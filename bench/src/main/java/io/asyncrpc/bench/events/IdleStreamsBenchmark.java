package io.asyncrpc.bench.events;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.JvmProbe;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.bench.harness.SystemProcesses;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Idle server-sent event streams held by one api-service: {@code counts} streams opened one level
 * after the other (each its own connection, {@code ?type=task.finished}) and left idle, the
 * service's resident memory, heap after a full collection, OS threads and CPU read at each level
 * against the same service with no stream, read first. Opening stops at the first stream that could
 * not open. With every stream open, tasks are then finished by devices and each event timed from
 * the task's finishing (the event's timestamp, the database's clock on this machine) to its arrival
 * on every stream.
 */
public final class IdleStreamsBenchmark {

  static final Pattern TASK_ID =
      Pattern.compile("\"data\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

  /** The task's device in a {@code task.finished} event. */
  private static final Pattern DEVICE_ID = Pattern.compile("\"device_id\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * What to run.
   *
   * @param counts stream levels, ascending
   * @param openConcurrency streams opening at once
   * @param openTimeout longest wait for a stream's 200
   * @param settle pause after a level opened, before its readings
   * @param idleWindow the window of each level's CPU
   * @param checkTasks tasks finished for the delivery check
   * @param checkRate their rate, tasks a second
   * @param localAddresses loopback source addresses of the streams' connections
   */
  public record Settings(
      List<Integer> counts,
      int openConcurrency,
      Duration openTimeout,
      Duration settle,
      Duration idleWindow,
      int checkTasks,
      double checkRate,
      List<String> localAddresses) {

    public Settings {
      counts = List.copyOf(counts);
      localAddresses = List.copyOf(localAddresses);
    }
  }

  /**
   * api-service at one level.
   *
   * @param streams streams asked for
   * @param open streams open (answered 200, not ended) at the end of the idle window
   * @param failed streams that did not open
   * @param openSeconds time to open this level's new streams
   * @param residentBytes api-service's resident set
   * @param heapBytes its heap after a full collection (-1: not read)
   * @param threads its OS threads
   * @param residentBytesPerStream resident growth over the baseline, per open stream
   * @param heapBytesPerStream heap growth over the baseline, per open stream
   * @param cpu CPU per process over the idle window
   */
  public record Level(
      int streams,
      int open,
      long failed,
      double openSeconds,
      long residentBytes,
      long heapBytes,
      long threads,
      @Nullable Double residentBytesPerStream,
      @Nullable Double heapBytesPerStream,
      CpuUsage cpu) {}

  /**
   * The delivery check with every stream of a level open.
   *
   * @param streams streams open
   * @param tasks tasks finished
   * @param expected events expected (tasks × streams)
   * @param received events received
   * @param finishedToReceived the task's finishing (event timestamp) to the event on a stream, over
   *     every stream's copy
   * @param cpu CPU per process over the check, per event received
   */
  public record Delivery(
      int streams,
      int tasks,
      long expected,
      long received,
      Latency finishedToReceived,
      Latency commitToReceived,
      CpuUsage cpu) {}

  /**
   * The figures.
   *
   * @param baseline api-service with no stream
   * @param baselineCpu CPU per process over the same window with no stream
   * @param levels one per level reached
   * @param held most streams open at once with none failing
   * @param firstFailure the first failure to open or stream closed, or null
   * @param heartbeats heartbeat comments received over the whole step
   * @param deliveries the delivery check at each level held in full
   * @param deliveryFailure why a delivery check failed, or null
   * @param heapHistogram the top of api-service's class histogram at the last level held in full
   *     ({@code jcmd GC.class_histogram}): what the streams' heap is
   */
  public record Result(
      JvmProbe.Reading baseline,
      CpuUsage baselineCpu,
      List<Level> levels,
      int held,
      @Nullable String firstFailure,
      long heartbeats,
      List<Delivery> deliveries,
      @Nullable String deliveryFailure,
      @Nullable String heapHistogram) {

    public Result {
      levels = List.copyOf(levels);
      deliveries = List.copyOf(deliveries);
    }
  }

  private final ApiClient api;
  private final ServiceProcess apiService;
  private final CpuMeter cpu;
  private final Responders responders;
  private final Settings settings;

  public IdleStreamsBenchmark(
      ApiClient api,
      ServiceProcess apiService,
      CpuMeter cpu,
      Responders responders,
      Settings settings) {
    this.api = api;
    this.apiService = apiService;
    this.cpu = cpu;
    this.responders = responders;
    this.settings = settings;
  }

  public Result run() throws Exception {
    Thread.sleep(settings.settle().toMillis());
    CpuMeter.Sample start = cpu.sample();
    Thread.sleep(settings.idleWindow().toMillis());
    CpuUsage baselineCpu = cpu.between(start, cpu.sample(), 0);
    JvmProbe.Reading baseline = JvmProbe.read(apiService.pid());
    log("no stream: %s, %s", reading(baseline), percent(baselineCpu));
    List<Level> levels = new ArrayList<>();
    int held = 0;
    // One set of streams per level: a level that fails is closed whole, so the delivery check
    // runs on the last level that opened in full, with room left for the API's own requests.
    List<EventStreams> kept = new ArrayList<>();
    String firstFailure = null;
    String histogram = null;
    String deliveryFailure = null;
    List<Delivery> deliveries = new ArrayList<>();
    long heartbeats = 0;
    try {
      for (int count : settings.counts()) {
        EventStreams streams =
            new EventStreams(api, "?type=task.finished", settings.localAddresses());
        long opening = System.nanoTime();
        streams.openUpTo(count - held, settings.openConcurrency(), settings.openTimeout());
        double openSeconds = (System.nanoTime() - opening) / 1e9;
        Thread.sleep(settings.settle().toMillis());
        start = cpu.sample();
        Thread.sleep(settings.idleWindow().toMillis());
        CpuUsage idle = cpu.between(start, cpu.sample(), 0);
        JvmProbe.Reading r = JvmProbe.read(apiService.pid());
        int open = open(kept) + streams.open();
        int closedBefore = kept.stream().mapToInt(EventStreams::closed).sum();
        Level level =
            new Level(
                count,
                open,
                streams.failed(),
                round(openSeconds),
                r.residentBytes(),
                r.heapBytes(),
                r.threads(),
                perStream(r.residentBytes() - baseline.residentBytes(), open),
                r.heapBytes() < 0 || baseline.heapBytes() < 0
                    ? null
                    : perStream(r.heapBytes() - baseline.heapBytes(), open),
                idle);
        levels.add(level);
        log(
            "%,d streams asked, %,d open, %d failed (%.1f s): %s, %s B RSS/stream, %s B"
                + " heap/stream, %s",
            count,
            open,
            streams.failed(),
            openSeconds,
            reading(r),
            level.residentBytesPerStream(),
            level.heapBytesPerStream(),
            percent(idle));
        if (streams.failed() > 0 || streams.closed() > 0 || closedBefore > 0) {
          firstFailure = streams.firstFailure();
          for (EventStreams k : kept) {
            firstFailure = firstFailure == null ? k.firstFailure() : firstFailure;
          }
          log(
              "stopped opening: %s; closing this level's %,d streams",
              firstFailure, streams.open());
          heartbeats += streams.heartbeats();
          streams.close();
          // The service notices the closed connections at its next write: give it a moment.
          Thread.sleep(settings.settle().toMillis());
          break;
        }
        kept.add(streams);
        held = open;
        histogram = JvmProbe.classHistogram(apiService.pid(), 12);
        // At each level, before the next: a level that breaks the service still has its figures.
        try {
          deliveries.add(delivery(kept));
        } catch (Exception e) {
          deliveryFailure = e.toString();
          log("delivery check failed: %s", deliveryFailure);
          break;
        }
      }
      heartbeats += kept.stream().mapToLong(EventStreams::heartbeats).sum();
      return new Result(
          baseline,
          baselineCpu,
          levels,
          held,
          firstFailure,
          heartbeats,
          deliveries,
          deliveryFailure,
          histogram);
    } finally {
      kept.forEach(EventStreams::close);
    }
  }

  private static int open(List<EventStreams> streams) {
    return streams.stream().mapToInt(EventStreams::open).sum();
  }

  private Delivery delivery(List<EventStreams> kept) throws Exception {
    int open = open(kept);
    Recorder latency = new Recorder(3);
    Recorder fromCommit = new Recorder(3);
    ConcurrentHashMap<UUID, Long> commitsAt = new ConcurrentHashMap<>();
    LongAdder received = new LongAdder();
    // Only the check's own tasks count: tasks of earlier steps in the same tenant (an expiry of
    // an offline device's task, say) finish during the check too.
    Set<String> checked = Set.copyOf(responders.devices());
    EventStreams.Listener timing =
        (type, data, at) -> {
          Matcher device = DEVICE_ID.matcher(data);
          if (type.equals("task.finished") && device.find() && checked.contains(device.group(1))) {
            long finished = timestampMicros(data);
            if (finished > 0) {
              latency.recordValue(Math.max(0, at - finished));
            }
            Matcher task = TASK_ID.matcher(data);
            Long committed = task.find() ? commitsAt.get(UUID.fromString(task.group(1))) : null;
            if (committed != null) {
              fromCommit.recordValue(Math.max(0, (System.nanoTime() - committed) / 1_000));
            }
            received.increment();
          }
        };
    kept.forEach(k -> k.listener(timing));
    List<String> devices = responders.devices();
    long interval = (long) (1e9 / settings.checkRate());
    List<CompletableFuture<Long>> commits = new ArrayList<>();
    CpuMeter.Sample cpuStart = cpu.sample();
    long begin = System.nanoTime();
    for (int i = 0; i < settings.checkTasks(); i++) {
      long wait = begin + i * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Responders.Posted posted = responders.post(devices.get(i % devices.size()));
      // The device sees the commit about when the event is written: most copies find it here.
      posted.committed().thenAccept(at -> commitsAt.put(posted.id(), at));
      commits.add(posted.committed());
    }
    long expected = (long) settings.checkTasks() * open;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (CompletableFuture<Long> commit : commits) {
      try {
        commit.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // counted as events missing below
      }
    }
    while (received.sum() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    CpuUsage used = cpu.between(cpuStart, cpu.sample(), received.sum());
    kept.forEach(k -> k.listener((type, data, at) -> {}));
    Delivery d =
        new Delivery(
            open,
            settings.checkTasks(),
            expected,
            received.sum(),
            Latency.ofMicros(latency.getIntervalHistogram()),
            Latency.ofMicros(fromCommit.getIntervalHistogram()),
            used);
    log(
        "delivery with %,d streams: %,d of %,d events, finished -> received %s, device's commit"
            + " -> received %s",
        open, d.received(), expected, d.finishedToReceived(), d.commitToReceived());
    return d;
  }

  /** The {@code timestamp} of an event's JSON, in µs since the epoch, or -1. */
  static long timestampMicros(String json) {
    int key = json.indexOf("\"timestamp\":\"");
    if (key < 0) {
      return -1;
    }
    int from = key + 13;
    int to = json.indexOf('"', from);
    try {
      Instant at = Instant.parse(json.substring(from, to));
      return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static String reading(JvmProbe.Reading r) {
    return String.format(
        Locale.ROOT,
        "RSS %.0f MiB, heap %.0f MiB, %d threads",
        r.residentBytes() / 1048576.0,
        r.heapBytes() / 1048576.0,
        r.threads());
  }

  private static String percent(CpuUsage cpu) {
    return String.format(
        Locale.ROOT,
        "api-service %.1f %% of a core, PostgreSQL %.1f %%",
        cpu.process(SystemProcesses.API).map(CpuUsage.Process::percentOfCore).orElse(0.0),
        cpu.process(SystemProcesses.POSTGRESQL).map(CpuUsage.Process::percentOfCore).orElse(0.0));
  }

  private static @Nullable Double perStream(long bytes, int streams) {
    return streams == 0 ? null : (double) Math.round((double) bytes / streams);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  static void log(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, "  " + format + "%n", args);
  }
}
