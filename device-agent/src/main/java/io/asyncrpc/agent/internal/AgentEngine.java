package io.asyncrpc.agent.internal;

import io.asyncrpc.agent.AgentListener;
import io.asyncrpc.agent.EventOutcome;
import io.asyncrpc.agent.ProgressReporter;
import io.asyncrpc.agent.Task;
import io.asyncrpc.agent.TaskResult;
import io.asyncrpc.protocol.CancelOutcome;
import io.asyncrpc.protocol.DeviceBound;
import io.asyncrpc.protocol.DeviceCodec;
import io.asyncrpc.protocol.DeviceEvent;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProgressReport;
import io.asyncrpc.protocol.ProtocolError;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.StatusCodes;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.WireMessage;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The device side of the protocol: triggers, polls, task execution, results until committed; in v2
 * also pushed tasks and the next task carried by a commit; device events through its {@link
 * EventPublisher}.
 *
 * <p>All state lives on one event thread (the {@code events} executor); handlers run on {@code
 * workers} and hand their result back to it. One task runs at a time; tasks handed out meanwhile
 * (answered, pushed, or the next of a commit) wait in a local queue, triggers that arrive meanwhile
 * are requested by id afterwards.
 *
 * <p>A v2 cancel ({@code cnl}) of the running task interrupts its handler; the answer ({@code cna})
 * waits until the handler has ended, so {@code stopped} means it did stop.
 */
final class AgentEngine implements Inbound {

  private static final System.Logger LOG = System.getLogger(AgentEngine.class.getName());
  private static final ProtocolJson JSON = new ProtocolJson();

  private final DeviceCodec codec;
  private final ResultJournal journal;
  private final TaskExecution execution;
  private final Outbound outbound;
  private final ScheduledExecutorService events;
  private final ExecutorService workers;
  private final AgentListener listener;
  private final Duration pollInterval;
  private final Duration resultRetryInterval;
  private final boolean acknowledgeTriggers;
  private final EventPublisher eventPublisher;

  private final Deque<Task> queued = new ArrayDeque<>();
  private final SequencedSet<UUID> remembered = new LinkedHashSet<>();
  private final Map<UUID, ScheduledFuture<?>> retries = new HashMap<>();

  /** Tasks stopped by a cancel: never run again, a repeated cancel answered the same. */
  private final SequencedSet<UUID> stopped = new LinkedHashSet<>();

  /** Cancel answers not sent for want of a connection, sent on the next connect. */
  private final Map<UUID, CancelOutcome> unsentCancelAnswers = new HashMap<>();

  private @Nullable RunningTask running;
  private @Nullable ScheduledFuture<?> pollTimer;
  private boolean closed;

  AgentEngine(
      AgentConfig config,
      ResultJournal journal,
      Outbound outbound,
      ScheduledExecutorService events,
      ExecutorService workers) {
    this.codec = new DeviceCodec(config.deviceId(), config.protocol(), JSON);
    this.journal = journal;
    this.execution = new TaskExecution(config.handlers(), config.fallbackHandler());
    this.outbound = outbound;
    this.events = events;
    this.workers = workers;
    this.listener = config.listener();
    this.pollInterval = config.pollInterval();
    this.resultRetryInterval = config.resultRetryInterval();
    this.acknowledgeTriggers = config.acknowledgeTriggers();
    this.eventPublisher =
        new EventPublisher(
            codec,
            outbound,
            events,
            workers,
            config.resultRetryInterval(),
            config.eventAttempts(),
            config.eventQueueCapacity());
  }

  /**
   * Publishes a device event and completes with the core's answer; any thread. See {@link
   * io.asyncrpc.agent.DeviceAgent#publishEvent}.
   */
  CompletableFuture<EventOutcome> publishEvent(DeviceEvent event, @Nullable String payloadJson) {
    return eventPublisher.publish(event, payloadJson);
  }

  /** How many events wait for their answer or for a connection; call on the event thread. */
  int eventsWaiting() {
    return eventPublisher.waiting();
  }

  /** Starts the poll timer; call on the event thread. */
  void start() {
    long period = pollInterval.toMillis();
    pollTimer = events.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
  }

  /** Stops timers and forgets local work; call on the event thread. */
  void close() {
    closed = true;
    if (pollTimer != null) {
      pollTimer.cancel(false);
    }
    retries.values().forEach(retry -> retry.cancel(false));
    retries.clear();
    eventPublisher.close();
    journal.close();
  }

