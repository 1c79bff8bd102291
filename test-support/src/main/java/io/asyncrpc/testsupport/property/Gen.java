package io.asyncrpc.testsupport.property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Draws one value from a random source. Everything a value depends on must come from {@code
 * random}, so that the same seed draws the same values again.
 *
 * @param <T> the type of the values drawn
 */
@FunctionalInterface
public interface Gen<T extends @Nullable Object> {

  /** How often {@link #filter} draws again before it gives up on a too strict predicate. */
  int MAX_FILTER_ATTEMPTS = 10_000;

  T draw(SplittableRandom random);

  /** Values of this generator, transformed. */
  default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
    return random -> mapper.apply(draw(random));
  }

  /** Values of this generator that satisfy {@code predicate}, drawn again until one does. */
  default Gen<T> filter(Predicate<? super T> predicate) {
    return random -> {
      for (int attempt = 0; attempt < MAX_FILTER_ATTEMPTS; attempt++) {
        T value = draw(random);
        if (predicate.test(value)) {
          return value;
        }
      }
      throw new IllegalStateException(
          "filter rejected " + MAX_FILTER_ATTEMPTS + " values in a row: too strict");
    };
  }

  /** Lists of {@code minSize..maxSize} values of this generator. */
  default Gen<List<T>> list(int minSize, int maxSize) {
    Gen<Integer> sizes = Gens.ints(minSize, maxSize);
    return random -> {
      int size = sizes.draw(random);
      List<T> values = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        values.add(draw(random));
      }
      return values;
    };
  }
}
