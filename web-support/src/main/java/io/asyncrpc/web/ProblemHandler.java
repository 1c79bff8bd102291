package io.asyncrpc.web;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem with a stable type and a precise detail; a stack
 * trace never leaves the service (unexpected errors are logged here instead). Every {@code 503}
 * carries {@code Retry-After}.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  private final String retryAfterSeconds;
  private final String notFoundHint;

  ProblemHandler(WebSupportProperties properties) {
    this.retryAfterSeconds = properties.retryAfterHeader();
    this.notFoundHint = properties.notFoundHint();
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Object> handleApi(ApiException ex) {
    ProblemDetail problem =
        Problems.of(ex.status(), ex.slug(), ex.title(), ex.detail(), ex.errors());
    ex.properties().forEach(problem::setProperty);
    if (ex.status().is5xxServerError() && ex.getCause() != null) {
      // What failed underneath, in one line: a dependency that is down fails every request.
      log.warn("{}: {} ({})", ex.slug(), ex.getMessage(), causes(ex.getCause()));
    }
    return problem(ex.status(), problem);
  }

  @ExceptionHandler({
    CannotCreateTransactionException.class,
    DataAccessResourceFailureException.class
  })
  ResponseEntity<Object> handleDatabaseDown(Exception ex) {
    // One line, not a stack trace per request: an outage would flood the log.
    log.warn("database unavailable: {}", causes(ex));
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "service-unavailable",
            "Service unavailable",
            "the database is not reachable; retry later",
            List.of()));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> handleUnexpected(Exception ex) {
    if (DatabaseFailures.isConnectionLoss(ex)) {
      // Lost while a statement, a commit or a rollback ran: not translated to a resource failure
      // on every path (JPA, or Hikari's "Connection is closed" under a TransactionSystemException).
      return handleDatabaseDown(ex);
    }
    log.error("unexpected error", ex);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        Problems.of(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "internal-error",
            "Internal error",
            "an unexpected error occurred; it has been logged",
            List.of()));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    // A problem the service raised while the body was read (a size limit, say) keeps its own type.
    ApiException raised = find(ex, ApiException.class);
    if (raised != null) {
      return handleApi(raised);
    }
    return problem(HttpStatus.BAD_REQUEST, unreadable(ex));
  }

  /**
   * Why a JSON body could not be read, in the API's words: the field as the client spelled it and
   * what it must be; Jackson's own message only where it names no Java type.
   */
  private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
    if (find(ex, UnrecognizedPropertyException.class) instanceof UnrecognizedPropertyException u) {
      String field = path(u);
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "unknown-field",
          "Unknown field",
          "unknown field '" + field + "'",
          List.of(new FieldProblem(field, "unknown field")));
    }
    if (find(ex, InputCoercionException.class) instanceof InputCoercionException c
        && !c.getPath().isEmpty()) {
      // A number too large for its type ({"priority": 99999999999}).
      return invalidField(c, WireTypes.describe(c.getTargetType(), declared(c), true));
    }
    if (find(ex, MismatchedInputException.class) instanceof MismatchedInputException m) {
      if (!m.getPath().isEmpty()) {
        return invalidField(m, WireTypes.describe(m.getTargetType(), declared(m), false));
      }
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "invalid-body",
          "Invalid request body",
          "the request body must be " + WireTypes.describe(m.getTargetType()),
          List.of());
    }
    if (find(ex, StreamReadException.class) instanceof StreamReadException s) {
      String repeated = repeatedField(s);
      if (repeated != null) {
        return Problems.of(
            HttpStatus.BAD_REQUEST,
            "malformed-json",
            "Malformed JSON",
            "field '" + repeated + "' appears twice" + where(s) + "; give each field once",
            List.of(new FieldProblem(repeated, "appears twice")));
      }
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "malformed-json",
          "Malformed JSON",
          "the request body is not well-formed JSON" + where(s) + reason(s),
          List.of());
    }
    if (find(ex, JacksonException.class) instanceof JacksonException j) {
      String at = j.getPath().isEmpty() ? "" : " at field '" + path(j) + "'";
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "malformed-json",
          "Malformed JSON",
          "the request body cannot be read" + at + reason(j),
          List.of());
    }
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "malformed-json",
        "Malformed JSON",
        "a JSON request body is required",
        List.of());
  }

  private static ProblemDetail invalidField(JacksonException ex, String expected) {
    String field = path(ex);
    String message = "must be " + expected;
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "invalid-type",
        "Invalid field type",
        "field '" + field + "' " + message,
        List.of(new FieldProblem(field, message)));
  }

  /** The Java field behind the last named step of the path, for the range it declares. */
  private static @Nullable Field declared(JacksonException ex) {
    List<JacksonException.Reference> path = ex.getPath();
    for (int i = path.size() - 1; i >= 0; i--) {
      JacksonException.Reference ref = path.get(i);
      if (ref.getPropertyName() != null) {
        Object from = ref.from();
        Class<?> owner = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
        return WireTypes.field(owner, ref.getPropertyName());
      }
    }
    return null;
  }

  /**
   * The field a strict parser found twice in one object ({@code StreamReadFeature
   * .STRICT_DUPLICATE_DETECTION}), which Jackson tells only in its message; null for any other
   * failure.
   */
  private static @Nullable String repeatedField(StreamReadException ex) {
    String message = ex.getOriginalMessage();
    String prefix = "Duplicate Object property \"";
    if (message == null || !message.startsWith(prefix) || !message.endsWith("\"")) {
      return null;
    }
    return message.substring(prefix.length(), message.length() - 1);
  }

  /** {@code " at line 1, column 14"}, or nothing when the parser did not say. */
  private static String where(JacksonException ex) {
    TokenStreamLocation location = ex.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** Jackson's reason, unless it names a Java type (they are set in backticks). */
  private static String reason(JacksonException ex) {
    String message = ex.getOriginalMessage();
    if (message == null || message.isBlank() || message.contains("`")) {
      return "";
    }
    return ": " + message.strip();
  }

  /** Names the type the endpoint reads, so a YAML, form or text body is told what to send. */
  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<String> accepted =
        ex.getSupportedMediaTypes().stream()
            .filter(type -> !type.isWildcardType() && !type.isWildcardSubtype())
            .map(type -> type.getType() + "/" + type.getSubtype())
            .distinct()
            .toList();
    String sent =
        request.getHeader(HttpHeaders.CONTENT_TYPE) == null || ex.getContentType() == null
            ? "the request has no Content-Type"
            : "Content-Type '"
                + ex.getContentType().getType()
                + "/"
                + ex.getContentType().getSubtype()
                + "' is not supported here";
    String detail = accepted.isEmpty() ? sent : sent + "; send " + String.join(" or ", accepted);
    ProblemDetail problem =
        Problems.of(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            detail,
            List.of());
    if (!accepted.isEmpty()) {
      problem.setProperty("accepted", accepted);
    }
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldProblem> errors = new ArrayList<>();
    ex.getBindingResult()
        .getFieldErrors()
        .forEach(
            e ->
                errors.add(new FieldProblem(JsonNames.snake(e.getField()), e.getDefaultMessage())));
    ex.getBindingResult()
        .getGlobalErrors()
        // Not the object name: it is the Java type's (createTaskRequest).
        .forEach(e -> errors.add(new FieldProblem("body", e.getDefaultMessage())));
    errors.sort(
        Comparator.comparing(FieldProblem::field)
            .thenComparing(FieldProblem::message, Comparator.nullsFirst(String::compareTo)));
    String detail =
        errors.stream()
            .map(e -> "'" + e.field() + "' " + e.message())
            .collect(Collectors.joining("; ", "invalid request: ", ""));
    return problem(
        HttpStatus.BAD_REQUEST,
        Problems.of(
            HttpStatus.BAD_REQUEST, "validation-failed", "Validation failed", detail, errors));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name =
        ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
    String message = "must be " + WireTypes.describe(ex.getRequiredType());
    if (ex instanceof MethodArgumentTypeMismatchException m
        && m.getRequiredType() != null
        && Collection.class.isAssignableFrom(m.getRequiredType())) {
      // A list parameter (type=13&type=14, or type=13,14): say what each value must be.
      message =
          "must be "
              + WireTypes.describe(m.getParameter().nested().getNestedParameterType())
              + " in each of its values (repeat it or separate them with commas)";
    }
    return problem(
        HttpStatus.BAD_REQUEST,
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            "Invalid parameter",
            "parameter '" + name + "' " + message,
            List.of(new FieldProblem(String.valueOf(name), message))));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(
      NoResourceFoundException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String path =
        request instanceof ServletWebRequest servlet
            ? servlet.getRequest().getRequestURI()
            : "/" + ex.getResourcePath();
    String detail = "no resource at " + path + (notFoundHint.isEmpty() ? "" : "; " + notFoundHint);
    return problem(
        HttpStatus.NOT_FOUND,
        Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of()));
  }

  /** Gives the framework's own problems (404, 405, 406, 415, 503, ...) a stable type. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem && isBlank(problem)) {
      problem.setType(Problems.type(Problems.genericSlug(statusCode.value())));
    }
    HttpHeaders answered = headers;
    if (statusCode.value() == HttpStatus.SERVICE_UNAVAILABLE.value()
        && !headers.containsHeader(HttpHeaders.RETRY_AFTER)) {
      answered = HttpHeaders.copyOf(headers); // the exception's own headers may be read-only
      answered.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    }
    return super.createResponseEntity(body, answered, statusCode, request);
  }

  private static boolean isBlank(ProblemDetail problem) {
    return problem.getType() == null || "about:blank".equals(problem.getType().toString());
  }

  private ResponseEntity<Object> problem(HttpStatusCode status, ProblemDetail problem) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
      response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    }
    return response.body(problem);
  }

  /** An exception and its causes on one line: {@code A: x <- B: y}. */
  private static String causes(Throwable ex) {
    StringBuilder line = new StringBuilder();
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (!line.isEmpty()) {
        line.append(" <- ");
      }
      line.append(t);
    }
    return line.toString();
  }

  private static String path(JacksonException ex) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : ex.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