  @Override
  public void onConnected() {
    if (closed) {
      return;
    }
    LOG.log(Level.INFO, "connected and subscribed");
    notifyListener(AgentListener::connected);
    // Results the core has not committed (lost cmt, or left over from before a restart).
    journal.pending().forEach(this::sendResult);
    Map.copyOf(unsentCancelAnswers).forEach(this::answerCancel);
    eventPublisher.onConnected();
    poll();
  }

  @Override
  public void onDisconnected(Throwable cause) {
    notifyListener(l -> l.disconnected(cause));
  }

  @Override
  public void onMessage(WireMessage wire) {
    if (closed) {
      return;
    }
    switch (codec.decode(wire)) {
      case DeviceBound.Trigger trigger -> onTrigger(trigger);
      case DeviceBound.Response response -> onResponse(response);
      case DeviceBound.Commit commit -> onCommit(commit);
      case DeviceBound.Error error -> onError(error);
      case DeviceBound.EventAnswer answer -> eventPublisher.onAnswer(answer, wire);
      case DeviceBound.Cancel cancel -> onCancel(cancel.taskId());
      case DeviceBound.Invalid invalid ->
          LOG.log(Level.WARNING, "ignoring message: " + invalid.reason());
    }
  }

  private void onTrigger(DeviceBound.Trigger trigger) {
    UUID id = trigger.taskId();
    if (TaskIds.ZERO.equals(id) || isKnown(id)) {
      LOG.log(Level.DEBUG, "ignoring trigger of known task " + id);
      return;
    }
    LOG.log(Level.INFO, "trigger " + id + " (" + trigger.methodCode() + ")");
    if (acknowledgeTriggers) {
      outbound.send(codec.ack(id));
    }
    if (isIdle()) {
      outbound.send(codec.request(id));
    } else {
      // Busy: request it by id when the current work is done (the FIFO poll would find it too).
      remembered.add(id);
    }
  }

  /** A task handed to this device: the answer to a request, a v2 push, or a v2 commit's next. */
  private void onResponse(DeviceBound.Response response) {
    UUID id = response.taskId();
    if (TaskIds.ZERO.equals(id)) {
      LOG.log(Level.DEBUG, "no task (status " + response.statusCode() + ")");
      return;
    }
    remembered.remove(id);
    if (response.statusCode() != -1 && response.statusCode() != StatusCodes.OK) {
      LOG.log(Level.INFO, "core answered " + response.statusCode() + " for task " + id);
      return;
    }
    if (isQueuedOrRunning(id)) {
      LOG.log(Level.DEBUG, "task " + id + " is already running or queued");
      return;
    }
    if (stopped.contains(id)) {
      LOG.log(Level.INFO, "task " + id + " was stopped by a cancel, not running it again");
      return;
    }
    Optional<JournalEntry> finished = journal.find(id);
    if (finished.isPresent()) {
      // Re-delivery of a task this device finished: never run it twice, answer the same way.
      LOG.log(Level.INFO, "task " + id + " already finished, sending its result again");
      journal.reopen(id);
      notifyListener(l -> l.resultResent(id));
      sendResult(journal.find(id).orElseThrow());
      return;
    }
    String payload = response.payload().isEmpty() ? "null" : response.payload();
    Task task =
        new Task(
            id,
            response.methodCode() == null ? "" : response.methodCode(),
            response.attempt(),
            payload,
            response.deadline(),
            response.externalId());
    queued.add(task);
    runNext();
  }

  private void onCommit(DeviceBound.Commit commit) {
    UUID id = commit.taskId();
    cancelRetry(id);
    if (journal.commit(id)) {
      LOG.log(Level.INFO, "task " + id + " committed (result " + commit.resultId() + ")");
      notifyListener(l -> l.resultCommitted(id, commit.resultId()));
    } else {
      LOG.log(Level.DEBUG, "commit of task " + id + " that is not pending");
    }
    if (commit.version() != ProtocolVersion.V2) {
      poll();
    } else if (commit.next() != null) {
      // v2: the next task comes with the commit, already locked for this device.
      onResponse(commit.next());
    }
    // A v2 commit without a next task: nothing waits, the core pushes when work arrives.
  }

