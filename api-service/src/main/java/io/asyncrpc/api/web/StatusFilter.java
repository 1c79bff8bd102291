package io.asyncrpc.api.web;

import io.asyncrpc.task.model.TaskStatus;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The {@code status} filter of a task listing: one status, several repeated ({@code
 * status=DONE&status=FAILED}) or separated by commas ({@code status=DONE,FAILED}); any of them
 * matches.
 */
public final class StatusFilter {

  /** The parameter's description in the OpenAPI document. */
  public static final String DESCRIPTION =
      "only tasks in one of these statuses; repeat it (status=DONE&status=FAILED) or separate"
          + " them with commas (status=DONE,FAILED)";

  private static final String ALLOWED =
      Arrays.stream(TaskStatus.values()).map(Enum::name).collect(Collectors.joining(", "));

  private StatusFilter() {}

  /**
   * The statuses asked for; empty when none (a blank value asks for none). An unknown one is a
   * {@code 400} naming the allowed values.
   */
  public static Set<TaskStatus> parse(@Nullable List<String> values) {
    Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
    if (values == null) {
      return statuses;
    }
    for (String value : values) {
      if (value.isBlank()) {
        continue;
      }
      try {
        statuses.add(TaskStatus.valueOf(value.strip()));
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException(
            "status", "must be one of " + ALLOWED + "; '" + value.strip() + "' is none of them");
      }
    }
    return statuses;
  }

  /** The statuses as the database stores them, for {@code status = ANY(:statuses)}. */
  public static String[] names(Set<TaskStatus> statuses) {
    return statuses.stream().map(Enum::name).toArray(String[]::new);
  }
}
