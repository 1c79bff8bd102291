package io.asyncrpc.core.job;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the rollout scheduler, prefix {@code iot.jobs}.
 *
 * @param enabled whether this instance takes rollout decisions (any number of instances may)
 * @param interval pause between two rounds of decisions; a rollout's rate is kept over time, the
 *     interval only decides how many executions one decision creates
 * @param batchSize most executions (first ones and retries) one decision creates, in one statement
 * @param jobsPerRound most jobs one round decides on
 * @param maxCatchUp the longest stretch of time a decision makes up for: after a pause (every
 *     instance down, a slow database) the rollout resumes at its rate instead of a burst
 */
@Validated
@ConfigurationProperties("iot.jobs")
public record JobProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("500ms") @NotNull Duration interval,
    @DefaultValue("1000") @Min(1) int batchSize,
    @DefaultValue("100") @Min(1) int jobsPerRound,
    @DefaultValue("5s") @NotNull Duration maxCatchUp) {}
