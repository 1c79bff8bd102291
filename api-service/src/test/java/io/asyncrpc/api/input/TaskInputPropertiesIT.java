package io.asyncrpc.api.input;

import static io.asyncrpc.api.input.ApiFixture.JSON;
import static io.asyncrpc.api.input.ApiFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.api.input.ApiFixture.Rows;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.property.Chars;
import io.asyncrpc.testsupport.property.Gen;
import io.asyncrpc.testsupport.property.Gens;
import io.asyncrpc.testsupport.property.Property;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Properties of the task resource under arbitrary input, against the real PostgreSQL and RabbitMQ:
 * every body field, header, query parameter and path of {@code /api/v1/tasks} is generated valid,
 * invalid, wrongly typed, oversized or unstorable. The API answers exactly as the rules say, never
 * with a 5xx; a refusal is a problem with a stable type and changes no row. Inputs come from seeded
 * generators ({@link Property}): the seed is printed, {@code -Dproperty.seed=N} replays a run.
 */
class TaskInputPropertiesIT {

  private static final List<String> FIELDS =
      List.of("device_id", "method_code", "priority", "ttl", "payload", "external_id", "extra");

  private static ApiFixture fixture;
  private static String device;
  private static String validCursor;
  private static UUID foreignTask;

  /** Alphabet of valid device ids and of the random part of unregistered ones. */
  static final Chars ID_CHARS = Chars.ALPHANUMERIC.plus(Chars.of("-_"));

