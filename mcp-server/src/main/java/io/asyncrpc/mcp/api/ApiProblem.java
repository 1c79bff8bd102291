package io.asyncrpc.mcp.api;

import org.jspecify.annotations.Nullable;

/**
 * An error answer of api-service (an RFC 9457 problem), or no answer at all ({@code status} 0).
 *
 * @param status the HTTP status, 0 when api-service could not be reached
 * @param title the problem's title
 * @param detail the problem's detail, if any
 */
public record ApiProblem(int status, String title, @Nullable String detail) {

  /** One line for the agent: {@code 404 Not found: no task 0b6f...}. */
  public String describe() {
    String head = status == 0 ? title : status + " " + title;
    return detail == null || detail.isBlank() ? head : head + ": " + detail;
  }
}