  private void onError(DeviceBound.Error error) {
    UUID id = error.taskId();
    LOG.log(
        Level.WARNING,
        "core refused "
            + (error.refusedTopic() == null ? "a message" : error.refusedTopic())
            + " about task "
            + id
            + ": "
            + error.errorCode()
            + (error.message().isEmpty() ? "" : " (" + error.message() + ")"));
    notifyListener(l -> l.errorReceived(id, error.errorCode(), error.message()));
    if (id == null) {
      return;
    }
    remembered.remove(id);
    boolean aboutResult =
        error.refusedTopic() == null
            || error.refusedTopic().endsWith("/" + MessageKind.RESULT.suffix());
    boolean retryable = ProtocolError.TASK_LOCKED.code().equals(error.errorCode());
    if (aboutResult && !retryable && journal.commit(id)) {
      // The core will never take this result (task finished, unknown, expired...): stop resending.
      cancelRetry(id);
      LOG.log(Level.WARNING, "dropping the result of task " + id + ": " + error.errorCode());
      poll();
    }
  }

  /** {@code cnl} (v2): stop the task's handler if it runs, and say what was done. */
  private void onCancel(UUID id) {
    if (codec.version() != ProtocolVersion.V2) {
      // A v1 device is never sent a cancel; one arriving anyway is not for this agent to answer.
      LOG.log(Level.DEBUG, "v1 agent ignoring cancel of " + id);
      return;
    }
    LOG.log(Level.INFO, "core cancelled task " + id);
    if (running != null && running.task().id().equals(id)) {
      if (!running.cancel()) {
        // The handler returned before the cancel: its result is on the way to the core.
        answerCancel(id, CancelOutcome.FINISHED);
      }
      // Otherwise the handler is interrupted; onFinished answers once it has ended.
      return;
    }
    if (queued.removeIf(task -> task.id().equals(id))) {
      // Handed out but never started: nothing will run, no result follows.
      remember(stopped, id);
      answerCancel(id, CancelOutcome.STOPPED);
      runNext();
      return;
    }
    if (stopped.contains(id)) {
      answerCancel(id, CancelOutcome.STOPPED);
    } else if (journal.find(id).isPresent()) {
      answerCancel(id, CancelOutcome.FINISHED);
    } else {
      answerCancel(id, CancelOutcome.UNKNOWN);
    }
  }

  private void answerCancel(UUID id, CancelOutcome outcome) {
    if (!outbound.isConnected()) {
      unsentCancelAnswers.put(id, outcome);
      return;
    }
    unsentCancelAnswers.remove(id);
    LOG.log(Level.INFO, "answering the cancel of task " + id + ": " + outcome.code());
    outbound.send(codec.cancelAnswer(id, outcome));
    notifyListener(l -> l.taskCancelled(id, outcome));
  }

  private static void remember(SequencedSet<UUID> ids, UUID id) {
    ids.add(id);
    if (ids.size() > 1000) {
      ids.removeFirst();
    }
  }

  private void runNext() {
    if (running != null || queued.isEmpty()) {
      return;
    }
    Task task = queued.poll();
    RunningTask run = new RunningTask(task);
    running = run;
    LOG.log(Level.INFO, "running task " + task.id() + " (" + task.methodCode() + ")");
    notifyListener(l -> l.taskReceived(task));
    try {
      ProgressReporter progress = progressOf(run);
      workers.execute(
          () -> {
            @Nullable TaskResult result = run.start() ? execution.run(task, progress) : null;
            boolean cancelled = run.finish();
            try {
              events.execute(() -> onFinished(run, result, cancelled));
            } catch (RejectedExecutionException closing) {
              LOG.log(Level.DEBUG, "agent closed before task " + task.id() + " finished");
            }
          });
    } catch (RejectedExecutionException closing) {
      running = null;
    }
  }

  /**
   * A reporter for {@code run}, also its view of a cancel: checks the report on the handler's
   * thread (a bad one throws there), then sends it from the event thread while the task still runs
   * and the agent is connected.
   */
  private ProgressReporter progressOf(RunningTask run) {
    return new ProgressReporter() {
      @Override
      public void report(
          @Nullable Integer percent, @Nullable String message, @Nullable String detailsJson) {
        reportProgress(run, percent, message, detailsJson);
      }

      @Override
      public boolean isCancelled() {
        return run.isCancelled();
      }
    };
  }

