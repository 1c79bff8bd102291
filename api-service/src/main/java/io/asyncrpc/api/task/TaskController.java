package io.asyncrpc.api.task;

import io.asyncrpc.api.web.Idempotency;
import io.asyncrpc.api.web.InvalidParameterException;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.api.web.Paging;
import io.asyncrpc.api.web.StatusFilter;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.task.model.JsonbLimits;
import io.asyncrpc.task.model.TaskStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** REST resource of tasks: create, follow, list, cancel, and read a task's history. */
@RestController
@RequestMapping(path = "/api/v1/tasks", produces = "application/json")
@Tag(name = "Tasks", description = "Asynchronous remote calls to devices")
class TaskController {

  private static final String PROBLEM = "application/problem+json";

  static final String PREFER = "Prefer";
  static final String PREFERENCE_APPLIED = "Preference-Applied";

  private final TaskManagement tasks;
  private final TaskWaiting waiting;
  private final JsonMapper json;

  TaskController(TaskManagement tasks, TaskWaiting waiting, JsonMapper json) {
    this.tasks = tasks;
    this.waiting = waiting;
    this.json = json;
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Create a task",
      description =
          """
          Queues a task for a registered device and answers 202 once it is committed; the \
          device is notified asynchronously. Follow it with GET /api/v1/tasks/{id}?wait=N, the \
          event stream (GET /api/v1/events) or a webhook, or wait for it here with \
          Prefer: wait=N. With an \
          Idempotency-Key a retry returns the same task (header Idempotent-Replayed: true) in \
          its current state; the same key with a different body is a 409.""",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      examples = @ExampleObject(name = "switch a relay", value = CREATE_EXAMPLE))))
  @Parameter(
      name = PREFER,
      in = ParameterIn.HEADER,
      description =
          "wait=N (RFC 7240): wait up to N seconds (at most 60) for the task to finish; a task"
              + " finished in time is answered 200 with Preference-Applied, any other 202")
  @ApiResponse(
      responseCode = "200",
      description =
          "Finished already: seen finishing within Prefer: wait=N (header Preference-Applied), or"
              + " an online-only task whose device is offline (status UNREACHABLE)",
      headers = @Header(name = PREFERENCE_APPLIED, description = "wait=N when the wait was used"))
  @ApiResponse(
      responseCode = "202",
      description = "Accepted and committed; Location names the task",
      headers = {
        @Header(name = "Location", description = "/api/v1/tasks/{id}"),
        @Header(
            name = Idempotency.REPLAYED,
            description = "true when an earlier request created it")
      })
  @ApiResponse(
      responseCode = "400",
      description = "Malformed JSON, unknown field, wrong type or invalid value",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(VALIDATION_EXAMPLE)))
  @ApiResponse(
      responseCode = "409",
      description = "Idempotency-Key reused with a different body",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(REUSED_EXAMPLE)))
  @ApiResponse(
      responseCode = "413",
      description = "Payload over 64 KiB, or request body over the size limit",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(TOO_LARGE_EXAMPLE)))
  @ApiResponse(
      responseCode = "422",
      description = "The device is not registered",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_REGISTERED_EXAMPLE)))
  ResponseEntity<TaskView> create(
      @Parameter(description = "at most 128 characters; a retry with the same key is safe")
          @RequestHeader(name = Idempotency.KEY, required = false)
          @Nullable String idempotencyKey,
      @Valid @RequestBody CreateTaskRequest request) {
    return answer(created(idempotencyKey, request), false);
  }

  /**
   * {@code Prefer: wait=N} (RFC 7240): the answer waits up to N seconds (at most 60) for the task
   * to finish; a task that finishes in time is answered {@code 200} with {@code
   * Preference-Applied}, any other as without the preference. Documented on {@link #create}.
   */
  @PostMapping(consumes = "application/json", headers = PREFER)
  @Operation(hidden = true)
  CompletableFuture<ResponseEntity<TaskView>> createAndWait(
      @RequestHeader(PREFER) String prefer,
      @RequestHeader(name = Idempotency.KEY, required = false) @Nullable String idempotencyKey,
      @Valid @RequestBody CreateTaskRequest request) {
    CreatedTask created = created(idempotencyKey, request);
    OptionalInt wait = PreferWait.seconds(prefer, TaskWaiting.MAX_WAIT_SECONDS);
    if (wait.isEmpty() || created.task().status().isTerminal()) {
      return CompletableFuture.completedFuture(answer(created, false));
    }
    return waiting
        .until(created.task().id(), Duration.ofSeconds(wait.getAsInt()))
        .thenApply(
            now -> {
              TaskView task = now.orElse(created.task());
              boolean finished = task.status().isTerminal();
              ResponseEntity<TaskView> response =
                  answer(new CreatedTask(task, created.replayed()), finished);
              return finished
                  ? ResponseEntity.status(response.getStatusCode())
                      .headers(response.getHeaders())
                      .header(PREFERENCE_APPLIED, "wait=" + wait.getAsInt())
                      .body(task)
                  : response;
            });
  }

  private CreatedTask created(@Nullable String idempotencyKey, CreateTaskRequest request) {
    // The key first: a bad key is the answer whatever the body holds.
    @Nullable String key = Idempotency.checked(idempotencyKey);
    return tasks.create(NewTask.of(request, json), key);
  }

  /**
   * {@code 202} for a task on its way, {@code 200} for one created finished (an online-only task
   * for an offline device) or seen finishing by a wait. A replay answers {@code 202} as it always
   * did, whatever state the task is in now.
   */
  private static ResponseEntity<TaskView> answer(CreatedTask created, boolean waited) {
    boolean finished = waited || (!created.replayed() && created.task().status().isTerminal());
    return Idempotency.answer(
        finished ? HttpStatus.OK : HttpStatus.ACCEPTED,
        "/api/v1/tasks/" + created.task().id(),
        created.replayed(),
        created.task());
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a task: status, timestamps, attempts and result")
  @ApiResponse(responseCode = "200", description = "The task")
  @ApiResponse(
      responseCode = "404",
      description = "No such task",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND_EXAMPLE)))
  TaskView get(
      @PathVariable UUID id,
      @Parameter(
              name = "wait",
              description =
                  "seconds (1 to 60) to wait for the task to finish: the answer comes as soon as"
                      + " it is finished, or after that long with its state")
          @RequestParam(name = "wait", required = false)
          @Nullable String ignoredHere) {
    return tasks.find(id).orElseThrow(() -> new TaskNotFoundException(id));
  }

  /** {@code GET /api/v1/tasks/{id}?wait=N}, documented on {@link #get}. */
  @GetMapping(path = "/{id}", params = "wait")
  @Operation(hidden = true)
  CompletableFuture<TaskView> getWhenFinished(
      @PathVariable UUID id, @RequestParam(name = "wait") String wait) {
    int seconds = waitSeconds(wait);
    return waiting
        .until(id, Duration.ofSeconds(seconds))
        .thenApply(task -> task.orElseThrow(() -> new TaskNotFoundException(id)));
  }

  private static int waitSeconds(String wait) {
    try {
      int seconds = Integer.parseInt(wait);
      if (seconds >= 0 && seconds <= TaskWaiting.MAX_WAIT_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidParameterException(
        "wait", "must be a whole number of seconds from 0 to " + TaskWaiting.MAX_WAIT_SECONDS);
  }

  @GetMapping
  @Operation(summary = "List tasks, newest first, with filters and cursor paging")
  @ApiResponse(responseCode = "200", description = "One page; next_cursor is null on the last")
  @ApiResponse(
      responseCode = "400",
      description = "Invalid filter, limit or cursor",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(BAD_PARAMETER_EXAMPLE)))
  PageView<TaskView> list(
      @Parameter(description = "only tasks of this device")
          @RequestParam(name = "device_id", required = false)
          @Nullable String deviceId,
      @Parameter(
              description = StatusFilter.DESCRIPTION,
              array = @ArraySchema(schema = @Schema(implementation = TaskStatus.class)))
          @RequestParam(required = false)
          @Nullable List<String> status,
      @Parameter(description = "only tasks with this external id")
          @RequestParam(name = "external_id", required = false)
          @Nullable String externalId,
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    if (deviceId != null && !DeviceId.isValid(deviceId)) {
      throw new InvalidParameterException("device_id", "must match " + DeviceId.PATTERN);
    }
    if (externalId != null && !JsonbLimits.isStorableText(externalId)) {
      // No stored external id can contain these, and PostgreSQL refuses them as parameters.
      throw new InvalidParameterException("external_id", "must not contain U+0000");
    }
    return tasks.page(
        deviceId,
        StatusFilter.parse(status),
        externalId,
        cursor == null ? null : TaskCursor.decode(cursor),
        Paging.limit(limit));
  }

  @DeleteMapping("/{id}")
  @Operation(
      summary = "Cancel a task",
      description =
          "Cancels a task that is QUEUED, PENDING or LOCKED; a finished task is left as is.")
  @ApiResponse(responseCode = "200", description = "Cancelled; the task")
  @ApiResponse(
      responseCode = "404",
      description = "No such task",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND_EXAMPLE)))
  @ApiResponse(
      responseCode = "409",
      description = "The task already finished",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(FINISHED_EXAMPLE)))
  TaskView cancel(@PathVariable UUID id) {
    return tasks.cancel(id);
  }

  @GetMapping("/{id}/events")
  @Operation(summary = "A task's history: every transition, oldest first")
  @ApiResponse(responseCode = "200", description = "The transitions")
  @ApiResponse(
      responseCode = "404",
      description = "No such task",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND_EXAMPLE)))
  List<TaskEventView> events(@PathVariable UUID id) {
    return tasks.events(id);
  }

  private static final String CREATE_EXAMPLE =
      """
      {"device_id":"SN-0001","method_code":"relay.switch","priority":5,"ttl":3600,\
      "payload":{"channel":1,"on":true},"external_id":"order-42"}""";
  private static final String VALIDATION_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:validation-failed","title":"Validation failed",\
      "status":400,"detail":"invalid request: 'priority' must be between 0 and 9",\
      "errors":[{"field":"priority","message":"must be between 0 and 9"}]}""";
  private static final String REUSED_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:idempotency-key-reused","title":"Idempotency key reused",\
      "status":409,"detail":"Idempotency-Key 'k-1' was already used for a different request; \
      use a new key for a new task"}""";
  private static final String TOO_LARGE_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:payload-too-large","title":"Payload too large",\
      "status":413,"detail":"payload is 70000 bytes serialized; at most 65536 are allowed",\
      "errors":[{"field":"payload","message":"must be at most 65536 bytes"}]}""";
  private static final String NOT_REGISTERED_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:device-not-registered","title":"Device not registered",\
      "status":422,"detail":"device 'SN-0001' is not registered; register it with \
      POST /api/v1/devices first"}""";
  private static final String NOT_FOUND_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:task-not-found","title":"Task not found","status":404,\
      "detail":"task 0b6f2a4e-5d7c-4f8e-9a1b-2c3d4e5f6a7b does not exist"}""";
  private static final String FINISHED_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:task-finished","title":"Task finished","status":409,\
      "detail":"task 0b6f2a4e-5d7c-4f8e-9a1b-2c3d4e5f6a7b is already DONE and cannot be cancelled"}""";
  private static final String BAD_PARAMETER_EXAMPLE =
      """
      {"type":"urn:iot-async-rpc:problem:invalid-parameter","title":"Invalid parameter",\
      "status":400,"detail":"parameter 'status' must be one of QUEUED, PENDING, LOCKED, DONE, \
      FAILED, EXPIRED, TIMED_OUT, CANCELLED, UNREACHABLE; 'WAITING' is none of them",\
      "errors":[{"field":"status","message":"must be one of QUEUED, PENDING, LOCKED, DONE, \
      FAILED, EXPIRED, TIMED_OUT, CANCELLED, UNREACHABLE; 'WAITING' is none of them"}]}""";
}
