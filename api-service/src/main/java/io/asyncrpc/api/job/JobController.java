package io.asyncrpc.api.job;

import io.asyncrpc.api.task.TaskView;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.Idempotency;
import io.asyncrpc.api.web.InvalidParameterException;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.api.web.Paging;
import io.asyncrpc.api.web.StatusFilter;
import io.asyncrpc.task.model.TaskStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST resource of fleet jobs: create, follow the roll-up, list executions, cancel. */
@RestController
@RequestMapping(path = "/api/v1/jobs", produces = "application/json")
@Tag(name = "Jobs", description = "One call to many devices, rolled out at a controlled rate")
class JobController {

  private static final String PROBLEM = "application/problem+json";

  private final JobManagement jobs;

  JobController(JobManagement jobs) {
    this.jobs = jobs;
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Create a job",
      description =
          """
          Targets the devices of an explicit list (device_ids) or of a tag (tag: key:value, \
          optionally continuous); answers 202 once the job and its targets are committed. \
          core-service then creates one task per device at the rollout's rate (executions), \
          and stops when an abort criterion is crossed. String values of the payload may hold \
          {{device.id}} and {{device.tags.<key>}}.""",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      examples = @ExampleObject(name = "canary rollout", value = CREATE_EXAMPLE))))
  @ApiResponse(responseCode = "202", description = "Accepted; Location names the job")
  @ApiResponse(
      responseCode = "400",
      description = "Invalid targets, payload, rollout or abort criteria",
      content = @Content(mediaType = PROBLEM))
  @ApiResponse(
      responseCode = "409",
      description = "Idempotency-Key reused with a different body",
      content = @Content(mediaType = PROBLEM))
  @ApiResponse(
      responseCode = "422",
      description = "A target device is not registered, or the tag selects too many devices",
      content = @Content(mediaType = PROBLEM))
  ResponseEntity<JobView> create(
      @Parameter(description = "at most 128 characters; a retry with the same key is safe")
          @RequestHeader(name = Idempotency.KEY, required = false)
          @Nullable String idempotencyKey,
      @Valid @RequestBody CreateJobRequest request) {
    CreatedJob created = jobs.create(request, Idempotency.checked(idempotencyKey));
    return Idempotency.answer(
        HttpStatus.ACCEPTED,
        "/api/v1/jobs/" + created.job().id(),
        created.replayed(),
        created.job());
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a job with its roll-up: executions per task status")
  @ApiResponse(responseCode = "200", description = "The job")
  @ApiResponse(
      responseCode = "404",
      description = "No such job",
      content = @Content(mediaType = PROBLEM))
  JobView get(@PathVariable UUID id) {
    return jobs.find(id).orElseThrow(() -> JobProblems.notFound(id));
  }

  @GetMapping
  @Operation(summary = "List jobs, newest first, with cursor paging")
  PageView<JobView> list(
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    return jobs.page(cursor == null ? null : Cursor.decode(cursor), Paging.limit(limit));
  }

  @GetMapping("/{id}/executions")
  @Operation(summary = "List a job's executions (its tasks), filtered by status, with a cursor")
  @ApiResponse(
      responseCode = "404",
      description = "No such job",
      content = @Content(mediaType = PROBLEM))
  PageView<TaskView> executions(
      @PathVariable UUID id,
      @Parameter(
              description = StatusFilter.DESCRIPTION,
              array = @ArraySchema(schema = @Schema(implementation = TaskStatus.class)))
          @RequestParam(required = false)
          @Nullable List<String> status,
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    UUID after = null;
    if (cursor != null) {
      try {
        after = UUID.fromString(cursor);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException("cursor", "is not a cursor returned by this API");
      }
    }
    return jobs.executions(id, StatusFilter.parse(status), after, Paging.limit(limit));
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      summary = "Cancel a job",
      description =
          """
          No more executions are created; every execution that has not finished is cancelled at \
          once, as DELETE /api/v1/tasks/{id} cancels a task. A v2 device that holds one is told \
          (srv/<SN>/cnl) and its answer counts in cancel_confirmed.""")
  @ApiResponse(responseCode = "200", description = "Cancelled; the job")
  @ApiResponse(
      responseCode = "404",
      description = "No such job",
      content = @Content(mediaType = PROBLEM))
  @ApiResponse(
      responseCode = "409",
      description = "The job already finished",
      content = @Content(mediaType = PROBLEM))
  JobView cancel(@PathVariable UUID id) {
    return jobs.cancel(id);
  }

  private static final String CREATE_EXAMPLE =
      """
      {"targets":{"tag":"ring:canary"},"method_code":"firmware.update",\
      "payload":{"url":"https://fw.example/7.2.bin","device":"{{device.id}}"},"ttl":3600,\
      "rollout":{"max_per_minute":120},\
      "abort":[{"failure_type":"FAILED","min_executed":20,"threshold_percent":10}]}""";
}
