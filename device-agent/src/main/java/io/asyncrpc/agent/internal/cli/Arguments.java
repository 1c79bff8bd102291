package io.asyncrpc.agent.internal.cli;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads command-line arguments one option at a time: {@code --name value} and {@code --name=value}
 * alike, and flags without a value.
 */
final class Arguments {

  private final String[] args;
  private int index;
  private @Nullable String option;
  private @Nullable String inline;
  private @Nullable String raw;

  Arguments(String[] args) {
    this.args = args.clone();
  }

  /** Moves to the next option; {@code false} when none is left. */
  boolean next() {
    if (index >= args.length) {
      return false;
    }
    String arg = args[index++];
    raw = arg;
    int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
    option = equals < 0 ? arg : arg.substring(0, equals);
    inline = equals < 0 ? null : arg.substring(equals + 1);
    return true;
  }

  /** The current option's name, for example {@code --port} (also for {@code --port=1884}). */
  String option() {
    return Objects.requireNonNull(option, "next() comes first");
  }

  /** The current argument as given, for passing it on to another parser unread. */
  String raw() {
    return Objects.requireNonNull(raw, "next() comes first");
  }

  /**
   * The current option's value: what follows its {@code =}, else the next argument.
   *
   * @throws IllegalArgumentException when the value is missing or empty, or the next argument is
   *     another option
   */
  String value() {
    String option = option();
    if (inline != null) {
      if (inline.isEmpty()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return inline;
    }
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    if (args[index].startsWith("--")) {
      // Most likely a forgotten value; a value that truly begins with -- can still be given.
      throw new IllegalArgumentException(
          option + " needs a value (one beginning with -- is given as " + option + "=VALUE)");
    }
    return args[index++];
  }

  /**
   * Checks that the current option, a flag, came without a value.
   *
   * @throws IllegalArgumentException for {@code --flag=value}
   */
  void flag() {
    if (inline != null) {
      throw new IllegalArgumentException(option() + " takes no value");
    }
  }
}
