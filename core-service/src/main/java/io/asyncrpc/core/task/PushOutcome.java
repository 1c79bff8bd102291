package io.asyncrpc.core.task;

/** What an attempt to push the head of a v2 device's FIFO led to. */
public sealed interface PushOutcome {

  /**
   * The task is locked for the device with a lease (committed), to be pushed to it.
   *
   * @param task the task
   */
  record Pushed(ClaimedTask task) implements PushOutcome {}

  /**
   * Nothing to push: the device holds a task already (it comes with that one's commit), or its FIFO
   * is empty.
   */
  record NothingToPush() implements PushOutcome {}

  /**
   * The registry says the device is offline: no task was locked and no attempt counted; it polls
   * when it connects.
   */
  record Offline() implements PushOutcome {}

  /** The device does not speak v2 (any more): it is triggered instead. */
  record NotV2() implements PushOutcome {}
}