  private void reportProgress(
      RunningTask run,
      @Nullable Integer percent,
      @Nullable String message,
      @Nullable String detailsJson) {
    Task task = run.task();
    ProgressReport report =
        new ProgressReport(percent, message, detailsJson == null ? null : Json.object(detailsJson));
    WireMessage wire = codec.progress(task.id(), report);
    if (wire.payload().length > ProtocolLimits.MAX_PROGRESS_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "a progress report is at most " + ProtocolLimits.MAX_PROGRESS_PAYLOAD_BYTES + " bytes");
    }
    try {
      events.execute(
          () -> {
            if (!closed && running == run && outbound.isConnected()) {
              outbound.send(wire);
            }
          });
    } catch (RejectedExecutionException closing) {
      LOG.log(Level.DEBUG, "agent closed, progress of task " + task.id() + " dropped");
    }
  }

  /**
   * The handler of {@code run} ended with {@code result} ({@code null}: cancelled before it
   * started); {@code cancelled} when the core's cancel came before it returned.
   */
  private void onFinished(RunningTask run, @Nullable TaskResult result, boolean cancelled) {
    if (closed) {
      return;
    }
    running = null;
    Task task = run.task();
    // No result: cancelled before it started (start() false implies finish() true), a stop too.
    if (result == null || (cancelled && !result.isSuccess())) {
      // Stopped: the handler gave up (interrupted, threw, or failed). The task is CANCELLED at the
      // core, so no result is sent for it.
      LOG.log(Level.INFO, "task " + task.id() + " stopped by its cancel");
      remember(stopped, task.id());
      answerCancel(task.id(), CancelOutcome.STOPPED);
      afterTask();
      // No commit follows a cancel, so no next task comes with one: ask for the FIFO's head.
      poll();
      return;
    }
    JournalEntry entry =
        new JournalEntry(task.id(), result.statusCode(), task.externalId(), result.body(), false);
    journal.recordResult(entry);
    LOG.log(Level.INFO, "task " + task.id() + " done with status " + result.statusCode());
    notifyListener(l -> l.taskDone(task, result));
    sendResult(entry);
    if (cancelled) {
      // The handler finished its work despite the cancel: say so; the core refuses the result.
      answerCancel(task.id(), CancelOutcome.FINISHED);
    }
    afterTask();
  }

  private void afterTask() {
    runNext();
    if (isIdle() && !remembered.isEmpty()) {
      poll();
    }
  }

  /** Sends a result now if connected, and keeps resending it until it is committed. */
  private void sendResult(JournalEntry entry) {
    if (outbound.isConnected()) {
      outbound.send(
          codec.result(entry.taskId(), entry.statusCode(), entry.externalId(), entry.result()));
    }
    cancelRetry(entry.taskId());
    retries.put(
        entry.taskId(),
        events.schedule(
            () -> retryResult(entry.taskId()),
            resultRetryInterval.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private void retryResult(UUID taskId) {
    retries.remove(taskId);
    if (closed) {
      return;
    }
    journal
        .find(taskId)
        .filter(entry -> !entry.committed())
        .ifPresent(
            entry -> {
              LOG.log(
                  Level.INFO, "no commit for task " + taskId + " yet, sending its result again");
              sendResult(entry);
            });
  }

  private void cancelRetry(UUID taskId) {
    ScheduledFuture<?> retry = retries.remove(taskId);
    if (retry != null) {
      retry.cancel(false);
    }
  }

  /** Asks for work while idle: a remembered trigger by id, otherwise the head of the FIFO. */
  private void poll() {
    if (closed || !outbound.isConnected() || !isIdle()) {
      return;
    }
    UUID next = TaskIds.ZERO;
    while (!remembered.isEmpty()) {
      UUID candidate = remembered.removeFirst();
      if (!isKnown(candidate)) {
        next = candidate;
        break;
      }
    }
    LOG.log(Level.DEBUG, "requesting " + next);
    outbound.send(codec.request(next));
  }

  private boolean isIdle() {
    return running == null && queued.isEmpty();
  }

  private boolean isQueuedOrRunning(UUID id) {
    return (running != null && running.task().id().equals(id))
        || queued.stream().anyMatch(task -> task.id().equals(id));
  }

  private boolean isKnown(UUID id) {
    return isQueuedOrRunning(id) || stopped.contains(id) || journal.find(id).isPresent();
  }

  private void notifyListener(Consumer<AgentListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "agent listener failed", e);
    }
  }
}
