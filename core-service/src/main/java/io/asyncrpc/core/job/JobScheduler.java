package io.asyncrpc.core.job;

import io.asyncrpc.core.southbound.TaskDispatch;
import io.asyncrpc.core.task.TaskLifecycle;
import io.asyncrpc.core.task.TaskTrigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The rollout loop: every {@code iot.jobs.interval} it takes one decision on each due job (one that
 * is scheduled or in progress and whose start has come), then offers the executions it created to
 * their devices as a new task is offered (v1 trigger, v2 push). Every core instance runs it; a job
 * another instance is deciding on is skipped.
 */
@Component
class JobScheduler implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

  private final JobRepository jobs;
  private final JobDecisions decisions;
  private final TaskLifecycle lifecycle;
  private final TaskDispatch dispatch;
  private final JobProperties properties;

  JobScheduler(
      JobRepository jobs,
      JobDecisions decisions,
      TaskLifecycle lifecycle,
      TaskDispatch dispatch,
      JobProperties properties) {
    this.jobs = jobs;
    this.decisions = decisions;
    this.lifecycle = lifecycle;
    this.dispatch = dispatch;
    this.properties = properties;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    if (properties.enabled()) {
      registrar.addFixedDelayTask(this::round, properties.interval());
    }
  }

  /** One decision on each due job; the executions created, offered to their devices. */
  List<UUID> round() {
    List<UUID> created = new ArrayList<>();
    List<UUID> due;
    try {
      due = jobs.due(Instant.now(), properties.jobsPerRound());
    } catch (DataAccessException e) {
      log.warn(
          "Could not read the due jobs, next try in {}: {}", properties.interval(), e.toString());
      return created;
    }
    for (UUID job : due) {
      try {
        Decision decision = decisions.decide(job, Instant.now());
        if (!decision.created().isEmpty()) {
          offer(job, decision.created());
          created.addAll(decision.created());
        }
        String status = decision.status();
        if (decision.taken() && status != null && !JobStatus.running(status)) {
          log.info("Job {} is {}", job, status);
        }
      } catch (DataAccessException | TransactionException e) {
        // Nothing of the decision was committed; the next round decides again.
        log.warn("Rollout decision on job {} failed: {}", job, e.toString());
      }
    }
    return created;
  }

  private void offer(UUID job, List<UUID> created) {
    try {
      List<TaskTrigger> waiting = lifecycle.waitingTasks(created);
      dispatch.offerAll(waiting);
    } catch (RuntimeException e) {
      // The executions wait in their devices' FIFOs; the devices' next polls find them.
      log.warn("Could not offer {} executions of job {}: {}", created.size(), job, e.toString());
    }
  }
}
