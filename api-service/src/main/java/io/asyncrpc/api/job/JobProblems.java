package io.asyncrpc.api.job;

import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** The problems the jobs API answers, with their stable types. */
final class JobProblems {

  private JobProblems() {}

  static ApiException invalid(String field, String message) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "validation-failed",
        "Validation failed",
        "invalid request: '" + field + "' " + message,
        List.of(new FieldProblem(field, message)));
  }

  static ApiException notFound(UUID id) {
    return new ApiException(
        HttpStatus.NOT_FOUND, "job-not-found", "Job not found", "job " + id + " does not exist");
  }

  static ApiException finished(UUID id, String status) {
    return new ApiException(
        HttpStatus.CONFLICT,
        "job-finished",
        "Job finished",
        "job " + id + " is already " + status + " and cannot be cancelled");
  }

  static ApiException devicesNotRegistered(List<String> unknown) {
    List<String> shown = unknown.stream().limit(10).toList();
    return new ApiException(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "device-not-registered",
        "Device not registered",
        unknown.size()
            + " target device(s) are not registered in this tenant: "
            + String.join(", ", shown)
            + (unknown.size() > shown.size() ? ", ..." : "")
            + "; register them with POST /api/v1/devices first");
  }

  static ApiException tooManyTargets(int count, int max) {
    return new ApiException(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "too-many-targets",
        "Too many targets",
        "the tag selects " + count + " devices; a job may target at most " + max);
  }

  static ApiException idempotencyKeyReused(String key) {
    return new ApiException(
        HttpStatus.CONFLICT,
        "idempotency-key-reused",
        "Idempotency key reused",
        "Idempotency-Key '"
            + key
            + "' was already used for a different request; use a new key for a new job");
  }
}
