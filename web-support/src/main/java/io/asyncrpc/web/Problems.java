package io.asyncrpc.web;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 problems of the services; every problem has a stable {@code type} URN. */
public final class Problems {

  /** Prefix of every problem type; the slug follows. */
  public static final String TYPE_PREFIX = "urn:iot-async-rpc:problem:";

  private Problems() {}

  /** The type URI of {@code slug}. */
  public static URI type(String slug) {
    return URI.create(TYPE_PREFIX + slug);
  }

  /** A problem with the given parts and, when not empty, an {@code errors} array. */
  public static ProblemDetail of(
      HttpStatusCode status, String slug, String title, String detail, List<FieldProblem> errors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(slug));
    problem.setTitle(title);
    if (!errors.isEmpty()) {
      problem.setProperty("errors", errors);
    }
    return problem;
  }

  /** The slug used for a framework or container error that has no more specific one. */
  static String genericSlug(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 409 -> "conflict";
      case 413 -> "request-too-large";
      case 415 -> "unsupported-media-type";
      case 503 -> "service-unavailable";
      default -> status >= 500 ? "internal-error" : "client-error";
    };
  }
}
