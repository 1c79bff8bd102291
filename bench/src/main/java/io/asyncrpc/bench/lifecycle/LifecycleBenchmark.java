package io.asyncrpc.bench.lifecycle;

import io.asyncrpc.bench.harness.ConnectWait;
import io.asyncrpc.bench.harness.CpuMeter;
import io.asyncrpc.bench.harness.CpuUsage;
import io.asyncrpc.bench.harness.JitWarmUp;
import io.asyncrpc.bench.harness.Latency;
import io.asyncrpc.bench.harness.SystemProcesses;
import io.asyncrpc.bench.harness.TableStatistics;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmSettings;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.BrokerManagement;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Full lifecycles through the running api-service and core-service with a swarm of connected
 * devices that all speak one device protocol (v1: trigger, request, response, result, commit; v2:
 * the task pushed with its payload, result, commit). The highest rate is found in a closed loop (a
 * fixed number of lifecycles in flight, one per idle device); latencies are then measured in an
 * open loop at fractions of that rate, timed from the moment each POST was due, so a client falling
 * behind shows as latency. A sample of the tasks is also polled over REST until DONE, as a
 * control-center app would. The CPU every process of the system used is read from /proc over each
 * measured window and the idle one.
 */
public final class LifecycleBenchmark {

  private static final String METHOD = "bench.noop";
  private static final int TTL_SECONDS = 300;
  private static final String PAYLOAD = "{\"n\":1}";
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final List<String> CORE_QUEUES =
      List.of("core.presence", "core.device-messages", "core.task-created");

  /**
   * What to run.
   *
   * @param devices connected devices
   * @param protocol the device protocol every device of the swarm speaks
   * @param devicePrefix device ids are {@code prefix-0 …}
   * @param inFlight lifecycles in flight in the closed loop (at most one per device)
   * @param warmUp closed-loop warm-up before measuring, at least
   * @param warmUpMax closed-loop warm-up, at most: until the JIT settled ({@code JitWarmUp})
   * @param measure length of each measured step
   * @param loadFractions open-loop steps, as fractions of the closed loop's rate
   * @param idleWindow how long the connected swarm's idle CPU is read before the load steps
   * @param donePollInterval how often a polling client asks for a sampled task's state
   * @param doneSamplesPerSecond how many tasks a second are polled until DONE
   * @param connectsPerSecond how fast the swarm connects
   * @param devicePollInterval how often an idle device polls its FIFO
   * @param localAddresses loopback source addresses for the swarm's connections
   */
  public record Settings(
      int devices,
      ProtocolVersion protocol,
      String devicePrefix,
      int inFlight,
      Duration warmUp,
      Duration warmUpMax,
      Duration measure,
      List<Double> loadFractions,
      Duration idleWindow,
      Duration donePollInterval,
      int doneSamplesPerSecond,
      int connectsPerSecond,
      Duration devicePollInterval,
      List<String> localAddresses) {}

  /**
   * One measured step.
   *
   * @param mode {@code closed} (fixed lifecycles in flight) or {@code open} (fixed arrival rate)
   * @param offeredPerSecond tasks POSTed per second (the closed loop: as many as it managed)
   * @param lifecyclesPerSecond lifecycles completed per second within the step
   * @param posted tasks POSTed in the step
   * @param unfinished tasks of the step not committed at the device within the drain time
   * @param postErrors POSTs that failed
   * @param accepted POST to 202
   * @param toTrigger POST to the trigger at the device
   * @param toPayload POST to the device holding the payload
   * @param toCommit POST to the commit at the device
   * @param toDone POST to a polling client seeing DONE (sampled)
   * @param cpu CPU per process over the step's window, per lifecycle completed in it
   */
  public record Step(
      String mode,
      double offeredPerSecond,
      double lifecyclesPerSecond,
      long posted,
      long unfinished,
      long postErrors,
      Latency accepted,
      Latency toTrigger,
      Latency toPayload,
      Latency toCommit,
      Latency toDone,
      CpuUsage cpu) {}

  /**
   * The idle cost of the connected devices.
   *
   * @param connected devices connected and subscribed
   * @param connectFailures devices whose connection or subscription failed
   * @param connectSeconds time to connect them all
   * @param brokerBytesPerDevice growth of the broker's memory per device, as the broker accounts it
   *     (null where the broker does not report it: its metrics collector is off)
   * @param brokerResidentBytesPerDevice growth of the broker process's resident memory per device
   * @param coreBytesPerDevice growth of core-service's resident memory per device
   * @param swarmBytesPerDevice growth of the swarm JVM's heap per device (the client side)
   * @param brokerBytes the broker's memory with the devices connected, as it accounts it (-1 where
   *     not reported)
   * @param brokerResidentBytes the broker process's resident memory with the devices connected
   * @param coreBytes core-service's resident memory with the devices connected
   * @param cpu CPU per process while the devices were connected and idle (they poll their FIFO
   *     every {@link Settings#devicePollInterval()}), before any load step
   */
  public record Idle(
      int connected,
      long connectFailures,
      double connectSeconds,
      @Nullable Double brokerBytesPerDevice,
      double brokerResidentBytesPerDevice,
      double coreBytesPerDevice,
      double swarmBytesPerDevice,
      long brokerBytes,
      long brokerResidentBytes,
      long coreBytes,
      CpuUsage cpu) {}

