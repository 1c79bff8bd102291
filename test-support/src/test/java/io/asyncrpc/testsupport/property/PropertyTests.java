package io.asyncrpc.testsupport.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PropertyTests {

  private static final Gen<Object> MIXED =
      Gens.oneOf(
          Gens.ints(),
          Gens.strings(Chars.ANY, 0, 30),
          Gens.bigDecimals(new BigDecimal("-1e6"), new BigDecimal("1e6"), 6),
          Gens.uuids(),
          Gens.ints(0, 9).list(0, 5));

  @Test
  void theSameSeedDrawsTheSameInputs() {
    List<Object> first = new ArrayList<>();
    List<Object> second = new ArrayList<>();

    new Property("first", 300).forAll(42L, MIXED, first::add);
    new Property("second", 300).forAll(42L, MIXED, second::add);

    assertThat(second).isEqualTo(first);
    List<Object> other = new ArrayList<>();
    new Property("other", 300).forAll(43L, MIXED, other::add);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void aFailureNamesTheCaseTheSeedAndTheInput() {
    Property property = new Property("below five", 1000);

    assertThatThrownBy(() -> property.forAll(7L, Gens.ints(0, 9), i -> assertThat(i).isLessThan(5)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("property 'below five' failed at case ")
        .hasMessageContaining("of 1000, seed 7 (replay: -Dproperty.seed=7)")
        .hasMessageMatching("(?s).*input: [5-9]\\R.*");
  }

  @Test
  void intsReachTheirEdgesAndStayInRange() {
    Set<Integer> seen = new HashSet<>();
    SplittableRandom random = new SplittableRandom(1);
    Gen<Integer> ints = Gens.ints(-3, 1000);
    for (int i = 0; i < 500; i++) {
      seen.add(ints.draw(random));
    }
    assertThat(seen).contains(-3, -2, -1, 0, 1, 999, 1000).allMatch(i -> i >= -3 && i <= 1000);

    Set<Integer> wide = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      wide.add(Gens.ints().draw(random));
    }
    assertThat(wide).contains(Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
  }

  @Test
  void stringsCarryEdgeCharsAndReachTheirLengths() {
    SplittableRandom random = new SplittableRandom(2);
    Gen<String> strings = Gens.strings(Chars.ANY, 0, 5000);
    Set<Integer> lengths = new HashSet<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      String s = strings.draw(random);
      lengths.add(s.length());
      all.append(s);
    }
    assertThat(lengths).contains(0, 5000).allMatch(n -> n >= 0 && n <= 5000);
    assertThat(all.toString()).contains("\u0000", "\ud800", "\udfff", "\uffff");

    String alnum = Gens.strings(Chars.ALPHANUMERIC.plus(Chars.of("-_")), 1, 50).draw(random);
    assertThat(alnum).matches("[a-zA-Z0-9_-]{1,50}");
  }

  @Test
  void choicesFollowTheirWeightsAndFiltersHold() {
    SplittableRandom random = new SplittableRandom(3);
    Gen<String> weighted =
        Gens.frequency(Gens.weighted(9, Gens.just("often")), Gens.weighted(1, Gens.just("rare")));
    int rare = 0;
    for (int i = 0; i < 1000; i++) {
      rare += weighted.draw(random).equals("rare") ? 1 : 0;
    }
    assertThat(rare).isBetween(50, 150);

    Gen<Integer> odd = Gens.ints(0, 100).filter(i -> i % 2 == 1);
    for (int i = 0; i < 100; i++) {
      assertThat(odd.draw(random) % 2).isEqualTo(1);
    }
    assertThatThrownBy(() -> Gens.ints(0, 9).filter(i -> i > 9).draw(random))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void optionalsAndNullsAppearBesideValues() {
    SplittableRandom random = new SplittableRandom(4);
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      seen.add(Gens.optional(Gens.just("x")).draw(random).isPresent());
      seen.add(String.valueOf(Gens.orNull(Gens.just("x")).draw(random)));
    }
    assertThat(seen).contains(true, false, "x", "null");
  }
}
