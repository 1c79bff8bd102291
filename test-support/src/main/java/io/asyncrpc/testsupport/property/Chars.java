package io.asyncrpc.testsupport.property;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * An alphabet for generated strings: ranges of UTF-16 chars, each char as likely as any other, and
 * the edge chars among them (U+0000, the first and last surrogates, U+FFFF, quote, backslash and
 * the ends of each range) that {@link Gens#strings} draws more often than their share.
 */
public final class Chars {

  /** Chars the alphabets below treat as edges when they contain them. */
  private static final char[] EDGE_CANDIDATES = {
    '\u0000', '\u001f', '"', '\\', '\u007f', '\u00ff', '\ud7ff', '\ud800', '\udbff', '\udc00',
    '\udfff', '\ue000', '\ufffd', '\ufffe', '\uffff'
  };

  /** Every UTF-16 char, U+0000 and unpaired surrogates included. */
  public static final Chars ANY = range('\u0000', '\uffff');

  /** U+0000 to U+007F. */
  public static final Chars ASCII = range('\u0000', '\u007f');

  /** {@code a-z A-Z 0-9}. */
  public static final Chars ALPHANUMERIC =
      range('a', 'z').plus(range('A', 'Z')).plus(range('0', '9'));

  private final char[] from;
  private final char[] to;
  private final char[] edges;
  private final int size;

  private Chars(char[] from, char[] to) {
    this.from = from;
    this.to = to;
    this.size = IntStream.range(0, from.length).map(i -> to[i] - from[i] + 1).sum();
    StringBuilder edgeChars = new StringBuilder();
    for (char c : EDGE_CANDIDATES) {
      if (contains(c)) {
        edgeChars.append(c);
      }
    }
    for (int i = 0; i < from.length; i++) {
      edgeChars.append(from[i]).append(to[i]);
    }
    this.edges = edgeChars.toString().toCharArray();
  }

  /** The chars {@code first..last}. */
  public static Chars range(char first, char last) {
    if (first > last) {
      throw new IllegalArgumentException("empty range " + (int) first + ".." + (int) last);
    }
    return new Chars(new char[] {first}, new char[] {last});
  }

  /** The chars of {@code chars}. */
  public static Chars of(String chars) {
    Chars all = null;
    for (char c : chars.toCharArray()) {
      all = all == null ? range(c, c) : all.plus(range(c, c));
    }
    if (all == null) {
      throw new IllegalArgumentException("no chars");
    }
    return all;
  }

  /** These chars and those of {@code other}. */
  public Chars plus(Chars other) {
    char[] f = Arrays.copyOf(from, from.length + other.from.length);
    char[] t = Arrays.copyOf(to, to.length + other.to.length);
    System.arraycopy(other.from, 0, f, from.length, other.from.length);
    System.arraycopy(other.to, 0, t, to.length, other.to.length);
    return new Chars(f, t);
  }

  public boolean contains(char c) {
    for (int i = 0; i < from.length; i++) {
      if (c >= from[i] && c <= to[i]) {
        return true;
      }
    }
    return false;
  }

  /** Any char of the alphabet, each as likely. */
  char draw(SplittableRandom random) {
    int index = random.nextInt(size);
    for (int i = 0; i < from.length; i++) {
      int width = to[i] - from[i] + 1;
      if (index < width) {
        return (char) (from[i] + index);
      }
      index -= width;
    }
    throw new AssertionError("index beyond the alphabet");
  }

  /** One of the edge chars of the alphabet. */
  char drawEdge(SplittableRandom random) {
    return edges[random.nextInt(edges.length)];
  }
}
