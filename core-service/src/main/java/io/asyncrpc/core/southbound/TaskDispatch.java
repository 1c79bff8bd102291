package io.asyncrpc.core.southbound;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.ClaimedTask;
import io.asyncrpc.core.task.PushOutcome;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.core.task.TaskTrigger;
import io.asyncrpc.protocol.ProtocolVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Tells a device that a task waits for it, in the device's protocol: a v1 device gets the trigger
 * ({@code tsk}) and requests the task; a v2 device gets the head of its FIFO pushed with its
 * payload ({@code rsp}), unless it holds a task already or is offline.
 */
@Component
public class TaskDispatch {

  private final TaskLifecycle lifecycle;
  private final DevicePublisher publisher;
  private final boolean presenceTracked;
  private final MeterRegistry meters;

  TaskDispatch(
      TaskLifecycle lifecycle,
      DevicePublisher publisher,
      CoreProperties properties,
      MeterRegistry meters) {
    this.lifecycle = lifecycle;
    this.publisher = publisher;
    this.presenceTracked = properties.presenceEnabled();
    this.meters = meters;
  }

  /**
   * Tells the v2 devices that held the tasks of {@code taskIds}, cancelled by api-service, to stop
   * them ({@code cnl}), all sent together; an offline device gets its cancel from its persistent
   * session when it comes back, unless the deadline passed.
   */
  public void cancelAll(List<java.util.UUID> taskIds) {
    List<Outgoing> cancels =
        lifecycle.unconfirmedCancels(taskIds).stream()
            .flatMap(t -> publisher.cancel(t).stream())
            .toList();
    publisher.sendAll(cancels);
  }

  /** Tells the device of {@code task} that it waits (a new task, or one queued again). */
  public void offer(TaskTrigger task) {
    offerAll(List.of(task));
  }

  /**
   * {@link #offer} for many tasks at once: the v2 claims in one transaction, then every trigger and
   * push sent together with one wait for the broker's confirms; a push the broker could not route
   * is taken back.
   */
  public void offerAll(List<TaskTrigger> waiting) {
    Set<String> v2Devices = new HashSet<>();
    List<TaskTrigger> v1 = new ArrayList<>();
    for (TaskTrigger task : waiting) {
      if (task.protocol() == ProtocolVersion.V2) {
        v2Devices.add(task.deviceId());
      } else {
        v1.add(task);
      }
    }
    Map<String, PushOutcome> claims =
        v2Devices.isEmpty() ? Map.of() : lifecycle.claimPushes(v2Devices, presenceTracked);
    List<Outgoing> out = new ArrayList<>();
    claims.forEach(
        (device, outcome) -> {
          if (outcome instanceof PushOutcome.Pushed(ClaimedTask task)) {
            out.add(publisher.response(task, ProtocolVersion.V2));
          } else {
            meters.counter("iot.task.pushes", "outcome", name(outcome)).increment();
          }
        });
    for (TaskTrigger task : waiting) {
      // A device that declared v1 since its task was read is triggered as a v1 device.
      if (task.protocol() == ProtocolVersion.V1
          || claims.get(task.deviceId()) instanceof PushOutcome.NotV2) {
        publisher.triggerMessage(task).ifPresent(out::add);
      }
    }
    List<Boolean> routed = publisher.sendAll(out);
    for (int i = 0; i < out.size(); i++) {
      Outgoing message = out.get(i);
      if (message.carries() == null) {
        continue;
      }
      boolean delivered = routed.get(i);
      if (!delivered) {
        lifecycle.undeliver(message.carries());
      }
      meters.counter("iot.task.pushes", "outcome", delivered ? "pushed" : "offline").increment();
    }
  }

  private static String name(PushOutcome outcome) {
    return switch (outcome) {
      case PushOutcome.Pushed p -> "pushed";
      case PushOutcome.NothingToPush n -> "nothing";
      case PushOutcome.Offline o -> "offline";
      case PushOutcome.NotV2 v -> "not-v2";
    };
  }
}
