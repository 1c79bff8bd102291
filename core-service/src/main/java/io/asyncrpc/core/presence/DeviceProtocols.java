package io.asyncrpc.core.presence;

import io.asyncrpc.protocol.ProtocolVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records the protocol version each device declares on its requests ({@code protocol=2}, or none
 * for v1) in the device registry, where pushes look it up and the API shows it. A device that goes
 * back to v1 firmware is v1 again with its first request.
 */
@Service
public class DeviceProtocols {

  private static final Logger log = LoggerFactory.getLogger(DeviceProtocols.class);

  private final PresenceRepository devices;
  private final MeterRegistry meters;

  // Only a cache of what this instance last wrote or confirmed, never the truth; bounded by the
  // number of registered devices.
  private final Map<String, ProtocolVersion> recorded = new ConcurrentHashMap<>();

  DeviceProtocols(PresenceRepository devices, MeterRegistry meters) {
    this.devices = devices;
    this.meters = meters;
  }

  /** Records that {@code device} declared {@code version}; a repeat costs nothing. */
  public void declared(String device, ProtocolVersion version) {
    if (recorded.get(device) == version) {
      return;
    }
    if (devices.declare(device, version.number())) {
      meters.counter("iot.device.protocol.changes", "to", "v" + version.number()).increment();
      log.info("Device {} declared protocol v{}", device, version.number());
    }
    // Cached only once the write is committed: a rolled-back batch must not hide it.
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              recorded.put(device, version);
            }
          });
    } else {
      recorded.put(device, version);
    }
  }
}
