package io.asyncrpc.api.input;

import static io.asyncrpc.api.input.ApiFixture.JSON;
import static io.asyncrpc.api.input.ApiFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.input.ApiFixture.Rows;
import io.asyncrpc.task.model.JsonbLimits;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.property.Gen;
import io.asyncrpc.testsupport.property.Gens;
import io.asyncrpc.testsupport.property.Property;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Properties of the device registry under arbitrary input, against the real PostgreSQL: the
 * registration body, the device path and the listing parameters. A refusal is a problem with a
 * stable type, never a 5xx, and registers nothing. Inputs come from seeded generators ({@link
 * Property}): the seed is printed, {@code -Dproperty.seed=N} replays a run.
 */
class DeviceInputPropertiesIT {

  private static final List<String> FIELDS = List.of("id", "display_name", "extra");

  private static ApiFixture fixture;
  private static String existing;

  @BeforeAll
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

  @Test
  void registrationAnswersByTheRulesAndARefusalRegistersNothing() {
    new Property("registration answers by the rules and a refusal registers nothing", 150)
        .forAll(registrations(), DeviceInputPropertiesIT::checkRegistration);
  }

  private static void checkRegistration(Registration registration) {
    Rows before = fixture.rows();

    Answer answer = fixture.client.post("/api/v1/devices", registration.body(), Map.of());

    if (registration.verdict() != Verdict.OK) {
      assertProblem(answer, registration.verdict().status(201), registration.verdict().slugs());
      fixture.rows().assertUnchangedSince(before);
      return;
    }
    assertThat(answer.status()).as(answer.text()).isEqualTo(201);
    JsonNode device = JSON.readTree(answer.text());
    assertThat(device.path("id").asString()).isEqualTo(registration.parts().get(0).value());
    Object name = registration.parts().get(1).value();
    assertThat(device.path("display_name").isNull() ? null : device.path("display_name").asString())
        .isEqualTo(name);
    assertThat(fixture.rows().devices()).isEqualTo(before.devices() + 1);
  }

  /**
   * Valid ids start with a random UUID prefix that is not drawn from the seed: a replayed run must
   * not find the devices the run it replays registered.
   */
  static Gen<Registration> registrations() {
    Gen<Part> ids =
        Gens.frequency(
            Gens.weighted(
                5,
                Gens.strings(TaskInputPropertiesIT.ID_CHARS, 1, 40)
                    .map(
                        s ->
                            Part.of(
                                "p" + UUID.randomUUID().toString().substring(0, 8) + s,
                                Verdict.OK))),
            Gens.weighted(1, Gens.just(Part.of(existing, Verdict.EXISTS))),
            Gens.weighted(
                2, TaskInputPropertiesIT.invalidIds().map(s -> Part.of(s, Verdict.INVALID_VALUE))),
            Gens.weighted(1, wrongTypes()),
            Gens.weighted(
                1,
                Gens.of(
                    Part.absent(Verdict.INVALID_VALUE), Part.raw("null", Verdict.INVALID_VALUE))));
    Gen<Part> names =
        Gens.frequency(
            Gens.weighted(3, Gens.of(Part.absent(Verdict.OK), Part.raw("null", Verdict.OK))),
            Gens.weighted(4, JsonText.storableText(0, 200).map(s -> Part.of(s, Verdict.OK))),
            Gens.weighted(
                2,
                Gens.oneOf(
                        Gens.of("x".repeat(201), "a\u0000b", "\ud800", "x\udc00y"),
                        JsonText.anyText(300))
                    .filter(s -> s.length() > 200 || !JsonbLimits.isStorableText(s))
                    .map(s -> Part.of(s, Verdict.INVALID_VALUE))),
            Gens.weighted(1, wrongTypes()));
    Gen<Part> extra =
        Gens.frequency(
            Gens.weighted(9, Gens.just(Part.absent(Verdict.OK))),
            Gens.weighted(1, Gens.just(Part.raw("true", Verdict.UNREADABLE))));
    Gen<Registration> structured =
        random -> {
          List<Part> parts = List.of(ids.draw(random), names.draw(random), extra.draw(random));
          return new Registration(
              Part.object(FIELDS, parts),
              Verdict.of(parts.stream().map(Part::verdict).toList()),
              parts);
        };
    Gen<Registration> garbage =
        Gens.oneOf(JsonText.anyText(100), Gens.of("", "{", "[{}]", "\"id\""))
            .filter(s -> !s.replaceAll("[ \\t\\r\\n]", "").equals("{}"))
            .map(s -> new Registration(s, Verdict.UNREADABLE, List.of()));
    return Gens.frequency(Gens.weighted(9, structured), Gens.weighted(1, garbage));
  }