  /**
   * The figures for one swarm size and protocol.
   *
   * @param protocol the protocol the devices spoke
   * @param devices devices connected
   * @param inFlight closed-loop lifecycles in flight
   * @param idle idle memory of those devices
   * @param max the closed loop: the highest sustained rate; null when not every device connected
   * @param steps the open-loop steps, in the order of the settings' fractions
   * @param skipped why the load steps did not run, or null
   */
  public record Result(
      ProtocolVersion protocol,
      int devices,
      int inFlight,
      Idle idle,
      @Nullable Step max,
      List<Step> steps,
      @Nullable String skipped) {}

  private final ApiClient api;
  private final BrokerManagement broker;
  private final ServiceProcess core;
  private final CpuMeter cpu;
  private final TableStatistics statistics;
  private final String mqttHost;
  private final int mqttPort;
  private final Settings settings;
  private final TaskTracker tracker = new TaskTracker();
  private final AtomicLong nextSample = new AtomicLong();
  private final AtomicLong postErrors = new AtomicLong();
  private final AtomicReference<@Nullable String> firstError = new AtomicReference<>();

  public LifecycleBenchmark(
      ApiClient api,
      BrokerManagement broker,
      ServiceProcess core,
      CpuMeter cpu,
      TableStatistics statistics,
      String mqttHost,
      int mqttPort,
      Settings settings) {
    this.api = api;
    this.broker = broker;
    this.core = core;
    this.cpu = cpu;
    this.statistics = statistics;
    this.mqttHost = mqttHost;
    this.mqttPort = mqttPort;
    this.settings = settings;
  }

  /** Registers and connects the devices, then measures; prints progress to {@code System.out}. */
  public Result run() throws Exception {
    List<String> ids = deviceIds();
    Registration.registerAll(api, ids, 16);
    long brokerBefore = broker.memoryUsed();
    long brokerRssBefore = broker.residentBytes();
    long coreBefore = core.residentBytes();
    long heapBefore = usedHeap();
    try (Swarm swarm = new Swarm(swarmSettings(), tracker)) {
      long connectStart = System.nanoTime();
      String failure = null;
      try {
        ConnectWait.await(
            swarm,
            swarm.start(),
            ConnectWait.budget(settings.devices(), settings.connectsPerSecond()));
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        // Every device has tried once when start() completes: report how many made it.
        failure = String.valueOf(e.getCause() == null ? e : e.getCause());
      }
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      // The core takes the swarm's presence events and first polls: the idle window starts once
      // it has worked through them (the statistics lag by a few seconds).
      Thread.sleep(5_000);
      long backlog = broker.awaitDrained(CORE_QUEUES, Duration.ofMinutes(2));
      if (backlog > 0) {
        log("%d messages still in the core's queues after 2 minutes; going on", backlog);
      }
      Thread.sleep(5_000);
      int connected = swarm.stats().snapshot().online();
      long brokerBytes = broker.memoryUsed();
      long brokerRss = broker.residentBytes();
      long coreBytes = core.residentBytes();
      CpuMeter.Sample idleStart = cpu.sample();
      Thread.sleep(settings.idleWindow().toMillis());
      CpuUsage idleCpu = cpu.between(idleStart, cpu.sample(), 0);
      Idle idle =
          new Idle(
              connected,
              swarm.stats().snapshot().connectFailures(),
              connectSeconds,
              brokerBytes < 0 || brokerBefore < 0
                  ? null
                  : perDevice(brokerBytes - brokerBefore, connected),
              perDevice(brokerRss - brokerRssBefore, connected),
              perDevice(coreBytes - coreBefore, connected),
              perDevice(usedHeap() - heapBefore, connected),
              brokerBytes,
              brokerRss,
              coreBytes,
              idleCpu);
      log(
          "%d devices connected (%d failed) in %.1f s; idle: broker %s B/device (accounted),"
              + " %.0f B/device (resident), core %.0f B/device, swarm %.0f B/device; broker CPU"
              + " %.1f %% of a core",
          connected,
          idle.connectFailures(),
          connectSeconds,
          idle.brokerBytesPerDevice() == null
              ? "–"
              : String.format(Locale.ROOT, "%.0f", idle.brokerBytesPerDevice()),
          idle.brokerResidentBytesPerDevice(),
          idle.coreBytesPerDevice(),
          idle.swarmBytesPerDevice(),
          idleCpu.process(SystemProcesses.BROKER).map(CpuUsage.Process::percentOfCore).orElse(0.0));
      if (connected < ids.size()) {
        String why =
            "%d of %d devices connected (first failure: %s); load steps not run"
                .formatted(connected, ids.size(), failure);
        log("%s", why);
        return new Result(settings.protocol(), ids.size(), 0, idle, null, List.of(), why);
      }
      int inFlight = Math.min(settings.inFlight(), ids.size());
      JitWarmUp.Outcome warm =
          JitWarmUp.run(
              cpu,
              settings.warmUp(),
              settings.warmUpMax(),
              length -> closedLoop(ids, inFlight, length));
      log("warm-up done: %s", warm);
      statistics.refresh();
      Step max = closedLoop(ids, inFlight, settings.measure());
      log("closed loop, %d in flight: %s", inFlight, describe(max));
      List<Step> steps = new ArrayList<>();
      for (double fraction : settings.loadFractions()) {
        double rate = Math.max(1, fraction * max.lifecyclesPerSecond());
        Step step = openLoop(ids, rate, settings.measure());
        log("open loop at %.0f%% (%.0f/s): %s", fraction * 100, rate, describe(step));
        steps.add(step);
      }
      if (firstError.get() != null) {
        log("first POST error: %s", firstError.get());
      }
      return new Result(settings.protocol(), ids.size(), inFlight, idle, max, steps, null);
    }
  }