  @BeforeAll
  static void start() {
    fixture = new ApiFixture("task-props");
    device = fixture.registerDevice("props");
    for (int i = 0; i < 2; i++) {
      Answer created =
          fixture.client.post(
              "/api/v1/tasks",
              "{\"device_id\":\"%s\",\"method_code\":\"seed\"}".formatted(device),
              Map.of());
      assertThat(created.status()).isEqualTo(202);
    }
    Answer page = fixture.client.get("/api/v1/tasks?limit=1");
    validCursor = JSON.readTree(page.text()).path("next_cursor").asString();
    assertThat(validCursor).isNotBlank();
    ApiFixture other = new ApiFixture("task-props-other");
    String otherDevice = other.registerDevice("other");
    Answer foreign =
        other.client.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"theirs\"}".formatted(otherDevice),
            Map.of());
    foreignTask = UUID.fromString(JSON.readTree(foreign.text()).path("id").asString());
  }

  /** A generated create request and the answer the rules give it. */
  record Create(String body, Optional<String> idempotencyKey, Verdict verdict, List<Part> parts) {

    @Override
    public String toString() {
      return verdict
          + " key="
          + idempotencyKey.map(String::length).orElse(-1)
          + " "
          + abbreviated();
    }

    private String abbreviated() {
      return body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + ")" : body;
    }
  }

  @Test
  void createAnswersByTheRulesAndARefusalChangesNothing() {
    new Property("create answers by the rules and a refusal changes nothing", 200)
        .forAll(creates(), TaskInputPropertiesIT::checkCreate);
  }

  private static void checkCreate(Create create) {
    Rows before = fixture.rows();
    Map<String, String> headers =
        create.idempotencyKey().map(k -> Map.of("Idempotency-Key", k)).orElse(Map.of());

    Answer answer = fixture.client.post("/api/v1/tasks", create.body(), headers);

    if (create.verdict() != Verdict.OK) {
      assertProblem(answer, create.verdict().status(202), create.verdict().slugs());
      fixture.rows().assertUnchangedSince(before);
      return;
    }
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    JsonNode task = JSON.readTree(answer.text());
    assertThat(task.path("status").asString()).isEqualTo("QUEUED");
    assertThat(task.path("device_id").asString()).isEqualTo(device);
    Object payload = create.parts().get(4).value();
    JsonNode expected = JSON.readTree(payload == null ? "{}" : JsonText.write(payload));
    assertThat(ApiFixture.sameJson(expected, task.path("payload")))
        .as("payload stored as sent: %s, got %s", expected, task.path("payload"))
        .isTrue();
    Object ttl = create.parts().get(3).value();
    assertThat(
            Duration.between(
                Instant.parse(task.path("created_at").asString()),
                Instant.parse(task.path("deadline_at").asString())))
        .isEqualTo(Duration.ofSeconds(ttl == null ? 3600 : ((Number) ttl).longValue()));
    Object externalId = create.parts().get(5).value();
    assertThat(task.path("external_id").isNull() ? null : task.path("external_id").asString())
        .isEqualTo(externalId);
    Answer fetched = fixture.client.get("/api/v1/tasks/" + task.path("id").asString());
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(ApiFixture.sameJson(JSON.readTree(fetched.text()), task)).isTrue();
  }

  static Gen<Create> creates() {
    List<Gen<Part>> fields =
        List.of(
            deviceIds(),
            methodCodes(),
            integers(0, 9),
            integers(1, 604_800),
            payloads(),
            externalIds(),
            extraFields());
    Gen<Key> keys = idempotencyKeys();
    Gen<Create> structured =
        random -> {
          List<Part> parts = fields.stream().map(field -> field.draw(random)).toList();
          Key key = keys.draw(random);
          List<Verdict> verdicts = new ArrayList<>();
          parts.forEach(part -> verdicts.add(part.verdict()));
          verdicts.add(key.verdict());
          return new Create(Part.object(FIELDS, parts), key.value(), Verdict.of(verdicts), parts);
        };
    Gen<Create> garbage =
        Gens.oneOf(
                JsonText.anyText(200),
                Gens.of("", "{", "[]", "null", "42", "\"text\"", "{\"device_id\":", "{}}"),
                structured.map(c -> c.body().substring(0, c.body().length() / 2)))
            .map(text -> new Create(text, Optional.empty(), garbageVerdict(text), List.of()));
    return Gens.frequency(Gens.weighted(9, structured), Gens.weighted(1, garbage));
  }

  /** Text that is not a JSON object cannot be a create request; {@code {}} misses fields. */
  private static Verdict garbageVerdict(String text) {
    return text.replaceAll("[ \t\r\n]", "").equals("{}")
        ? Verdict.INVALID_VALUE
        : Verdict.UNREADABLE;
  }

  private static Gen<Part> deviceIds() {
    return Gens.frequency(
        Gens.weighted(6, Gens.just(Part.of(device, Verdict.OK))),
        Gens.weighted(
            1, Gens.strings(ID_CHARS, 1, 50).map(s -> Part.of("ghost-" + s, Verdict.UNREGISTERED))),
        Gens.weighted(1, invalidIds().map(s -> Part.of(s, Verdict.INVALID_VALUE))),
        Gens.weighted(1, wrongTypes()),
        Gens.weighted(
            1,
            Gens.of(Part.absent(Verdict.INVALID_VALUE), Part.raw("null", Verdict.INVALID_VALUE))));
  }

  /** Strings that are not device ids: empty, too long, or with a character outside the pattern. */
  static Gen<String> invalidIds() {
    return Gens.oneOf(
            Gens.of("", "a".repeat(65), "SN.1", "SN/1", "SN#", "SN+", "SN*", "SN 1", "SN\u0000"),
            JsonText.anyText(80))
        .filter(s -> !io.asyncrpc.protocol.DeviceId.isValid(s));
  }

  private static Gen<Part> methodCodes() {
    Gen<String> valid = Gens.strings(Chars.ALPHANUMERIC.plus(Chars.of("_.:-")), 1, 64);
    Gen<String> invalid =
        Gens.oneOf(Gens.of("", "x".repeat(65), "a/b", "a b", "a#", "é"), JsonText.anyText(80))
            .filter(s -> !s.matches(ProtocolLimits.METHOD_CODE_PATTERN));
    return Gens.frequency(
        Gens.weighted(6, valid.map(s -> Part.of(s, Verdict.OK))),
        Gens.weighted(1, invalid.map(s -> Part.of(s, Verdict.INVALID_VALUE))),
        Gens.weighted(1, wrongTypes()),
        Gens.weighted(
            1,
            Gens.of(Part.absent(Verdict.INVALID_VALUE), Part.raw("null", Verdict.INVALID_VALUE))));
  }

  /** An optional integer field with the valid range {@code min..max}. */
  private static Gen<Part> integers(int min, int max) {
    return Gens.frequency(
        Gens.weighted(2, Gens.of(Part.absent(Verdict.OK), Part.raw("null", Verdict.OK))),
        Gens.weighted(4, Gens.ints(min, max).map(i -> Part.of(i, Verdict.OK))),
        Gens.weighted(
            2,
            Gens.oneOf(Gens.ints(), Gens.of(min - 1, max + 1, Integer.MIN_VALUE))
                .filter(i -> i < min || i > max)
                .map(i -> Part.of(i, Verdict.INVALID_VALUE))),
        Gens.weighted(
            2,
            Gens.of(
                    "1.5",
                    "5.0",
                    "1e2",
                    "-0.0",
                    "99999999999999999999",
                    "\"5\"",
                    "true",
                    "[]",
                    "{}",
                    "0x10",
                    "NaN",
                    "Infinity",
                    "+5",
                    "05")
                .map(text -> Part.raw(text, Verdict.UNREADABLE))));
  }

  private static Gen<Part> payloads() {
    return Gens.frequency(
        Gens.weighted(2, Gens.of(Part.absent(Verdict.OK), Part.raw("null", Verdict.OK))),
        Gens.weighted(8, JsonText.values(3).map(v -> Part.of(v, Verdict.OK))),
        Gens.weighted(
            2, JsonText.unstorableValues().map(v -> Part.of(v, Verdict.UNSTORABLE_PAYLOAD))),
        Gens.weighted(
            1, JsonText.unpairedSurrogateNames().map(v -> Part.of(v, Verdict.UNREADABLE))),
        Gens.weighted(
            1,
            Gens.ints(ProtocolLimits.MAX_PAYLOAD_BYTES - 4, ProtocolLimits.MAX_PAYLOAD_BYTES + 1)
                .map(
                    n -> {
                      String text = "x".repeat(n);
                      boolean fits = n + 2 <= ProtocolLimits.MAX_PAYLOAD_BYTES;
                      return Part.of(text, fits ? Verdict.OK : Verdict.TOO_LARGE);
                    })));
  }

  private static Gen<Part> externalIds() {
    return Gens.frequency(
        Gens.weighted(3, Gens.of(Part.absent(Verdict.OK), Part.raw("null", Verdict.OK))),
        Gens.weighted(
            4,
            JsonText.storableText(1, ProtocolLimits.MAX_EXTERNAL_ID_LENGTH)
                .map(s -> Part.of(s, Verdict.OK))),
        Gens.weighted(
            2,
            Gens.oneOf(
                    Gens.of(
                        "",
                        "x".repeat(ProtocolLimits.MAX_EXTERNAL_ID_LENGTH + 1),
                        "a\u0000b",
                        "\ud800",
                        "x\udc00"),
                    JsonText.anyText(200))
                .filter(
                    s ->
                        s.isEmpty()
                            || s.length() > ProtocolLimits.MAX_EXTERNAL_ID_LENGTH
                            || !io.asyncrpc.task.model.JsonbLimits.isStorableText(s))
                .map(s -> Part.of(s, Verdict.INVALID_VALUE))),
        Gens.weighted(1, wrongTypes()));
  }

  /** Absent mostly; otherwise a field the API does not know, in any spelling. */
  private static Gen<Part> extraFields() {
    return Gens.frequency(
        Gens.weighted(9, Gens.just(Part.absent(Verdict.OK))),
        Gens.weighted(1, Gens.just(Part.raw("1", Verdict.UNREADABLE))));
  }

  /** A value of a JSON type the field does not have. */
  private static Gen<Part> wrongTypes() {
    return Gens.of("7", "-1.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}")
        .map(text -> Part.raw(text, Verdict.UNREADABLE));
  }

  /** An {@code Idempotency-Key} header, or none, and its verdict. */
  record Key(Optional<String> value, Verdict verdict) {}

  /**
   * Accepted keys start with a random UUID that is not drawn from the seed: a replayed run must not
   * meet the keys, and so the stored answers, of the run it replays.
   */
  private static Gen<Key> idempotencyKeys() {
    Chars printable = Chars.range('!', '~');
    return Gens.frequency(
        Gens.weighted(6, Gens.just(new Key(Optional.empty(), Verdict.OK))),
        Gens.weighted(
            3,
            Gens.strings(printable, 1, 90)
                .map(s -> new Key(Optional.of(UUID.randomUUID() + s), Verdict.OK))),
        Gens.weighted(
            1,
            Gens.strings(printable, 129, 300)
                .map(s -> new Key(Optional.of(s), Verdict.INVALID_PARAMETER))));
  }

  /** A generated listing query and whether the API must accept it. */
  record Listing(String query, List<String> invalid, boolean ambiguous) {}

  @Test
  void listingAnswersByTheRules() {
    new Property("task listing answers by the rules", 200)
        .forAll(listings(), TaskInputPropertiesIT::checkListing);
  }

  private static void checkListing(Listing listing) {
    Answer answer = fixture.client.get("/api/v1/tasks" + listing.query());

    if (listing.invalid().isEmpty() && listing.ambiguous() && answer.status() == 200) {
      return;
    }
    if (listing.invalid().isEmpty() && !listing.ambiguous()) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      JsonNode page = JSON.readTree(answer.text());
      assertThat(page.path("items").isArray()).isTrue();
      page.path("items")
          .values()
          .forEach(t -> assertThat(t.path("device_id").asString()).isEqualTo(device));
      return;
    }
    assertProblem(answer, 400, java.util.Set.of("invalid-parameter"));
    String field = JSON.readTree(answer.text()).path("errors").path(0).path("field").asString();
    assertThat(listing.invalid().isEmpty() ? List.of("limit") : listing.invalid()).contains(field);
  }

  static Gen<Listing> listings() {
    Gen<Param> deviceId =
        Gens.frequency(
            Gens.weighted(3, Gens.just(Param.none())),
            Gens.weighted(2, Gens.just(Param.valid("device_id", device))),
            Gens.weighted(
                2, invalidIds().filter(s -> !s.isEmpty()).map(s -> Param.invalid("device_id", s))));
    Gen<Param> status =
        Gens.frequency(
            Gens.weighted(3, Gens.just(Param.none())),
            Gens.weighted(
                2,
                Gens.of(io.asyncrpc.task.model.TaskStatus.values())
                    .map(s -> Param.valid("status", s.name()))),
            Gens.weighted(
                2,
                Gens.oneOf(Gens.of("queued", "DONE ", "ALL", "-1"), JsonText.anyText(30))
                    .filter(s -> !s.isEmpty() && !isStatusList(s))
                    .map(s -> Param.invalid("status", s))));
    Gen<Param> externalId =
        Gens.frequency(
            Gens.weighted(3, Gens.just(Param.none())),
            Gens.weighted(2, JsonText.storableText(1, 200).map(s -> Param.valid("external_id", s))),
            Gens.weighted(
                1, Gens.of("a\u0000", "\u0000").map(s -> Param.invalid("external_id", s))));
    Gen<Param> limit =
        Gens.frequency(
            Gens.weighted(3, Gens.just(Param.none())),
            Gens.weighted(2, Gens.ints(1, 200).map(i -> Param.valid("limit", "" + i))),
            Gens.weighted(
                2,
                Gens.oneOf(
                        Gens.ints().filter(i -> i < 1 || i > 200).map(i -> "" + i),
                        Gens.of("abc", "1.5", "99999999999", "-0x10", "1e2", "∞"))
                    .map(s -> Param.invalid("limit", s))),
            Gens.weighted(
                1, Gens.of("", " 5", "0x10", "010", "+7").map(s -> Param.ambiguous("limit", s))));
    Gen<Param> cursor =
        Gens.frequency(
            Gens.weighted(3, Gens.just(Param.none())),
            Gens.weighted(1, Gens.just(Param.valid("cursor", validCursor))),
            Gens.weighted(
                2,
                Gens.oneOf(JsonText.anyText(60), Gens.of("=", "!!", "abc", "AAAA"))
                    .filter(s -> !s.isEmpty())
                    .map(s -> Param.invalid("cursor", s))),
            Gens.weighted(2, structuredCursors()));
    Gen<String> unknownNames = Gens.of("sort", "page", "offset", "order");
    Gen<String> unknownValues = JsonText.anyText(20);
    Gen<Param> unknown =
        Gens.frequency(
            Gens.weighted(3, Gens.just(Param.none())),
            Gens.weighted(
                1, random -> Param.valid(unknownNames.draw(random), unknownValues.draw(random))));
    List<Gen<Param>> all = List.of(deviceId, status, externalId, limit, cursor, unknown);
    return random -> {
      List<Param> params = all.stream().map(gen -> gen.draw(random)).toList();
      StringBuilder query = new StringBuilder();
      List<String> invalid = new ArrayList<>();
      boolean ambiguous = false;
      for (Param p : params) {
        if (p.name() == null) {
          continue;
        }
        query
            .append(query.isEmpty() ? '?' : '&')
            .append(encode(p.name()))
            .append('=')
            .append(encode(p.value()));
        if (p.kind() == Param.Kind.INVALID) {
          invalid.add(p.name());
        }
        ambiguous |= p.kind() == Param.Kind.AMBIGUOUS;
      }
      return new Listing(query.toString(), invalid, ambiguous);
    };
  }

  /** Well-formed cursors at any instant: accepted within years 1..9999, refused beyond. */
  private static Gen<Param> structuredCursors() {
    long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() * 1_000_000L;
    Gen<Long> instants =
        Gens.oneOf(
            Gens.longs(),
            Gens.longs(min, max),
            Gens.of(Long.MIN_VALUE, Long.MAX_VALUE, min - 1, max + 1_000_000));
    Gen<UUID> ids = Gens.uuids();
    return random -> {
      long micros = instants.draw(random);
      String raw = micros + ":" + ids.draw(random);
      String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes());
      return micros >= min && micros <= max
          ? Param.valid("cursor", text)
          : Param.invalid("cursor", text);
    };
  }

  /**
   * Whether the listing reads {@code s} as statuses: split at commas, each part trimmed (as Spring
   * binds a list parameter) and stripped, blank parts left out.
   */
  private static boolean isStatusList(String s) {
    for (String part : s.split(",", -1)) {
      String name = part.trim().strip();
      if (!name.isEmpty() && !isStatus(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isStatus(String s) {
    for (var status : io.asyncrpc.task.model.TaskStatus.values()) {
      if (status.name().equals(s)) {
        return true;
      }
    }
    return false;
  }

  /** A path segment in place of a task id, for GET, GET …/events and DELETE. */
  record Target(String segment, boolean foreign) {}

  @Test
  void anUnknownOrMalformedTaskIdIsAProblemAndChangesNothing() {
    new Property("an unknown or malformed task id is a problem and changes nothing", 150)
        .forAll(targets(), TaskInputPropertiesIT::checkTarget);
  }

  private static void checkTarget(Target target) {
    Rows before = fixture.rows();
    String path = "/api/v1/tasks/" + target.segment();

    for (Answer answer :
        List.of(
            fixture.client.get(path),
            fixture.client.get(path + "/events"),
            fixture.client.delete(path))) {
      assertThat(answer.status()).as(answer.text()).isIn(400, 404);
      assertProblem(
          answer,
          answer.status(),
          java.util.Set.of("invalid-parameter", "task-not-found", "not-found", "bad-request"));
    }
    fixture.rows().assertUnchangedSince(before);
    if (target.foreign()) {
      assertThat(
              fixture
                  .jdbc
                  .sql("SELECT status FROM tasks WHERE id = ?")
                  .param(foreignTask)
                  .query(String.class)
                  .single())
          .isEqualTo("QUEUED");
    }
  }

  static Gen<Target> targets() {
    return Gens.frequency(
        Gens.weighted(2, Gens.uuids().map(u -> new Target(u.toString(), false))),
        Gens.weighted(1, Gens.just(new Target(foreignTask.toString(), true))),
        Gens.weighted(
            4,
            Gens.oneOf(
                    JsonText.anyText(50),
                    Gens.of(
                        "%",
                        "00000000-0000-0000-0000-00000000000g",
                        "1-1-1-1-1",
                        "3F2B6C1E-8D4A-4F7E-9B1C-2A5D6E7F8091x",
                        ";jsessionid=1",
                        "%2e%2e"))
                // "." and ".." are path navigation, not ids: the router resolves them first.
                .filter(s -> !s.isEmpty() && !s.equals(".") && !s.equals(".."))
                .map(s -> new Target(encodeSegment(s), false))));
  }

  /** A query parameter: none, or a name and value the API must accept, refuse or may do either. */
  record Param(String name, String value, Kind kind) {
    enum Kind {
      VALID,
      INVALID,
      AMBIGUOUS
    }

    static Param none() {
      return new Param(null, null, Kind.VALID);
    }

    static Param valid(String name, String value) {
      return new Param(name, value, Kind.VALID);
    }

    static Param invalid(String name, String value) {
      return new Param(name, value, Kind.INVALID);
    }

    static Param ambiguous(String name, String value) {
      return new Param(name, value, Kind.AMBIGUOUS);
    }
  }

  /** Percent-encodes text as UTF-8 (an unpaired surrogate becomes {@code ?}). */
  static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Percent-encodes a path segment: everything but unreserved characters. */
  static String encodeSegment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