  private static Gen<Part> wrongTypes() {
    return Gens.of("7", "2.5", "false", "[]", "{\"a\":\"b\"}")
        .map(text -> Part.raw(text, Verdict.UNREADABLE));
  }

  @Test
  void anUnknownOrMalformedDeviceIdIsNotFound() {
    new Property("an unknown or malformed device id is not found", 100)
        .forAll(segments(), DeviceInputPropertiesIT::checkSegment);
  }

  private static void checkSegment(String segment) {
    Answer answer = fixture.client.get("/api/v1/devices/" + segment);

    assertThat(answer.status()).as(answer.text()).isIn(400, 404);
    assertProblem(answer, answer.status(), Set.of("device-not-found", "not-found", "bad-request"));
  }

  static Gen<String> segments() {
    return JsonText.anyText(100)
        .filter(s -> !s.isEmpty() && !s.equals(".") && !s.equals(".."))
        .map(TaskInputPropertiesIT::encodeSegment);
  }

  /** A query parameter's value (null: left out) and whether the API must accept it. */
  record Param(String value, boolean valid) {}

  /** A listing query: its limit and cursor. */
  record Listing(Param limit, Param cursor) {}

  @Test
  void listingAnswersByTheRules() {
    Gen<Param> limits = limits();
    Gen<Param> cursors = cursors();
    new Property("device listing answers by the rules", 100)
        .forAll(
            random -> new Listing(limits.draw(random), cursors.draw(random)),
            DeviceInputPropertiesIT::checkListing);
  }

  private static void checkListing(Listing listing) {
    Param limit = listing.limit();
    Param cursor = listing.cursor();
    StringBuilder query = new StringBuilder();
    if (limit.value() != null) {
      query.append("?limit=").append(TaskInputPropertiesIT.encode(limit.value()));
    }
    if (cursor.value() != null) {
      query
          .append(query.isEmpty() ? '?' : '&')
          .append("cursor=")
          .append(TaskInputPropertiesIT.encode(cursor.value()));
    }

    Answer answer = fixture.client.get("/api/v1/devices" + query);

    if (limit.valid() && cursor.valid()) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(JSON.readTree(answer.text()).path("items").isArray()).isTrue();
    } else {
      assertProblem(answer, 400, Set.of("invalid-parameter"));
    }
  }

  private static Gen<Param> limits() {
    return Gens.frequency(
        Gens.weighted(2, Gens.just(new Param(null, true))),
        Gens.weighted(2, Gens.ints(1, 200).map(i -> new Param("" + i, true))),
        Gens.weighted(
            2,
            Gens.oneOf(
                    Gens.ints().filter(i -> i < 1 || i > 200).map(i -> "" + i),
                    Gens.of("x", "2.0", "12345678901", "NaN"))
                .map(s -> new Param(s, false))));
  }

  private static Gen<Param> cursors() {
    return Gens.frequency(
        Gens.weighted(2, Gens.just(new Param(null, true))),
        Gens.weighted(
            2,
            Gens.oneOf(JsonText.anyText(60), Gens.of("!", "AAAA", "MTo"))
                .filter(s -> !s.isEmpty())
                .map(s -> new Param(s, false))));
  }
}
