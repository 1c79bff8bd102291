package io.asyncrpc.reliability.run;

import io.asyncrpc.reliability.history.AcceptedTask;
import io.asyncrpc.reliability.history.CheckResult;
import io.asyncrpc.reliability.history.HistoryChecker;
import io.asyncrpc.reliability.history.HistoryReader;
import io.asyncrpc.reliability.history.WebhookDeliveryCheck;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Runs one {@link Plan}: brings the system up under load, injects its faults at random moments,
 * measures how long each takes to heal, lets the system drain, then checks the whole history.
 */
public final class FaultRun {

  private static final Logger LOG = Logger.getLogger(FaultRun.class.getName());
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(150);
  private static final Set<String> TERMINAL =
      Set.of("DONE", "FAILED", "EXPIRED", "TIMED_OUT", "CANCELLED", "UNREACHABLE");

  /** How long the webhook senders may take, after the tasks drained, to deliver the rest. */
  private static final Duration WEBHOOK_DRAIN = Duration.ofSeconds(120);

  private FaultRun() {}

  /** Runs {@code plan}, with process logs in {@code logDir}, and returns what it saw. */
  public static RunResult run(Plan plan, Path logDir, long seed) {
    Random random = new Random(seed);
    List<Injection> injections = new ArrayList<>();
    Instant started = Instant.now();
    try (SystemUnderTest system = new SystemUnderTest(plan, logDir)) {
      LOG.info(() -> "plan " + plan.name() + " (seed " + seed + "): system up");
      // A fleet job rolls out under the same faults: one execution a second over the load devices,
      // one retry after a time-out; the checker verifies its executions and that it ended.
      UUID job = system.load.createJob(system.loadDevices, 60, 1);
      LOG.info(() -> "job " + job + " over " + system.loadDevices.size() + " devices");
      for (Fault fault : plan.schedule(random)) {
        long pause =
            plan.minPause().toMillis()
                + (long)
                    (random.nextDouble()
                        * (plan.maxPause().toMillis() - plan.minPause().toMillis()));
        Faults.pause(pause);
        injections.add(inject(system, fault));
      }
      system.load.close();
      drain(system);
      HistoryReader reader =
          new HistoryReader(
              system.fixture.jdbcUrl(), system.fixture.dbUser(), system.fixture.dbPassword());
      CheckResult check =
          new HistoryChecker(Duration.ofSeconds(15))
              .check(reader.read(system.load.accepted(), system.deviceLog.observations()));
      WebhookDeliveryCheck deliveries =
          new WebhookDeliveryCheck(
              system.fixture.jdbcUrl(), system.fixture.dbUser(), system.fixture.dbPassword());
      Instant until = Instant.now().plus(WEBHOOK_DRAIN);
      while (!deliveries.settled() && Instant.now().isBefore(until)) {
        Faults.pause(500);
      }
      check = check.with(deliveries.check(system.webhooks.acceptedByTask()));
      LOG.info(
          () ->
              "webhooks: "
                  + system.webhooks.acceptedByTask().size()
                  + " tasks told, "
                  + system.webhooks.refusedOnPurpose()
                  + " requests refused on purpose, "
                  + system.webhooks.badSignatures()
                  + " bad signatures");
      return new RunResult(
          plan,
          seed,
          Duration.between(started, Instant.now()),
          injections,
          system.load.accepted(),
          system.load.refused(),
          check);
    }
  }

  private static Injection inject(SystemUnderTest system, Fault fault) {
    List<AcceptedTask> before = system.load.accepted();
    int inFlight =
        (int) before.stream().filter(a -> !system.deviceLog.committed(a.taskId())).count();
    Instant at = Instant.now();
    system.harmedAt = null;
    LOG.info(() -> "inject: " + fault.name() + " (" + inFlight + " tasks in flight)");
    // The fault runs beside the watch: recovery is measured while it heals (a restart), not
    // after, so a fault the system rides out (one node of a cluster) shows as such.
    CompletableFuture<Optional<UUID>> injected =
        CompletableFuture.supplyAsync(
            () -> fault.inject(system), task -> Thread.ofVirtual().start(task));
    Watch watch = watch(system, injected, at);
    Optional<UUID> marker = injected.join();
    LOG.info(
        () ->
            "recovered from "
                + fault.name()
                + (marker.isPresent() ? " (its task ended)" : "")
                + " in "
                + watch.recovery
                + "; devices back online after "
                + watch.devicesBack);
    // Instances a fault stopped on the side come back (not part of the measured recovery).
    for (ServiceProcess core : system.cores) {
      if (!core.alive()) {
        core.start().awaitHealthy();
      }
    }
    return new Injection(fault.name(), at, inFlight, watch.recovery, watch.devicesBack);
  }

  /** What the watch of one injection saw. */
  private static final class Watch {
    @Nullable Duration recovery;
    @Nullable Duration devicesBack;
  }

  /**
   * Watches the system from the injection on: recovery is when the fault's own task ended, or when
   * a task answered 202 after the fault took effect was committed to its device; devices are back
   * when every device is online again after some lost their connection (zero if none did).
   */
  private static Watch watch(
      SystemUnderTest system, CompletableFuture<Optional<UUID>> injected, Instant at) {
    Watch watch = new Watch();
    int all = system.loadDevices.size() + system.faultDevices.size();
    boolean dropped = false;
    Instant quietSince = null;
    Instant deadline = at.plus(RECOVERY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      Instant now = Instant.now();
      int online = system.swarm.stats().snapshot().online();
      if (online < all) {
        dropped = true;
      } else if (dropped && watch.devicesBack == null) {
        watch.devicesBack = Duration.between(at, now);
      }
      if (watch.recovery == null && recovered(system, injected)) {
        watch.recovery = Duration.between(at, now);
      }
      if (watch.recovery != null && injected.isDone()) {
        if (watch.devicesBack != null) {
          return watch;
        }
        if (!dropped) {
          quietSince = quietSince == null ? now : quietSince;
          if (Duration.between(quietSince, now).toMillis() > 1000) {
            watch.devicesBack = Duration.ZERO;
            return watch;
          }
        }
      }
      Faults.pause(50);
    }
    return watch;
  }

  private static boolean recovered(
      SystemUnderTest system, CompletableFuture<Optional<UUID>> injected) {
    Optional<UUID> marker = injected.isDone() ? injected.join() : Optional.empty();
    if (marker.isPresent()) {
      return system.load.status(marker.get()).filter(TERMINAL::contains).isPresent();
    }
    Instant harmed = system.harmedAt;
    if (harmed == null) {
      return false;
    }
    return system.load.accepted().stream()
        .anyMatch(a -> a.at().isAfter(harmed) && system.deviceLog.committed(a.taskId()));
  }

  /** Waits until no task is open and the outbox is empty, or the drain timeout passes. */
  private static void drain(SystemUnderTest system) {
    HistoryReader reader =
        new HistoryReader(
            system.fixture.jdbcUrl(), system.fixture.dbUser(), system.fixture.dbPassword());
    Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      long[] open = reader.openWork();
      if (open[0] == 0 && open[1] == 0) {
        return;
      }
      Faults.pause(500);
    }
    LOG.warning(
        "work still open after "
            + DRAIN_TIMEOUT
            + ": "
            + java.util.Arrays.toString(reader.openWork()));
  }
}
