package io.asyncrpc.core.presence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauge {@code iot.devices.online}: registered devices with an open MQTT connection, as the
 * broker's connection events recorded them in {@code devices.online}.
 *
 * <p>Counted from the database every {@code iot.gauges.refresh-interval} rather than kept in
 * memory: connection events are shared among core instances, so no instance sees them all. Take the
 * maximum across instances, not the sum. NaN while the database cannot be read.
 */
@Component
class OnlineDevices {

  private static final Logger log = LoggerFactory.getLogger(OnlineDevices.class);

  private final JdbcClient jdbc;
  private final AtomicReference<Double> online = new AtomicReference<>(Double.NaN);

  OnlineDevices(JdbcClient jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    Gauge.builder("iot.devices.online", online, AtomicReference::get)
        .description("Registered devices with an open MQTT connection")
        .register(meters);
  }

  @Scheduled(fixedDelayString = "${iot.gauges.refresh-interval:10s}")
  void refresh() {
    try {
      online.set(
          jdbc.sql("SELECT count(*) FROM devices WHERE online")
              .query(Long.class)
              .single()
              .doubleValue());
    } catch (DataAccessException e) {
      online.set(Double.NaN);
      log.debug("Online devices not counted: {}", e.toString());
    }
  }
}
