package io.asyncrpc.api.job;

import io.asyncrpc.api.web.StorableText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Creates a job: the same call to many devices.
 *
 * @param targets which devices: {@code device_ids} or {@code tag}
 * @param methodCode what each device is asked to do
 * @param payload each execution's payload; string values may hold {@code {{device.id}}} and {@code
 *     {{device.tags.<key>}}}
 * @param ttl each execution's time to live in seconds, from its creation (its timeout)
 * @param priority 0..9 as for a task
 * @param retries how often an execution that timed out is tried again
 * @param rollout how fast executions are created
 * @param abort when the job stops because too many executions failed
 * @param startAt when the rollout may begin; now when absent
 */
@Schema(name = "CreateJob")
record CreateJobRequest(
    @NotNull(message = "is required") @Valid Targets targets,
    @Schema(example = "firmware.update")
        @NotBlank(message = "is required")
        @Size(max = 100, message = "must be at most 100 characters")
        @StorableText
        String methodCode,
    @Schema(
            type = "object",
            example = "{\"url\":\"https://fw.example/7.2.bin\",\"device\":\"{{device.id}}\"}")
        @NotNull(message = "is required")
        JsonNode payload,
    @Schema(example = "3600")
        @Min(value = 1, message = "must be between 1 and 2592000")
        @Max(value = 2_592_000, message = "must be between 1 and 2592000")
        @Nullable Integer ttl,
    @Schema(example = "5")
        @Min(value = 0, message = "must be between 0 and 9")
        @Max(value = 9, message = "must be between 0 and 9")
        @Nullable Integer priority,
    @Min(value = 0, message = "must be between 0 and 10")
        @Max(value = 10, message = "must be between 0 and 10")
        @Nullable Integer retries,
    @Valid @Nullable Rollout rollout,
    @Size(max = 5, message = "must hold at most 5 criteria") @Valid
        @Nullable List<AbortCriterion> abort,
    @Nullable Instant startAt) {

  /**
   * The devices of a job: an explicit list, or every device of the tenant with a tag (the devices
   * that have it at creation, or also those that get it later while the job runs).
   *
   * @param deviceIds explicit device ids
   * @param tag a selector {@code key:value}
   * @param continuous with a tag: devices that gain it while the job runs get the job too
   */
  record Targets(
      @Size(min = 1, max = 10_000, message = "must hold 1 to 10000 device ids")
          @Nullable List<String> deviceIds,
      @Schema(example = "ring:canary") @Nullable String tag,
      @Nullable Boolean continuous) {}

  /**
   * The rollout: either a fixed rate, or an exponential one that grows by {@code incrementFactor}
   * after every {@code increaseAfterNotified} executions created (or {@code increaseAfterSucceeded}
   * succeeded), up to {@code maxPerMinute}.
   */
  record Rollout(
      @Min(value = 1, message = "must be between 1 and 100000")
          @Max(value = 100_000, message = "must be between 1 and 100000")
          @Nullable Integer maxPerMinute,
      @Min(value = 1, message = "must be between 1 and 100000")
          @Max(value = 100_000, message = "must be between 1 and 100000")
          @Nullable Integer basePerMinute,
      @DecimalMin(value = "1.1", message = "must be between 1.1 and 5")
          @DecimalMax(value = "5", message = "must be between 1.1 and 5")
          @Nullable Double incrementFactor,
      @Min(value = 1, message = "must be at least 1") @Nullable Integer increaseAfterNotified,
      @Min(value = 1, message = "must be at least 1") @Nullable Integer increaseAfterSucceeded) {}

  /**
   * Stop the job when at least {@code thresholdPercent} of its finished executions ended with
   * {@code failureType}, once {@code minExecuted} have finished.
   */
  record AbortCriterion(
      @NotNull(message = "is required")
          @Pattern(
              regexp = "FAILED|TIMED_OUT|EXPIRED|ANY",
              message = "must be FAILED, TIMED_OUT, EXPIRED or ANY")
          String failureType,
      @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1")
          Integer minExecuted,
      @NotNull(message = "is required")
          @DecimalMin(value = "0.1", message = "must be between 0.1 and 100")
          @DecimalMax(value = "100", message = "must be between 0.1 and 100")
          Double thresholdPercent) {}
}
