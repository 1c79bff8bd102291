package io.asyncrpc.api.web;

import org.jspecify.annotations.Nullable;

/** The page size rules shared by every listing. */
public final class Paging {

  /** Page size when the client gives none. */
  public static final int DEFAULT_LIMIT = 50;

  /** Largest page size. */
  public static final int MAX_LIMIT = 200;

  private Paging() {}

  /** The page size to use for the {@code limit} query parameter; out of range is a 400. */
  public static int limit(@Nullable Integer limit) {
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidParameterException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }
}
