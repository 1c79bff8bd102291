package io.asyncrpc.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/** Fails in every way {@link ProblemHandler} and {@link ProblemErrorController} answer. */
@RestController
class FailingController {

  /** A request body with a camelCase component, so its JSON name differs. */
  record Order(
      @NotBlank String deviceName,
      @Min(1) int count,
      @Min(0) @Max(9) @Nullable Integer priority,
      @Nullable List<String> tags) {}

  @GetMapping("/conflict")
  void conflict() {
    throw new ApiException(
        HttpStatus.CONFLICT,
        "thing-exists",
        "Thing exists",
        "thing 'a' exists",
        List.of(new FieldProblem("id", "is taken")),
        Map.of("error", "invalid_request"));
  }

  @GetMapping("/dependency-down")
  void dependencyDown() {
    ApiException ex =
        new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Broker unavailable", "retry");
    ex.initCause(new IOException("connection refused"));
    throw ex;
  }

  @GetMapping("/database-down")
  void databaseDown() {
    throw new CannotCreateTransactionException(
        "Could not open JDBC Connection for transaction",
        new SQLTransientConnectionException("pool - Connection is not available"));
  }

  @GetMapping("/connection-lost")
  void connectionLost() {
    throw new TransactionSystemException(
        "Could not roll back JDBC transaction", new SQLException("Connection is closed"));
  }

  @GetMapping("/framework-unavailable")
  void frameworkUnavailable() {
    throw new AsyncRequestTimeoutException();
  }

  @GetMapping("/bug")
  void bug() {
    throw new IllegalStateException("a bug");
  }

  @GetMapping("/number")
  int number(@RequestParam int value) {
    return value;
  }

  @GetMapping("/numbers")
  List<Long> numbers(@RequestParam List<Long> value) {
    return value;
  }

  @PostMapping("/orders")
  Order order(@Valid @RequestBody Order order) {
    return order;
  }

  @PostMapping("/limited")
  void limited() {
    throw new HttpMessageNotReadableException(
        "body not read",
        new ApiException(
            HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request too large", "too large"),
        new MockHttpInputMessage(new byte[0]));
  }

  @GetMapping("/send-error")
  void sendError(@RequestParam int status, HttpServletResponse response) throws IOException {
    response.sendError(status);
  }
}
