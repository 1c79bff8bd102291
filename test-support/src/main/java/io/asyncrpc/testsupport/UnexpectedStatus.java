package io.asyncrpc.testsupport;

/**
 * An HTTP answer a test client did not expect: {@link ApiClient}'s typed calls, and every call of
 * {@link BrokerManagement} that did not answer 2xx.
 */
public final class UnexpectedStatus extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  UnexpectedStatus(String request, int status, Object body) {
    super(request + " answered " + status + ": " + body);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
