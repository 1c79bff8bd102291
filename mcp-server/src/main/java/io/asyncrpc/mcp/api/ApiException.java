package io.asyncrpc.mcp.api;

/** api-service refused a call or could not be reached; the tool reports {@link #problem()}. */
public final class ApiException extends RuntimeException {

  private final ApiProblem problem;

  ApiException(ApiProblem problem) {
    super(problem.describe());
    this.problem = problem;
  }

  public ApiProblem problem() {
    return problem;
  }
}
