package io.asyncrpc.bench.events;

import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The same clients following their tasks to the end two ways, one after the other in the same run:
 * {@code GET /api/v1/tasks/{id}?wait=N} again until finished, and the old way, {@code GET
 * /api/v1/tasks/{id}} every few milliseconds. Each client has its own responding device and POSTs
 * its next task once it knows the last one finished (a closed loop), so the lifecycle runs
 * throughout. Latency to knowing is timed from the task's {@code finished_at} (the database's
 * clock, this machine) to the answer that showed it finished, and from the POST.
 */
public final class WaitVsPollBenchmark {

  private static final Set<String> OPEN = Set.of("QUEUED", "PENDING", "LOCKED");

  /**
   * What to run.
   *
   * @param clients concurrent clients, each with its own device
   * @param warmUp unmeasured time before each way
   * @param measure measured time of each way
   * @param waitSeconds the {@code wait} of a waiting GET
   * @param pollInterval the polling client's pause between two GETs
   */
  public record Settings(
      int clients, Duration warmUp, Duration measure, int waitSeconds, Duration pollInterval) {}

  /**
   * One way of following tasks.
   *
   * @param way {@code wait} or {@code poll}
   * @param tasksPerSecond tasks known finished per second
   * @param tasks tasks known finished in the window
   * @param requestsPerTask GETs per task
   * @param finishedToKnown {@code finished_at} to the answer showing it
   * @param postToKnown the POST to that answer
   * @param errors failed requests
   * @param cpu CPU per process over the window, per task known finished
   */
  public record Way(
      String way,
      double tasksPerSecond,
      long tasks,
      double requestsPerTask,
      Latency finishedToKnown,
      Latency postToKnown,
      long errors,
      CpuUsage cpu) {}

  /**
   * The figures.
   *
   * @param clients concurrent clients
   * @param waitSeconds the waiting GET's {@code wait}
   * @param pollMillis the polling interval
   * @param waiting the waiting GETs
   * @param polling the polling GETs
   */
  public record Result(int clients, int waitSeconds, long pollMillis, Way waiting, Way polling) {}

  private final ApiClient api;
  private final CpuMeter cpu;
  private final Responders responders;
  private final Settings settings;

  public WaitVsPollBenchmark(
      ApiClient api, CpuMeter cpu, Responders responders, Settings settings) {
    this.api = api;
    this.cpu = cpu;
    this.responders = responders;
    this.settings = settings;
  }

  public Result run() throws Exception {
    int clients = Math.min(settings.clients(), responders.devices().size());
    Way waiting = way("wait", clients);
    log("%s", describe(waiting));
    Way polling = way("poll", clients);
    log("%s", describe(polling));
    return new Result(
        clients, settings.waitSeconds(), settings.pollInterval().toMillis(), waiting, polling);
  }

  private Way way(String way, int clients) throws Exception {
    Recorder finishedToKnown = new Recorder(3);
    Recorder postToKnown = new Recorder(3);
    AtomicLong tasks = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    long measureFrom = System.nanoTime() + settings.warmUp().toNanos();
    long end = measureFrom + settings.measure().toNanos();
    List<String> devices = responders.devices();
    CpuMeter.Sample cpuStart;
    long measuredStart;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        String device = devices.get(c);
        pool.execute(
            () -> {
              while (System.nanoTime() < end) {
                try {
                  Responders.Posted posted = responders.post(device);
                  long gets = 0;
                  JsonNode task;
                  do {
                    if (way.equals("poll")) {
                      Thread.sleep(settings.pollInterval());
                    }
                    task = api.task(posted.id(), way.equals("wait") ? settings.waitSeconds() : 0);
                    gets++;
                  } while (OPEN.contains(task.get("status").asString()));
                  long knownNanos = System.nanoTime();
                  long knownMicros = EventStreams.epochMicros();
                  // Counted in the window they became known in: the CPU window.
                  if (knownNanos >= measureFrom && knownNanos < end) {
                    tasks.incrementAndGet();
                    requests.addAndGet(gets);
                    postToKnown.recordValue((knownNanos - posted.postedNanos()) / 1_000);
                    JsonNode finished = task.get("finished_at");
                    if (finished != null && !finished.isNull()) {
                      Instant at = Instant.parse(finished.asString());
                      long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
                      finishedToKnown.recordValue(Math.max(0, knownMicros - micros));
                    }
                  }
                  // The device answers its next task once it got this one's commit.
                  posted.committed().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  errors.incrementAndGet();
                  firstError.compareAndSet(null, e.toString());
                }
              }
            });
      }
      Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      finishedToKnown.getIntervalHistogram();
      postToKnown.getIntervalHistogram();
      cpuStart = cpu.sample();
      measuredStart = System.nanoTime();
      Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    }
    // The CPU window is the measured one; the clients' last follow-ups end outside it.
    CpuMeter.Sample cpuEnd = cpu.sample();
    double seconds = (System.nanoTime() - measuredStart) / 1e9;
    if (firstError.get() != null) {
      log("first error (%s): %s", way, firstError.get());
    }
    long n = tasks.get();
    return new Way(
        way,
        Math.round(n / seconds * 10) / 10.0,
        n,
        n == 0 ? 0 : Math.round(requests.get() * 100.0 / n) / 100.0,
        Latency.ofMicros(finishedToKnown.getIntervalHistogram()),
        Latency.ofMicros(postToKnown.getIntervalHistogram()),
        errors.get(),
        cpu.between(cpuStart, cpuEnd, n));
  }

  private static String describe(Way w) {
    return String.format(
        Locale.ROOT,
        "%s: %.1f tasks/s, %.2f GETs/task, finished -> known %s, POST -> known %s, api-service"
            + " %s ms/task, system %s ms/task, %d errors",
        w.way(),
        w.tasksPerSecond(),
        w.requestsPerTask(),
        w.finishedToKnown(),
        w.postToKnown(),
        w.cpu().process("api-service").map(CpuUsage.Process::msPerUnit).orElse(null),
        w.cpu().system().msPerUnit(),
        w.errors());
  }

  static void log(String format, @Nullable Object... args) {
    System.out.printf(Locale.ROOT, "  " + format + "%n", args);
  }
}
