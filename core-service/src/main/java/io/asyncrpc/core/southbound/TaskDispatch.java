package io.asyncrpc.core.southbound;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.ClaimedTask;
import io.asyncrpc.core.task.PushOutcome;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.core.task.TaskTrigger;
import io.asyncrpc.protocol.ProtocolVersion;
import io.micrometer.core.instrument.MeterRegistry;
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

  /** Tells the device of {@code task} that it waits (a new task, or one queued again). */
  public void offer(TaskTrigger task) {
    if (task.protocol() == ProtocolVersion.V2) {
      PushOutcome outcome = lifecycle.claimPush(task.deviceId(), presenceTracked);
      if (outcome instanceof PushOutcome.Pushed(ClaimedTask claimed)) {
        outcome = push(claimed);
      }
      meters.counter("iot.task.pushes", "outcome", name(outcome)).increment();
      if (!(outcome instanceof PushOutcome.NotV2)) {
        return;
      }
      // The device declared v1 since the task was read: it is triggered as a v1 device.
    }
    publisher.trigger(task);
  }

  /**
   * Sends a task locked for a v2 device; one the broker cannot route (the device went offline) is
   * taken back without counting its attempt.
   */
  PushOutcome push(ClaimedTask task) {
    if (publisher.sendResponse(task, ProtocolVersion.V2)) {
      return new PushOutcome.Pushed(task);
    }
    lifecycle.undeliver(task);
    return new PushOutcome.Offline();
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
