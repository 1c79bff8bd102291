package io.asyncrpc.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the client can act on, answered as an RFC 9457 problem with a stable type.
 *
 * <p>Features extend it with one class per problem type, so a handler never guesses the status.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String slug;
  private final String title;
  private final String detail;
  private final List<FieldProblem> errors;
  private final Map<String, Object> properties;

  public ApiException(HttpStatus status, String slug, String title, String detail) {
    this(status, slug, title, detail, List.of());
  }

  public ApiException(
      HttpStatus status, String slug, String title, String detail, List<FieldProblem> errors) {
    this(status, slug, title, detail, errors, Map.of());
  }

  public ApiException(
      HttpStatus status,
      String slug,
      String title,
      String detail,
      List<FieldProblem> errors,
      Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = detail;
    this.errors = List.copyOf(errors);
    this.properties = Map.copyOf(properties);
  }

  public HttpStatus status() {
    return status;
  }

  /** The last segment of the problem type, {@code urn:iot-async-rpc:problem:<slug>}. */
  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** What went wrong, for the client: the problem's {@code detail} (also the message). */
  public String detail() {
    return detail;
  }

  public List<FieldProblem> errors() {
    return errors;
  }

  /** Extra members of the problem (for example RFC 6749's {@code error}). */
  public Map<String, Object> properties() {
    return properties;
  }
}
