package io.asyncrpc.core.presence;

import io.asyncrpc.core.CoreProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Whether a device is registered, and its {@code last_seen_at} written behind: a device confirmed
 * registered within {@link #RECHECK} is only noted as heard from, and every {@code
 * iot.core.last-seen-throttle} the devices heard from are written in one statement per {@link
 * #BATCH}. Before, every message of a device not heard from for the throttle period cost a
 * statement and a commit of its own: in a fleet where each device sends now and then, one per task.
 *
 * <p>Only a throttle, never the truth: {@code last_seen_at} lags by at most one period, and what
 * waits when the instance stops is written then (or lost with a crash, as a sign of life only).
 */
@Component
class LastSeenWriter implements SchedulingConfigurer, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(LastSeenWriter.class);

  /**
   * How long a confirmed registration is trusted. Devices leave the registry only by being deleted
   * (a certificate is revoked at the broker, which then refuses the device), so this only bounds
   * how long a deleted device's messages are taken as registered.
   */
  static final Duration RECHECK = Duration.ofMinutes(10);

  /** Most devices one statement writes. */
  static final int BATCH = 1000;

  private final PresenceRepository devices;
  private final Duration period;

  // Bounded by the number of registered devices.
  private final Map<String, Instant> confirmed = new ConcurrentHashMap<>();
  private final Map<String, Instant> heard = new ConcurrentHashMap<>();

  LastSeenWriter(PresenceRepository devices, CoreProperties properties) {
    this.devices = devices;
    this.period = properties.lastSeenThrottle();
  }

  /**
   * Records that a message came from {@code device} now: written behind when its registration is
   * known, else at once, with the registration read by the same statement.
   *
   * @return whether the device is registered
   */
  boolean seen(String device) {
    Instant now = Instant.now();
    Instant since = confirmed.get(device);
    if (since != null && since.plus(RECHECK).isAfter(now)) {
      heard.merge(device, now, LastSeenWriter::later);
      return true;
    }
    if (devices.seen(device)) {
      confirmed.put(device, now);
      return true;
    }
    confirmed.remove(device);
    return false;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(this::write, period);
  }

  /** Writes what was heard since the last write; the number of devices written. */
  int write() {
    List<Map.Entry<String, Instant>> taken = new ArrayList<>();
    for (String device : heard.keySet()) {
      Instant at = heard.remove(device);
      if (at != null) {
        taken.add(Map.entry(device, at));
      }
    }
    // One order for every writer, so two core instances never lock the same rows crosswise.
    taken.sort(Map.Entry.comparingByKey());
    int written = 0;
    for (int from = 0; from < taken.size(); from += BATCH) {
      List<Map.Entry<String, Instant>> batch =
          taken.subList(from, Math.min(taken.size(), from + BATCH));
      try {
        written += devices.seenAll(batch);
      } catch (DataAccessException e) {
        // Put back unless heard again since: the next period writes it.
        batch.forEach(
            entry -> heard.merge(entry.getKey(), entry.getValue(), LastSeenWriter::later));
        log.warn(
            "Writing last_seen_at of {} devices failed, next try in {}: {}",
            batch.size(),
            period,
            e.toString());
      }
    }
    return written;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  public void destroy() {
    write();
  }
}
