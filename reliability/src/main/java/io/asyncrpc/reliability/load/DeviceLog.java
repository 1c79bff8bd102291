package io.asyncrpc.reliability.load;

import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.reliability.history.DeviceObservation;
import io.asyncrpc.reliability.history.DeviceObservation.Kind;
import io.asyncrpc.swarm.SwarmListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/** The devices' logs: every task received, result sent and commit received, with its time. */
public final class DeviceLog implements SwarmListener {

  private final ConcurrentLinkedQueue<DeviceObservation> observations =
      new ConcurrentLinkedQueue<>();
  private final Set<UUID> committed = ConcurrentHashMap.newKeySet();

  @Override
  public void messageReceived(
      String deviceId,
      MessageKind kind,
      @Nullable UUID taskId,
      Map<String, String> properties,
      long nanoTime) {
    if (taskId == null) {
      return;
    }
    switch (kind) {
      case RESPONSE -> {
        String attempt = properties.get(UserProperties.ATTEMPT);
        if (attempt != null) { // the no-task answer has none
          observations.add(
              new DeviceObservation(
                  deviceId, Kind.RECEIVED, taskId, Integer.parseInt(attempt), null, Instant.now()));
        }
      }
      case COMMIT -> {
        String resultId = properties.get(UserProperties.RESULT_ID);
        observations.add(
            new DeviceObservation(
                deviceId,
                Kind.COMMITTED,
                taskId,
                0,
                resultId == null ? null : UUID.fromString(resultId),
                Instant.now()));
        committed.add(taskId);
      }
      default -> {}
    }
  }

  @Override
  public void resultSent(String deviceId, UUID taskId, int statusCode, long nanoTime) {
    observations.add(
        new DeviceObservation(deviceId, Kind.RESULT_SENT, taskId, 0, null, Instant.now()));
  }

  /** Whether a device received the commit of {@code taskId}. */
  public boolean committed(UUID taskId) {
    return committed.contains(taskId);
  }

  public List<DeviceObservation> observations() {
    return List.copyOf(observations);
  }
}
