package io.asyncrpc.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that never reached a controller (a servlet container rejection, an exception in a
 * filter) with a problem too, replacing Boot's whitelabel JSON.
 */
@RestController
class ProblemErrorController implements ErrorController {

  private final String retryAfterSeconds;

  ProblemErrorController(WebSupportProperties properties) {
    this.retryAfterSeconds = properties.retryAfterHeader();
  }

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer i && HttpStatus.resolve(i) != null
            ? HttpStatus.valueOf(i)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    String detail =
        status.is5xxServerError()
            ? "an unexpected error occurred; it has been logged"
            : status.getReasonPhrase();
    ProblemDetail problem =
        Problems.of(
            status,
            Problems.genericSlug(status.value()),
            status.getReasonPhrase(),
            detail,
            List.<FieldProblem>of());
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (status == HttpStatus.SERVICE_UNAVAILABLE) {
      response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    }
    return response.body(problem);
  }
}
