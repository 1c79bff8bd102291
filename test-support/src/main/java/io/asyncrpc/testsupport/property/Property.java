package io.asyncrpc.testsupport.property;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs a property: a check over {@code tries} inputs drawn by a {@link Gen} from a {@link
 * SplittableRandom}. The seed is new for every run and printed; {@code -Dproperty.seed=N} replays a
 * run, since the same seed draws the same inputs in the same order. A failing check is reported
 * with the property's name, the case number, the seed and the input; there is no shrinking, the
 * generators keep inputs small enough to read.
 *
 * <pre>{@code
 * new Property("a refusal changes nothing", 200).forAll(creates(), create -> { ... });
 * }</pre>
 *
 * @param name what the property says, for the report
 * @param tries how many inputs to check
 */
public record Property(String name, int tries) {

  /** The system property that replays a run with its seed. */
  public static final String SEED = "property.seed";

  /** Longest input text a failure report quotes. */
  private static final int MAX_REPORTED_INPUT = 2_000;

  public Property {
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be positive: " + tries);
    }
  }

  /** The seed of this run: {@code -Dproperty.seed} if set, a new random one otherwise. */
  public static long seed() {
    Long replay = Long.getLong(SEED);
    return replay != null ? replay : ThreadLocalRandom.current().nextLong();
  }

  /** Checks {@code check} on {@link #tries} inputs of {@code gen} drawn with a new seed. */
  public <T> void forAll(Gen<T> gen, Consumer<? super T> check) {
    forAll(seed(), gen, check);
  }

  /** Checks {@code check} on {@link #tries} inputs of {@code gen} drawn with {@code seed}. */
  public <T> void forAll(long seed, Gen<T> gen, Consumer<? super T> check) {
    System.out.printf(
        "property '%s': %d tries, seed %d (replay: -D%s=%d)%n", name, tries, seed, SEED, seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 1; i <= tries; i++) {
      T input = gen.draw(random);
      try {
        check.accept(input);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "property '%s' failed at case %d of %d, seed %d (replay: -D%s=%d)%ninput: %s%n%s"
                .formatted(name, i, tries, seed, SEED, seed, abbreviated(input), e.getMessage()),
            e);
      }
    }
  }

  private static String abbreviated(Object input) {
    String text = String.valueOf(input);
    return text.length() <= MAX_REPORTED_INPUT
        ? text
        : text.substring(0, MAX_REPORTED_INPUT) + "...(" + text.length() + " chars)";
  }
}
