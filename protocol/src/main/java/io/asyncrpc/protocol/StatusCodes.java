package io.asyncrpc.protocol;

import org.jspecify.annotations.Nullable;

/** HTTP-like status codes carried in the {@code status_code} user property. */
public final class StatusCodes {

  /** The result is a success. */
  public static final int OK = 200;

  /** A {@code rsp} to a zero-UUID poll when the device's FIFO is empty. */
  public static final int NO_TASK = 204;

  private StatusCodes() {}

  /** Whether a result with this code completes the task as DONE. */
  public static boolean isSuccess(int code) {
    return code >= 200 && code <= 299;
  }

  /** Whether a result with this code completes the task as FAILED. */
  public static boolean isFailure(int code) {
    return code >= 400 && code <= 599;
  }

  /** Whether a device may send this code in a result: 2xx, 4xx or 5xx. */
  public static boolean isValidResult(int code) {
    return isSuccess(code) || isFailure(code);
  }

  /** Parses the property value: three digits, else {@code -1}, which no check accepts. */
  public static int parse(@Nullable String value) {
    if (value == null || value.length() != 3) {
      return -1;
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }
}
