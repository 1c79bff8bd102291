package io.asyncrpc.testsupport.property;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;

/**
 * The generators property tests are built from. Numbers and strings lean to their edges: about one
 * value in five is a bound, zero or one off a bound, and strings take their shortest or longest
 * length and edge chars more often than a uniform draw would.
 */
public final class Gens {

  /** One value in this many is an edge value instead of a uniform draw. */
  private static final int EDGE_ODDS = 5;

  /** In a string, one char in this many is an edge char of its alphabet. */
  private static final int EDGE_CHAR_ODDS = 16;

  private Gens() {}

  /** Always {@code value}. */
  public static <T> Gen<T> just(T value) {
    return random -> value;
  }

  /** One of {@code values}, each as likely. */
  @SafeVarargs // the array is only read
  @SuppressWarnings("varargs")
  public static <T> Gen<T> of(T... values) {
    return of(List.of(values));
  }

  /** One of {@code values}, each as likely (null elements allowed). */
  public static <T> Gen<T> of(List<T> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("nothing to choose from");
    }
    return random -> values.get(random.nextInt(values.size()));
  }

  /** A value of one of {@code gens}, each generator as likely. */
  @SafeVarargs // the array is only read
  @SuppressWarnings("varargs")
  public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    List<Gen<? extends T>> all = List.of(gens);
    return random -> all.get(random.nextInt(all.size())).draw(random);
  }

  /** A generator with its weight for {@link #frequency}. */
  public record Weighted<T>(int weight, Gen<? extends T> gen) {
    public Weighted {
      if (weight <= 0) {
        throw new IllegalArgumentException("weight must be positive: " + weight);
      }
    }
  }

  public static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /** A value of one of {@code choices}, each chosen in proportion to its weight. */
  @SafeVarargs // the array is only read
  @SuppressWarnings("varargs")
  public static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    List<Weighted<? extends T>> all = List.of(choices);
    int total = all.stream().mapToInt(Weighted::weight).sum();
    return random -> {
      int pick = random.nextInt(total);
      for (Weighted<? extends T> choice : all) {
        if (pick < choice.weight()) {
          return choice.gen().draw(random);
        }
        pick -= choice.weight();
      }
      throw new AssertionError("pick beyond the total weight");
    };
  }

  /** Any int, edges ({@code MIN_VALUE}, {@code MAX_VALUE}, -1, 0, 1) often. */
  public static Gen<Integer> ints() {
    return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** An int in {@code min..max}, the bounds, one off them and zero often. */
  public static Gen<Integer> ints(int min, int max) {
    return longs(min, max).map(Math::toIntExact);
  }

  /** Any long, edges often. */
  public static Gen<Long> longs() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A long in {@code min..max}, the bounds, one off them and zero often. */
  public static Gen<Long> longs(long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
    long[] edges =
        LongStream.of(min, max, min + 1, max - 1, -1, 0, 1)
            .filter(v -> v >= min && v <= max)
            .distinct()
            .toArray();
    return random -> {
      if (random.nextInt(EDGE_ODDS) == 0) {
        return edges[random.nextInt(edges.length)];
      }
      if (max < Long.MAX_VALUE) {
        return random.nextLong(min, max + 1);
      }
      return min > Long.MIN_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong();
    };
  }

  /** A BigInteger in {@code min..max}, the bounds and zero often. */
  public static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
    BigInteger span = max.subtract(min).add(BigInteger.ONE);
    if (span.signum() <= 0) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
    List<BigInteger> edges =
        (min.signum() <= 0 && max.signum() >= 0)
            ? List.of(min, max, BigInteger.ZERO)
            : List.of(min, max);
    return random -> {
      if (random.nextInt(EDGE_ODDS) == 0) {
        return edges.get(random.nextInt(edges.size()));
      }
      Random bits = Random.from(random);
      BigInteger offset;
      do {
        offset = new BigInteger(span.bitLength(), bits);
      } while (offset.compareTo(span) >= 0);
      return min.add(offset);
    };
  }

  /** A decimal in {@code min..max} with exactly {@code scale} digits after the point. */
  public static Gen<BigDecimal> bigDecimals(BigDecimal min, BigDecimal max, int scale) {
    return bigIntegers(
            min.setScale(scale, java.math.RoundingMode.CEILING).unscaledValue(),
            max.setScale(scale, java.math.RoundingMode.FLOOR).unscaledValue())
        .map(unscaled -> new BigDecimal(unscaled, scale));
  }

  /**
   * Strings of {@code minLength..maxLength} chars of {@code chars}: the shortest and the longest
   * length often, and about one char in sixteen an edge char of the alphabet (U+0000 or an unpaired
   * surrogate where the alphabet has them).
   */
  public static Gen<String> strings(Chars chars, int minLength, int maxLength) {
    Gen<Integer> lengths = ints(minLength, maxLength);
    return random -> {
      int length = lengths.draw(random);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(
            random.nextInt(EDGE_CHAR_ODDS) == 0 ? chars.drawEdge(random) : chars.draw(random));
      }
      return out.toString();
    };
  }

  /** Any UUID (random bits, so the same seed draws the same ids). */
  public static Gen<UUID> uuids() {
    return random -> new UUID(random.nextLong(), random.nextLong());
  }

  /** Empty in about one case in four, otherwise a value of {@code gen}. */
  public static <T> Gen<Optional<T>> optional(Gen<T> gen) {
    return random -> random.nextInt(4) == 0 ? Optional.empty() : Optional.of(gen.draw(random));
  }

  /** Null in about one case in four, otherwise a value of {@code gen}. */
  public static <T> Gen<@Nullable T> orNull(Gen<T> gen) {
    return random -> random.nextInt(4) == 0 ? null : gen.draw(random);
  }

  /** Maps of up to {@code maxSize} entries (fewer when keys repeat), in drawing order. */
  public static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int maxSize) {
    Gen<Integer> sizes = ints(0, maxSize);
    return random -> {
      int size = sizes.draw(random);
      Map<K, V> map = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        map.put(keys.draw(random), values.draw(random));
      }
      return map;
    };
  }
}
