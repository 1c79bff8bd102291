package io.asyncrpc.api.input;

import static io.asyncrpc.api.input.ApiFixture.JSON;
import static io.asyncrpc.api.input.ApiFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.RawClient.Answer;
import io.asyncrpc.api.input.ApiFixture.Rows;
import io.asyncrpc.task.model.JsonbLimits;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

/**
 * Properties of the device registry under arbitrary input, against the real PostgreSQL: the
 * registration body, the device path and the listing parameters. A refusal is a problem with a
 * stable type, never a 5xx, and registers nothing.
 */
class DeviceInputPropertiesIT {

  private static final List<String> FIELDS = List.of("id", "display_name", "extra");

  private static ApiFixture fixture;
  private static String existing;

  @BeforeContainer
  static void start() {
    fixture = new ApiFixture("device-props");
    existing = fixture.registerDevice("props");
  }

  /** A generated registration and the answer the rules give it. */
  record Registration(String body, Verdict verdict, List<Part> parts) {

    @Override
    public String toString() {
      return verdict + " " + body;
    }
  }

  @Property(tries = 150)
  void registrationAnswersByTheRulesAndARefusalRegistersNothing(
      @ForAll("registrations") Registration registration) {
    Rows before = fixture.rows();

    Answer answer = fixture.client.postJson("/api/v1/devices", registration.body(), Map.of());

    if (registration.verdict() != Verdict.OK) {
      assertProblem(answer, registration.verdict().status(201), registration.verdict().slugs());
      fixture.rows().assertUnchangedSince(before);
      return;
    }
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    JsonNode device = JSON.readTree(answer.body());
    assertThat(device.path("id").asString()).isEqualTo(registration.parts().get(0).value());
    Object name = registration.parts().get(1).value();
    assertThat(device.path("display_name").isNull() ? null : device.path("display_name").asString())
        .isEqualTo(name);
    assertThat(fixture.rows().devices()).isEqualTo(before.devices() + 1);
  }

  @Provide
  Arbitrary<Registration> registrations() {
    Arbitrary<Part> ids =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .withChars("-_")
                    .ofMinLength(1)
                    .ofMaxLength(40)
                    .map(
                        s ->
                            Part.of(
                                "p" + UUID.randomUUID().toString().substring(0, 8) + s,
                                Verdict.OK))),
            Tuple.of(1, Arbitraries.just(Part.of(existing, Verdict.EXISTS))),
            Tuple.of(
                2, TaskInputPropertiesIT.invalidIds().map(s -> Part.of(s, Verdict.INVALID_VALUE))),
            Tuple.of(1, wrongTypes()),
            Tuple.of(
                1,
                Arbitraries.of(
                    Part.absent(Verdict.INVALID_VALUE), Part.raw("null", Verdict.INVALID_VALUE))));
    Arbitrary<Part> names =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(Part.absent(Verdict.OK), Part.raw("null", Verdict.OK))),
            Tuple.of(4, JsonText.storableText(0, 200).map(s -> Part.of(s, Verdict.OK))),
            Tuple.of(
                2,
                Arbitraries.oneOf(
                        Arbitraries.of("x".repeat(201), "a\u0000b", "\ud800", "x\udc00y"),
                        JsonText.anyText(300))
                    .filter(s -> s.length() > 200 || !JsonbLimits.isStorableText(s))
                    .map(s -> Part.of(s, Verdict.INVALID_VALUE))),
            Tuple.of(1, wrongTypes()));
    Arbitrary<Part> extra =
        Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.just(Part.absent(Verdict.OK))),
            Tuple.of(1, Arbitraries.just(Part.raw("true", Verdict.UNREADABLE))));
    Arbitrary<Registration> structured =
        Combinators.combine(ids, names, extra)
            .as(
                (id, name, x) -> {
                  List<Part> parts = List.of(id, name, x);
                  return new Registration(
                      Part.object(FIELDS, parts),
                      Verdict.of(parts.stream().map(Part::verdict).toList()),
                      parts);
                });
    Arbitrary<Registration> garbage =
        Arbitraries.oneOf(JsonText.anyText(100), Arbitraries.of("", "{", "[{}]", "\"id\""))
            .filter(s -> !s.replaceAll("[ \\t\\r\\n]", "").equals("{}"))
            .map(s -> new Registration(s, Verdict.UNREADABLE, List.of()));
    return Arbitraries.frequencyOf(Tuple.of(9, structured), Tuple.of(1, garbage));
  }

  private static Arbitrary<Part> wrongTypes() {
    return Arbitraries.of("7", "2.5", "false", "[]", "{\"a\":\"b\"}")
        .map(text -> Part.raw(text, Verdict.UNREADABLE));
  }

  @Property(tries = 100)
  void anUnknownOrMalformedDeviceIdIsNotFound(@ForAll("segments") String segment) {
    Answer answer = fixture.client.get("/api/v1/devices/" + segment);

    assertThat(answer.status()).as(answer.body()).isIn(400, 404);
    assertProblem(answer, answer.status(), Set.of("device-not-found", "not-found", "bad-request"));
  }

  @Provide
  Arbitrary<String> segments() {
    return JsonText.anyText(100)
        .filter(s -> !s.isEmpty() && !s.equals(".") && !s.equals(".."))
        .map(TaskInputPropertiesIT::encodeSegment);
  }

  @Property(tries = 100)
  void listingAnswersByTheRules(
      @ForAll("limits") Tuple.Tuple2<String, Boolean> limit,
      @ForAll("cursors") Tuple.Tuple2<String, Boolean> cursor) {
    StringBuilder query = new StringBuilder();
    if (limit.get1() != null) {
      query.append("?limit=").append(TaskInputPropertiesIT.encode(limit.get1()));
    }
    if (cursor.get1() != null) {
      query
          .append(query.isEmpty() ? '?' : '&')
          .append("cursor=")
          .append(TaskInputPropertiesIT.encode(cursor.get1()));
    }

    Answer answer = fixture.client.get("/api/v1/devices" + query);

    if (limit.get2() && cursor.get2()) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(JSON.readTree(answer.body()).path("items").isArray()).isTrue();
    } else {
      assertProblem(answer, 400, Set.of("invalid-parameter"));
    }
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, Boolean>> limits() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(Tuple.of((String) null, true))),
        Tuple.of(2, Arbitraries.integers().between(1, 200).map(i -> Tuple.of("" + i, true))),
        Tuple.of(
            2,
            Arbitraries.oneOf(
                    Arbitraries.integers().filter(i -> i < 1 || i > 200).map(i -> "" + i),
                    Arbitraries.of("x", "2.0", "12345678901", "NaN"))
                .map(s -> Tuple.of(s, false))));
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, Boolean>> cursors() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(Tuple.of((String) null, true))),
        Tuple.of(
            2,
            Arbitraries.oneOf(JsonText.anyText(60), Arbitraries.of("!", "AAAA", "MTo"))
                .filter(s -> !s.isEmpty())
                .map(s -> Tuple.of(s, false))));
  }
}