  private SwarmSettings swarmSettings() {
    return SwarmSettings.of(mqttHost, mqttPort, settings.devicePrefix(), settings.devices())
        .withProtocol(settings.protocol())
        .withPolling(settings.devicePollInterval(), Duration.ofSeconds(5))
        .withConnections(settings.localAddresses(), settings.connectsPerSecond());
  }

  private List<String> deviceIds() {
    List<String> ids = new ArrayList<>(settings.devices());
    for (int i = 0; i < settings.devices(); i++) {
      ids.add(settings.devicePrefix() + "-" + i);
    }
    return ids;
  }

  /** {@code inFlight} workers, each POSTing to an idle device and waiting for the commit. */
  private Step closedLoop(List<String> ids, int inFlight, Duration length) throws Exception {
    List<String> shuffled = new ArrayList<>(ids);
    Collections.shuffle(shuffled);
    BlockingQueue<String> idle = new ArrayBlockingQueue<>(shuffled.size(), false, shuffled);
    long errorsBefore = postErrors.get();
    tracker.reset();
    long completedBefore = tracker.completed();
    CpuMeter.Sample cpuStart = cpu.sample();
    long start = System.nanoTime();
    long end = start + length.toNanos();
    AtomicLong posted = new AtomicLong();
    AtomicLong unfinished = new AtomicLong();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < inFlight; w++) {
        workers.execute(
            () -> {
              while (System.nanoTime() < end) {
                String device;
                try {
                  device = idle.take();
                } catch (InterruptedException e) {
                  return;
                }
                long due = System.nanoTime();
                CompletableFuture<Void> done = post(device, due);
                posted.incrementAndGet();
                try {
                  done.get(DRAIN.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                  unfinished.incrementAndGet();
                } catch (Exception e) {
                  // A failed POST completed exceptionally and was counted there.
                }
                idle.add(device);
              }
            });
      }
    }
    CpuMeter.Sample cpuEnd = cpu.sample();
    double seconds = (System.nanoTime() - start) / 1e9;
    long completed = tracker.completed() - completedBefore;
    TaskTracker.Window window = tracker.takeWindow();
    return step(
        "closed",
        posted.get() / seconds,
        completed / seconds,
        posted.get(),
        unfinished.get(),
        postErrors.get() - errorsBefore,
        window,
        cpu.between(cpuStart, cpuEnd, completed));
  }

  /** POSTs at a fixed rate, round robin over the devices, then waits for the step to drain. */
  private Step openLoop(List<String> ids, double rate, Duration length) throws Exception {
    long errorsBefore = postErrors.get();
    tracker.reset();
    long completedBefore = tracker.completed();
    long interval = (long) (1e9 / rate);
    CpuMeter.Sample cpuStart = cpu.sample();
    long start = System.nanoTime();
    long end = start + length.toNanos();
    List<CompletableFuture<Void>> dones = new ArrayList<>();
    long completedInWindow;
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      int offset = (int) (Math.random() * ids.size());
      for (long i = 0; ; i++) {
        long due = start + i * interval;
        if (due >= end) {
          break;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        String device = ids.get((int) ((offset + i) % ids.size()));
        CompletableFuture<Void> done = new CompletableFuture<>();
        dones.add(done);
        senders.execute(
            () ->
                post(device, due)
                    .whenComplete(
                        (ok, failure) -> {
                          if (failure == null) {
                            done.complete(null);
                          } else {
                            done.completeExceptionally(failure);
                          }
                        }));
      }
      completedInWindow = tracker.completed() - completedBefore;
      CpuUsage stepCpu = cpu.between(cpuStart, cpu.sample(), completedInWindow);
      long unfinished = drain(dones);
      double seconds = length.toNanos() / 1e9;
      TaskTracker.Window window = tracker.takeWindow();
      return step(
          "open",
          dones.size() / seconds,
          completedInWindow / seconds,
          dones.size(),
          unfinished,
          postErrors.get() - errorsBefore,
          window,
          stepCpu);
    }
  }

  /** POSTs one task due at {@code due}; the future completes when its device got the commit. */
  private CompletableFuture<Void> post(String device, long due) {
    UUID id;
    try {
      id = api.createTask(device, METHOD, TTL_SECONDS, PAYLOAD);
    } catch (Exception e) {
      postErrors.incrementAndGet();
      firstError.compareAndSet(null, e.toString());
      return CompletableFuture.failedFuture(e);
    }
    TaskTracker.Times times = tracker.posted(id, due, System.nanoTime());
    if (sampleNow()) {
      Thread.ofVirtual().start(() -> pollUntilDone(id, due));
    }
    return times.done;
  }

  /** At most {@code doneSamplesPerSecond} tasks a second are polled until they end. */
  private boolean sampleNow() {
    long now = System.nanoTime();
    long next = nextSample.get();
    return now >= next
        && nextSample.compareAndSet(next, now + 1_000_000_000L / settings.doneSamplesPerSecond());
  }

  private void pollUntilDone(UUID id, long due) {
    long giveUp = System.nanoTime() + DRAIN.toNanos();
    try {
      while (System.nanoTime() < giveUp) {
        Thread.sleep(settings.donePollInterval());
        String status = api.status(id);
        if (status.equals("DONE") || status.equals("FAILED")) {
          tracker.seenDone(due, System.nanoTime());
          return;
        }
      }
    } catch (Exception e) {
      firstError.compareAndSet(null, "polling " + id + ": " + e);
    }
  }

  private static long drain(List<CompletableFuture<Void>> dones) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    for (CompletableFuture<Void> done : dones) {
      long left = deadline - System.nanoTime();
      try {
        done.get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        // counted below
      }
    }
    return dones.stream().filter(d -> !d.isDone() || d.isCompletedExceptionally()).count();
  }

  private static Step step(
      String mode,
      double offered,
      double completed,
      long posted,
      long unfinished,
      long errors,
      TaskTracker.Window w,
      CpuUsage cpu) {
    return new Step(
        mode,
        round(offered),
        round(completed),
        posted,
        unfinished,
        errors,
        w.accepted(),
        w.triggered(),
        w.payload(),
        w.committed(),
        w.done(),
        cpu);
  }

  private static String describe(Step s) {
    return String.format(
        java.util.Locale.ROOT,
        "%.0f lifecycles/s (offered %.0f/s, %d posted, %d unfinished, %d errors)%n"
            + "      POST->202     %s%n      POST->payload %s%n      POST->cmt     %s%n"
            + "      POST->DONE    %s (polled)%n      CPU/lifecycle %s",
        s.lifecyclesPerSecond(),
        s.offeredPerSecond(),
        s.posted(),
        s.unfinished(),
        s.postErrors(),
        s.accepted(),
        s.toPayload(),
        s.toCommit(),
        s.toDone(),
        cpuLine(s.cpu()));
  }

  private static String cpuLine(CpuUsage cpu) {
    StringBuilder line = new StringBuilder();
    for (CpuUsage.Process p : cpu.processes()) {
      line.append(
          String.format(
              java.util.Locale.ROOT,
              "%s %s ms, ",
              p.name(),
              p.msPerUnit() == null
                  ? "-"
                  : String.format(java.util.Locale.ROOT, "%.2f", p.msPerUnit())));
    }
    Double system = cpu.system().msPerUnit();
    return line.append(
            String.format(
                java.util.Locale.ROOT,
                "system %s ms",
                system == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", system)))
        .toString();
  }

  private static double perDevice(long bytes, int devices) {
    return devices == 0 ? 0 : Math.round((double) bytes / devices);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  static void log(String format, @Nullable Object... args) {
    System.out.printf(java.util.Locale.ROOT, "  " + format + "%n", args);
  }
}
