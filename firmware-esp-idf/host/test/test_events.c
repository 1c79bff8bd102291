/*
 * Device events: golden messages 18 (the event), 19 (stored) and 20 (refused) as the Java
 * GoldenCodecTests use them; matching answers to pending events, resends and giving up, type 0 /
 * id 0, the local refusals (too large, not JSON, table full), and mutated answers.
 */
#include <stdint.h>

#include "golden.h"
#include "test.h"

#define CORRELATION "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
#define OTHER "11111111-2222-4333-8444-555555555555"
#define TASK "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8091"
#define EVT "dev/SN-0001/evt"
#define EVA "srv/SN-0001/eva"
#define PAYLOAD "{\"101\": 4711, \"102\": 1764072000, \"200\": 13, \"300\": [{\"cell\": 4, \"state\": \"open\"}]}"

/* What the application was told, per event. */
typedef struct {
  uint64_t type_code, dev_event_id, dev_timestamp;
  char correlation[ASYNCRPC_MAX_EVENT_CORRELATION + 1];
  asyncrpc_event_outcome_t outcome;
  char error_code[64];
  bool has_error_code;
  uint32_t sends;
} report_t;

static report_t reports[64];
static int report_count;
/* When set, the callback sends this event (an application that sends the next one from it). */
static const asyncrpc_event_t *send_from_callback;
static int send_from_callback_rc;

static void on_event(const asyncrpc_event_report_t *report, void *user) {
  CHECK(user == &reports);
  CHECK(report_count < 64);
  report_t *r = &reports[report_count++];
  memset(r, 0, sizeof(*r));
  r->type_code = report->type_code;
  r->dev_event_id = report->dev_event_id;
  r->dev_timestamp = report->dev_timestamp;
  CHECK(report->correlation != NULL && strlen(report->correlation) <= ASYNCRPC_MAX_EVENT_CORRELATION);
  strcpy(r->correlation, report->correlation);
  r->outcome = report->outcome;
  r->has_error_code = report->error_code != NULL;
  snprintf(r->error_code, sizeof(r->error_code), "%s", report->error_code == NULL ? "" : report->error_code);
  r->sends = report->sends;
  CHECK((report->outcome == ASYNCRPC_EVENT_REFUSED) == (report->error_code != NULL));
  if (send_from_callback != NULL) {
    const asyncrpc_event_t *next = send_from_callback;
    send_from_callback = NULL;
    send_from_callback_rc = asyncrpc_core_send_event(&core, next);
  }
}

static golden_t in, out;

static void init(uint8_t version, uint8_t attempts, bool connect) {
  memset(reports, 0, sizeof(reports));
  report_count = 0;
  send_from_callback = NULL;
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {.device_id = "SN-0001",
                              .protocol_version = version,
                              .event_attempts = attempts,
                              .on_event = on_event,
                              .event_user = &reports};
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
  if (connect) {
    asyncrpc_core_on_connected(&core);
  }
  fake_clear_sent();
}

static void start(void) { init(0, 0, true); }

/** Golden 18's event, with its correlation (or the core's when correlation is NULL). */
static int send_golden(const char *correlation) {
  golden_load("18-event.json", &out);
  asyncrpc_event_t event = {.type_code = 13,
                            .dev_event_id = 4711,
                            .dev_timestamp = 1764072000,
                            .payload = PAYLOAD,
                            .correlation = correlation};
  return asyncrpc_core_send_event(&core, &event);
}

static int send_simple(uint64_t type_code, uint64_t id, uint64_t timestamp) {
  return asyncrpc_core_publish_event(&core, type_code, id, timestamp, "{\"300\":[]}");
}

static void deliver_answer(const char *correlation, const char *type_code, const char *id, const char *payload) {
  asyncrpc_property_t props[2] = {{"event_type_code", type_code}, {"dev_event_id", id}};
  fake_deliver(EVA, correlation, props, 2, payload);
}

static void tick_after(uint64_t ms) {
  fake.now += ms;
  asyncrpc_core_tick(&core);
}

static bool is_uuid_v4_text(const fake_sent_t *sent) {
  asyncrpc_task_id_t id;
  return sent->correlation_len == 36 && asyncrpc_task_id_parse_text((const char *)sent->correlation, 36, &id) &&
         (id.bytes[6] >> 4) == 4 && (id.bytes[8] & 0xc0) == 0x80 && memchr(sent->correlation, 'A', 36) == NULL;
}

/* ---- golden 18-20 ---------------------------------------------------------------------------- */

/** 18 exactly: topic, correlation, event_type_code / dev_event_id / dev_timestamp in order, payload. */
TEST(golden_event_is_encoded_exactly) {
  start();
  CHECK_INT(ASYNCRPC_EVENT_OK, send_golden(CORRELATION));
  CHECK_INT(1, fake.sent_count);
  golden_check(&fake.sent[0], &out);
  CHECK_STR("event_type_code", fake.sent[0].keys[0]);
  CHECK_STR("dev_event_id", fake.sent[0].keys[1]);
  CHECK_STR("dev_timestamp", fake.sent[0].keys[2]);
  CHECK_INT(1, asyncrpc_core_events_pending(&core));
  CHECK_INT(0, report_count);
  CHECK(strstr(fake.last_event, "event 13/4711 sent correlation=" CORRELATION) != NULL);
}

/** Events are the same in v2: no protocol property (DeviceCodec.event declares nothing). */
TEST(golden_event_is_the_same_in_v2) {
  init(ASYNCRPC_PROTOCOL_V2, 0, true);
  CHECK_INT(ASYNCRPC_EVENT_OK, send_golden(CORRELATION));
  golden_check(fake_last(EVT), &out);
  CHECK(fake_property(fake_last(EVT), "protocol") == NULL);
}

/** The core's own correlation: a UUID's text, different for each event; everything else is 18. */
TEST(golden_event_with_the_cores_correlation) {
  start();
  CHECK_INT(ASYNCRPC_EVENT_OK, send_golden(NULL));
  const fake_sent_t *first = fake_last(EVT);
  CHECK(first != NULL && is_uuid_v4_text(first));
  out.correlation_len = 36;
  memcpy(out.correlation, first->correlation, 36);
  golden_check(first, &out);
  CHECK_INT(ASYNCRPC_EVENT_OK, send_golden(""));
  const fake_sent_t *second = fake_last(EVT);
  CHECK(second != first && is_uuid_v4_text(second));
  CHECK(memcmp(first->correlation, second->correlation, 36) != 0);
  /* Another core with another seed makes other correlations for the same events. */
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {.device_id = "SN-0001", .event_seed = 42};
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
  asyncrpc_core_on_connected(&core);
  fake.now = 1000;
  CHECK_INT(ASYNCRPC_EVENT_OK, send_golden(NULL));
  CHECK(is_uuid_v4_text(fake_last(EVT)));
}

TEST(golden_event_answer_success_is_matched) {
  start();
  send_golden(CORRELATION);
  golden_load("19-event-answer.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, report_count);
  CHECK_INT(ASYNCRPC_EVENT_STORED, reports[0].outcome);
  CHECK_INT(13, reports[0].type_code);
  CHECK_INT(4711, reports[0].dev_event_id);
  CHECK_INT(1764072000, reports[0].dev_timestamp);
  CHECK_STR(CORRELATION, reports[0].correlation);
  CHECK(!reports[0].has_error_code);
  CHECK_INT(1, reports[0].sends);
  CHECK_INT(0, asyncrpc_core_events_pending(&core));
  CHECK_INT(1, core.stats.events_stored);
  CHECK_STR("event 13/4711 stored (1 send)", fake.last_event);
  fake_clear_sent();
  tick_after(60000);
  CHECK_INT(0, fake_count(EVT));
}

TEST(golden_event_answer_error_is_matched_with_its_code) {
  start();
  send_golden(CORRELATION);
  golden_load("20-event-answer-error.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, report_count);
  CHECK_INT(ASYNCRPC_EVENT_REFUSED, reports[0].outcome);
  CHECK_STR("invalid-event", reports[0].error_code);
  CHECK_INT(1, core.stats.events_refused);
  CHECK_STR("event 13/4711 refused invalid-event (1 send)", fake.last_event);
  fake_clear_sent();
  tick_after(60000);
  CHECK_INT(0, fake_count(EVT));
}

/** An answer the core sent twice (to a resend): the second finds nothing waiting. */
TEST(second_answer_to_an_event_is_ignored) {
  start();
  send_golden(CORRELATION);
  golden_load("19-event-answer.json", &in);
  golden_deliver(&in);
  golden_deliver(&in);
  CHECK_INT(1, report_count);
  CHECK_INT(1, core.stats.event_answers_unmatched);
  CHECK_INT(1, fake.sent_count); /* answers are not answered */
}

/* ---- matching ---------------------------------------------------------------------------------- */

/** Without correlation data the oldest sent event of that type and id is the one answered. */
TEST(answer_without_correlation_matches_type_and_id_oldest_first) {
  start();
  send_simple(13, 4711, 1764072000);
  send_simple(13, 4712, 1764072000);
  send_simple(13, 4711, 1764072001); /* the same id at another time: another event for the core */
  golden_load("19-event-answer.json", &in);
  in.correlation_len = 0;
  golden_deliver(&in);
  CHECK_INT(1, report_count);
  CHECK_INT(1764072000, reports[0].dev_timestamp);
  CHECK_INT(4711, reports[0].dev_event_id);
  golden_deliver(&in);
  CHECK_INT(2, report_count);
  CHECK_INT(1764072001, reports[1].dev_timestamp);
  golden_deliver(&in);
  CHECK_INT(2, report_count);
  CHECK_INT(1, asyncrpc_core_events_pending(&core));
}

/** With correlation data only that event matches: a foreign correlation is not an answer. */
TEST(answer_with_another_correlation_is_not_matched) {
  start();
  send_golden(CORRELATION);
  deliver_answer(OTHER, "13", "4711", "{\"status\":\"success\"}");
  CHECK_INT(0, report_count);
  CHECK_INT(1, core.stats.event_answers_unmatched);
  /* the right correlation with another type or id is not its answer either */
  deliver_answer(CORRELATION, "13", "4712", "{\"status\":\"success\"}");
  deliver_answer(CORRELATION, "14", "4711", "{\"status\":\"success\"}");
  CHECK_INT(0, report_count);
  CHECK_INT(3, core.stats.event_answers_unmatched);
  fake_clear_sent();
  tick_after(5000);
  CHECK_INT(1, fake_count(EVT)); /* still waiting: resent */
  deliver_answer(CORRELATION, "13", "4711", "{\"status\":\"success\"}");
  CHECK_INT(1, report_count);
  CHECK_INT(2, reports[0].sends);
}

/** Answers are matched by correlation when several events wait. */
TEST(answers_match_their_own_events) {
  start();
  asyncrpc_event_t a = {.type_code = 1, .dev_event_id = 10, .dev_timestamp = 100, .correlation = "a"};
  asyncrpc_event_t b = {.type_code = 1, .dev_event_id = 10, .dev_timestamp = 101, .correlation = "b"};
  CHECK_INT(0, asyncrpc_core_send_event(&core, &a));
  CHECK_INT(0, asyncrpc_core_send_event(&core, &b));
  CHECK_INT(0, fake.sent[0].payload_len); /* no payload: an empty one, as DeviceCodec sends null */
  deliver_answer("b", "1", "10", "{\"status\":\"error\",\"code\":\"payload-too-large\"}");
  deliver_answer("a", "1", "10", "{\"status\":\"success\"}");
  CHECK_INT(2, report_count);
  CHECK_STR("b", reports[0].correlation);
  CHECK_INT(ASYNCRPC_EVENT_REFUSED, reports[0].outcome);
  CHECK_STR("payload-too-large", reports[0].error_code);
  CHECK_STR("a", reports[1].correlation);
  CHECK_INT(ASYNCRPC_EVENT_STORED, reports[1].outcome);
}

/** The type and id of an answer are read as DeviceEvent.parse reads them. */
TEST(answer_numbers_are_read_as_the_java_codec_reads_them) {
  start();
  const char *types[] = {" 13", "+13", "013", "13\t", "0000000000000000013"};
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    CHECK_INT(0, send_simple(13, 4711, 1764072000));
    deliver_answer(NULL, types[i], "4711", "{\"status\":\"success\"}");
    CHECK_INT((int)i + 1, report_count);
  }
  CHECK_INT(0, send_simple(13, 4711, 1764072000));
  const char *bad[] = {"", " ", "-13", "13.0", "0x0d", "1 3", "00000000000000000013", "9223372036854775808",
                       "+", "-", "13a"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    deliver_answer(NULL, bad[i], "4711", "{\"status\":\"success\"}");
    deliver_answer(NULL, "13", bad[i], "{\"status\":\"success\"}");
  }
  CHECK_INT(5, report_count);
  CHECK_INT(2 * sizeof(bad) / sizeof(bad[0]), core.stats.event_answers_malformed);
  /* the largest id the protocol allows */
  CHECK_INT(0, send_simple(INT64_MAX, INT64_MAX, 1));
  deliver_answer(NULL, "9223372036854775807", "9223372036854775807", "{\"status\":\"success\"}");
  CHECK_INT(6, report_count);
  CHECK(reports[5].type_code == (uint64_t)INT64_MAX);
}

TEST(error_answer_without_code_is_refused_unknown) {
  start();
  send_golden(CORRELATION);
  deliver_answer(CORRELATION, "13", "4711", "{\"status\":\"error\"}");
  CHECK_INT(ASYNCRPC_EVENT_REFUSED, reports[0].outcome);
  CHECK_STR("unknown", reports[0].error_code);
  send_golden(CORRELATION);
  deliver_answer(CORRELATION, "13", "4711", "{\"status\":\"later\",\"code\":7}");
  CHECK_INT(ASYNCRPC_EVENT_REFUSED, reports[1].outcome); /* not "success": not stored (DeviceCodec) */
  CHECK_STR("unknown", reports[1].error_code);
}

/* ---- resends, give-up, offline -------------------------------------------------------------------- */

TEST(unanswered_event_is_resent_then_given_up) {
  start();
  send_golden(CORRELATION);
  for (int send = 2; send <= 5; send++) {
    tick_after(4999);
    CHECK_INT(send - 1, fake_count(EVT));
    tick_after(1);
    CHECK_INT(send, fake_count(EVT));
    golden_check(fake_last(EVT), &out); /* the same message every time */
  }
  CHECK(strstr(fake.last_event, "event 13/4711 resent (5 sends)") != NULL);
  CHECK_INT(0, report_count);
  tick_after(5000);
  CHECK_INT(5, fake_count(EVT));
  CHECK_INT(1, report_count);
  CHECK_INT(ASYNCRPC_EVENT_UNANSWERED, reports[0].outcome);
  CHECK_INT(5, reports[0].sends);
  CHECK_STR("event 13/4711 unanswered (5 sends)", fake.last_event);
  CHECK_INT(0, asyncrpc_core_events_pending(&core));
  CHECK_INT(5, core.stats.events_sent);
  CHECK_INT(4, core.stats.events_resent);
  CHECK_INT(1, core.stats.events_unanswered);
  tick_after(60000);
  CHECK_INT(5, fake_count(EVT));
  /* a late answer finds nothing */
  golden_load("19-event-answer.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, report_count);
}

TEST(event_attempts_and_retry_interval_are_configurable) {
  memset(reports, 0, sizeof(reports));
  report_count = 0;
  asyncrpc_port_t port = fake_port(false);
  asyncrpc_config_t config = {.device_id = "SN-0001",
                              .result_retry_ms = 700,
                              .event_attempts = 2,
                              .on_event = on_event,
                              .event_user = &reports};
  CHECK(asyncrpc_core_init(&core, &config, &port) == 0);
  asyncrpc_core_on_connected(&core);
  send_simple(13, 1, 1);
  CHECK_INT(700, asyncrpc_core_next_timeout_ms(&core));
  tick_after(700);
  CHECK_INT(2, fake_count(EVT));
  tick_after(700);
  CHECK_INT(1, report_count);
  CHECK_INT(ASYNCRPC_EVENT_UNANSWERED, reports[0].outcome);
  CHECK_INT(2, reports[0].sends);
}

TEST(answer_after_resends_reports_the_sends) {
  start();
  send_golden(CORRELATION);
  tick_after(5000);
  tick_after(5000);
  golden_load("19-event-answer.json", &in);
  golden_deliver(&in);
  CHECK_INT(3, reports[0].sends);
  CHECK_STR("event 13/4711 stored (3 sends)", fake.last_event);
}

/** Offline: events wait and go out in order on connect; time offline does not use up sends. */
TEST(events_wait_while_offline_and_go_out_on_connect) {
  init(0, 0, false);
  CHECK_INT(0, send_simple(13, 1, 100));
  CHECK_INT(0, send_simple(13, 2, 100));
  CHECK_INT(0, fake_count(EVT));
  tick_after(60000);
  CHECK_INT(0, fake_count(EVT));
  CHECK_INT(2, asyncrpc_core_events_pending(&core));
  /* an answer cannot be for an event not sent yet */
  deliver_answer(NULL, "13", "1", "{\"status\":\"success\"}");
  CHECK_INT(0, report_count);
  CHECK_INT(1, core.stats.event_answers_unmatched);
  asyncrpc_core_on_connected(&core);
  CHECK_INT(2, fake_count(EVT));
  CHECK_STR("1", fake_property(&fake.sent[0], "dev_event_id"));
  CHECK_STR("2", fake_property(&fake.sent[1], "dev_event_id"));
  CHECK_STR("dev/SN-0001/req", fake.sent[2].topic); /* the poll after them */
  /* sent, then the connection drops: resent on the next connection at its time, not twice */
  asyncrpc_core_on_disconnected(&core);
  tick_after(60000);
  CHECK_INT(2, fake_count(EVT));
  CHECK_INT(30000, asyncrpc_core_next_timeout_ms(&core)); /* offline: nothing is due */
  asyncrpc_core_on_connected(&core);
  CHECK_INT(2, fake_count(EVT));
  asyncrpc_core_tick(&core);
  CHECK_INT(4, fake_count(EVT));
  CHECK_INT(0, report_count);
}

/** Events are sent in acceptance order on connect, whichever slots they occupy. */
TEST(unsent_events_go_out_in_acceptance_order) {
  init(0, 0, true);
  send_simple(1, 1, 1); /* slot 0, sent */
  asyncrpc_core_on_disconnected(&core);
  send_simple(1, 2, 1); /* slot 1, waits */
  deliver_answer(NULL, "1", "1", "{\"status\":\"success\"}"); /* an answer still queued: frees slot 0 */
  send_simple(1, 3, 1); /* slot 0, waits */
  fake_clear_sent();
  asyncrpc_core_on_connected(&core);
  CHECK_INT(2, fake_count(EVT));
  CHECK_STR("2", fake_property(&fake.sent[0], "dev_event_id"));
  CHECK_STR("3", fake_property(&fake.sent[1], "dev_event_id"));
}

TEST(next_timeout_counts_event_resends) {
  start();
  uint32_t before = asyncrpc_core_next_timeout_ms(&core);
  CHECK_INT(30000, before);
  send_simple(13, 1, 1);
  CHECK_INT(5000, asyncrpc_core_next_timeout_ms(&core));
  fake.now += 4000;
  CHECK_INT(1000, asyncrpc_core_next_timeout_ms(&core));
  asyncrpc_core_on_disconnected(&core);
  CHECK_INT(30000, asyncrpc_core_next_timeout_ms(&core));
}

/* ---- type 0 / id 0 ---------------------------------------------------------------------------------- */

TEST(type_0_or_id_0_is_done_once_sent) {
  start();
  CHECK_INT(0, send_simple(0, 4711, 1764072000));
  CHECK_INT(1, fake_count(EVT));
  CHECK_STR("0", fake_property(fake_last(EVT), "event_type_code"));
  CHECK_INT(1, report_count);
  CHECK_INT(ASYNCRPC_EVENT_NO_ANSWER_EXPECTED, reports[0].outcome);
  CHECK_INT(1, reports[0].sends);
  CHECK_STR("event 0/4711 sent, not answered by the core (type or id 0)", fake.last_event);
  CHECK_INT(0, send_simple(13, 0, 1764072000));
  CHECK_INT(2, report_count);
  CHECK_INT(ASYNCRPC_EVENT_NO_ANSWER_EXPECTED, reports[1].outcome);
  CHECK_INT(0, asyncrpc_core_events_pending(&core));
  tick_after(60000);
  CHECK_INT(2, fake_count(EVT));
  /* an answer anyway matches nothing */
  deliver_answer(NULL, "0", "4711", "{\"status\":\"success\"}");
  CHECK_INT(2, report_count);
}

TEST(type_0_event_offline_is_sent_on_connect_then_done) {
  init(0, 0, false);
  CHECK_INT(0, send_simple(0, 0, 5));
  CHECK_INT(0, report_count);
  CHECK_INT(1, asyncrpc_core_events_pending(&core));
  asyncrpc_core_on_connected(&core);
  CHECK_INT(1, fake_count(EVT));
  CHECK_INT(1, report_count);
  CHECK_INT(ASYNCRPC_EVENT_NO_ANSWER_EXPECTED, reports[0].outcome);
  CHECK_INT(0, asyncrpc_core_events_pending(&core));
}

/** Not taken by the MQTT client: a type 0 event is tried again, then given up. */
TEST(type_0_event_the_client_did_not_take_is_retried) {
  init(0, 2, true);
  fake.fail_publishes = true;
  CHECK_INT(0, send_simple(0, 1, 5));
  CHECK_INT(0, report_count);
  tick_after(5000);
  CHECK_INT(2, fake_count(EVT));
  tick_after(5000);
  CHECK_INT(ASYNCRPC_EVENT_UNANSWERED, reports[0].outcome);
  fake.fail_publishes = false;
  CHECK_INT(0, send_simple(0, 2, 5));
  CHECK_INT(ASYNCRPC_EVENT_NO_ANSWER_EXPECTED, reports[1].outcome);
}

/* ---- local refusals -------------------------------------------------------------------------------- */

static char big[ASYNCRPC_MAX_EVENT_PAYLOAD + 2];

/** A JSON string of exactly len bytes. */
static const char *json_string_of(size_t len) {
  CHECK(len >= 2 && len < sizeof(big));
  big[0] = '"';
  memset(big + 1, 'x', len - 2);
  big[len - 1] = '"';
  big[len] = '\0';
  return big;
}

TEST(oversized_payload_is_refused_locally) {
  start();
  CHECK_INT(ASYNCRPC_EVENT_ERR_TOO_LARGE,
            asyncrpc_core_publish_event(&core, 13, 1, 1, json_string_of(ASYNCRPC_MAX_EVENT_PAYLOAD + 1)));
  asyncrpc_event_t event = {.type_code = 13, .dev_event_id = 1, .payload = big,
                            .payload_len = ASYNCRPC_MAX_EVENT_PAYLOAD + 1};
  CHECK_INT(ASYNCRPC_EVENT_ERR_TOO_LARGE, asyncrpc_core_send_event(&core, &event));
  CHECK_STR("payload-too-large", asyncrpc_event_error_code(ASYNCRPC_EVENT_ERR_TOO_LARGE));
  CHECK_INT(0, fake.sent_count);
  CHECK_INT(0, report_count);
  CHECK_INT(0, asyncrpc_core_events_pending(&core));
  /* exactly the limit is sent, byte for byte */
  CHECK_INT(ASYNCRPC_EVENT_OK,
            asyncrpc_core_publish_event(&core, 13, 1, 1, json_string_of(ASYNCRPC_MAX_EVENT_PAYLOAD)));
  const fake_sent_t *sent = fake_last(EVT);
  CHECK(sent != NULL);
  CHECK_INT(ASYNCRPC_MAX_EVENT_PAYLOAD, sent->payload_len);
  CHECK(memcmp(sent->payload, big, ASYNCRPC_MAX_EVENT_PAYLOAD) == 0);
}

TEST(payload_that_is_not_one_json_document_is_refused_locally) {
  start();
  const char *bad[] = {"{oops", "{} {}", "   ", "[1,2", "{\"a\":1}x", "nul"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_INT(ASYNCRPC_EVENT_ERR_NOT_JSON, asyncrpc_core_publish_event(&core, 13, 1, 1, bad[i]));
  }
  asyncrpc_event_t nul = {.type_code = 13, .dev_event_id = 1, .payload = "{}\0{}", .payload_len = 5};
  CHECK_INT(ASYNCRPC_EVENT_ERR_NOT_JSON, asyncrpc_core_send_event(&core, &nul));
  CHECK_INT(0, fake.sent_count);
  /* any one JSON value goes, with white space around it; NULL or "" is an empty payload */
  CHECK_INT(0, asyncrpc_core_publish_event(&core, 13, 1, 1, " [1, 2] \n"));
  CHECK_INT(0, asyncrpc_core_publish_event(&core, 13, 2, 1, "42"));
  CHECK_INT(0, asyncrpc_core_publish_event(&core, 13, 3, 1, NULL));
  CHECK_INT(0, asyncrpc_core_publish_event(&core, 13, 4, 1, ""));
  CHECK_INT(4, fake_count(EVT));
  CHECK_INT(0, fake.sent[3].payload_len);
}

TEST(invalid_events_are_refused_locally) {
  start();
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, send_simple((uint64_t)INT64_MAX + 1, 1, 1));
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, send_simple(1, UINT64_MAX, 1));
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, send_simple(1, 1, 253402300799ull)); /* 9999-12-31T23:59:59Z */
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, asyncrpc_core_publish_event(NULL, 1, 1, 1, NULL));
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, asyncrpc_core_send_event(&core, NULL));
  static asyncrpc_core_t never_started;
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, asyncrpc_core_publish_event(&never_started, 1, 1, 1, NULL));
  asyncrpc_event_t no_payload = {.type_code = 1, .dev_event_id = 1, .payload_len = 3};
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, asyncrpc_core_send_event(&core, &no_payload));
  char long_correlation[ASYNCRPC_MAX_EVENT_CORRELATION + 2];
  memset(long_correlation, 'c', sizeof(long_correlation) - 1);
  long_correlation[sizeof(long_correlation) - 1] = '\0';
  asyncrpc_event_t too_long = {.type_code = 1, .dev_event_id = 1, .correlation = long_correlation};
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, asyncrpc_core_send_event(&core, &too_long));
  CHECK_INT(0, fake.sent_count);
  long_correlation[ASYNCRPC_MAX_EVENT_CORRELATION] = '\0';
  CHECK_INT(0, asyncrpc_core_send_event(&core, &too_long));
  CHECK_INT(ASYNCRPC_MAX_EVENT_CORRELATION, fake_last(EVT)->correlation_len);
  /* a correlation a pending event has already */
  CHECK_INT(ASYNCRPC_EVENT_ERR_INVALID, asyncrpc_core_send_event(&core, &too_long));
  CHECK_INT(0, send_simple(1, 1, 253402300798ull));
  CHECK_STR("253402300798", fake_property(fake_last(EVT), "dev_timestamp"));
  CHECK_INT(0, send_simple(0, 0, 0));
}

/** The table is small and fixed: when it is full a new event is refused, nothing is dropped. */
TEST(full_event_table_refuses_new_events) {
  start();
  for (int i = 0; i < ASYNCRPC_EVENT_SLOTS; i++) {
    CHECK_INT(0, send_simple(13, (uint64_t)i + 1, 1));
  }
  CHECK_INT(ASYNCRPC_EVENT_SLOTS, asyncrpc_core_events_pending(&core));
  CHECK_INT(ASYNCRPC_EVENT_ERR_FULL, send_simple(13, 99, 1));
  CHECK_INT(ASYNCRPC_EVENT_ERR_FULL, send_simple(0, 99, 1)); /* a type 0 event needs a slot too */
  CHECK_STR("event-table-full", asyncrpc_event_error_code(ASYNCRPC_EVENT_ERR_FULL));
  CHECK_INT(ASYNCRPC_EVENT_SLOTS, fake_count(EVT));
  CHECK_INT(0, report_count);
  deliver_answer(NULL, "13", "1", "{\"status\":\"success\"}");
  CHECK_INT(0, send_simple(13, 99, 1));
  CHECK_INT(ASYNCRPC_EVENT_SLOTS, asyncrpc_core_events_pending(&core));
}

TEST(callback_may_send_the_next_event) {
  start();
  send_golden(CORRELATION);
  asyncrpc_event_t next = {.type_code = 13, .dev_event_id = 4712, .dev_timestamp = 1764072001, .payload = "{}"};
  send_from_callback = &next;
  golden_load("19-event-answer.json", &in);
  golden_deliver(&in);
  CHECK_INT(0, send_from_callback_rc);
  CHECK_STR("4712", fake_property(fake_last(EVT), "dev_event_id"));
  CHECK_INT(1, asyncrpc_core_events_pending(&core));
  /* a chain of type 0 events from the callback ends too */
  asyncrpc_event_t zero = {.type_code = 0, .dev_event_id = 7, .payload = "{}"};
  send_from_callback = &zero;
  CHECK_INT(0, send_simple(0, 6, 1));
  CHECK_INT(3, report_count);
  CHECK_INT(7, reports[2].dev_event_id);
}

/* A handler that sends an event while its task's JSON is parsed in the arena. */
static int sending_handler(const asyncrpc_task_t *task, asyncrpc_writer_t *result, void *user) {
  (void)user;
  int rc = asyncrpc_core_publish_event(&core, 13, 4711, 1764072000, PAYLOAD);
  CHECK_INT(0, rc);
  CHECK_INT(ASYNCRPC_EVENT_ERR_NOT_JSON, asyncrpc_core_publish_event(&core, 13, 4712, 1, "{nope"));
  /* the task's parsed payload is intact after the event's check */
  const cJSON *relay = cJSON_GetObjectItemCaseSensitive(task->json, "relay");
  CHECK(cJSON_IsNumber(relay) && relay->valueint == 2);
  asyncrpc_writer_printf(result, "{\"relay\":%d}", relay->valueint);
  return 200;
}

TEST(handler_may_send_an_event) {
  static const asyncrpc_handler_t HANDLERS[] = {{"relay.switch", sending_handler, NULL}};
  fake_start(HANDLERS, 1);
  fake_clear_sent();
  asyncrpc_property_t props[] = {{"method_code", "relay.switch"}};
  fake_deliver("srv/SN-0001/rsp", TASK, props, 1, "{\"relay\":2,\"state\":\"on\"}");
  CHECK_INT(1, fake_count(EVT));
  const fake_sent_t *res = fake_last("dev/SN-0001/res");
  CHECK(res != NULL);
  CHECK_STR("200", fake_property(res, "status_code"));
  CHECK_STR("{\"relay\":2}", res->payload);
}

/* ---- malformed and mutated answers ---------------------------------------------------------------------- */

TEST(malformed_event_answers_are_ignored) {
  start();
  send_golden(CORRELATION);
  const char *bodies[] = {"", "not json", "[]", "\"success\"", "{}", "{\"status\":1}", "{\"status\":null}",
                          "{\"status\":\"success\"", "{\"status\":\"success\"} {}", "{\"Status\":\"success\"}",
                          "{\"status\":[\"success\"]}"};
  for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    deliver_answer(CORRELATION, "13", "4711", bodies[i]);
  }
  asyncrpc_property_t only_type[] = {{"event_type_code", "13"}};
  fake_deliver(EVA, CORRELATION, only_type, 1, "{\"status\":\"success\"}");
  fake_deliver(EVA, CORRELATION, NULL, 0, "{\"status\":\"success\"}");
  asyncrpc_property_t nulls[] = {{NULL, "13"}, {"event_type_code", NULL}, {"dev_event_id", "4711"}};
  fake_deliver(EVA, CORRELATION, nulls, 3, "{\"status\":\"success\"}");
  asyncrpc_message_t no_bytes = {.topic = EVA, .correlation_data = (const uint8_t *)CORRELATION,
                                 .correlation_len = 36, .properties = nulls + 2, .property_count = 1,
                                 .payload = NULL, .payload_len = 40};
  asyncrpc_core_on_message(&core, &no_bytes);
  asyncrpc_message_t with_nul = {.topic = EVA, .correlation_data = (const uint8_t *)CORRELATION,
                                 .correlation_len = 36, .properties = NULL, .property_count = 0,
                                 .payload = (const uint8_t *)"{\"status\":\"success\"}\0x", .payload_len = 22};
  asyncrpc_core_on_message(&core, &with_nul);
  CHECK_INT(0, report_count);
  CHECK_INT(sizeof(bodies) / sizeof(bodies[0]) + 5, core.stats.event_answers_malformed);
  CHECK_INT(0, core.stats.malformed); /* an eva's correlation is not a task id: not "malformed" */
  CHECK_INT(1, asyncrpc_core_events_pending(&core));
  /* foreign topics stay ignored */
  fake_deliver("srv/SN-0002/eva", CORRELATION, NULL, 0, "{\"status\":\"success\"}");
  fake_deliver("srv/SN-0001/eva/x", CORRELATION, NULL, 0, "{\"status\":\"success\"}");
  fake_deliver("dev/SN-0001/eva", CORRELATION, NULL, 0, "{\"status\":\"success\"}");
  CHECK_INT(3, core.stats.ignored);
  /* and the event is still answered when the real answer comes */
  golden_load("19-event-answer.json", &in);
  golden_deliver(&in);
  CHECK_INT(1, report_count);
}

/** A huge answer body (the ESP-IDF port passes only the length of one over its buffer). */
TEST(oversized_event_answer_is_ignored) {
  start();
  send_golden(CORRELATION);
  static char huge[ASYNCRPC_MAX_PAYLOAD + 64];
  snprintf(huge, sizeof(huge), "{\"status\":\"success\",\"pad\":\"");
  size_t len = strlen(huge);
  memset(huge + len, 'p', sizeof(huge) - len - 3);
  memcpy(huge + sizeof(huge) - 3, "\"}", 3);
  deliver_answer(CORRELATION, "13", "4711", huge);
  CHECK_INT(0, report_count);
  CHECK_INT(1, core.stats.event_answers_malformed);
}

/** Golden 19 and 20 mutated byte by byte, plus random properties: no crash, at most one report each. */
TEST(mutated_event_answers_never_crash_the_core) {
  start();
  golden_t answers[2];
  golden_load("19-event-answer.json", &answers[0]);
  golden_load("20-event-answer-error.json", &answers[1]);
  uint32_t state = 4711;
  static const char *values[] = {"13", "4711", "0", "-0", " 13", "", "99999999999999999999", "4711\n", "x"};
  static const char *keys[] = {"event_type_code", "dev_event_id", "correlationData", "status"};
  int accepted = 0;
  for (int round = 0; round < 20000; round++) {
    if (asyncrpc_core_events_pending(&core) < ASYNCRPC_EVENT_SLOTS) {
      asyncrpc_event_t event = {.type_code = 13, .dev_event_id = 4711, .dev_timestamp = (uint64_t)round,
                                .correlation = (round & 1) ? CORRELATION : NULL, .payload = "{}"};
      if (asyncrpc_core_send_event(&core, &event) == 0) {
        accepted++;
      }
    }
    state = state * 1103515245u + 12345u;
    golden_t *g = &answers[(state >> 16) & 1];
    char payload[sizeof(g->payload)];
    size_t len = strlen(g->payload);
    memcpy(payload, g->payload, len + 1);
    int mutations = (int)((state >> 8) % 4);
    for (int m = 0; m < mutations && len > 0; m++) {
      state = state * 1103515245u + 12345u;
      size_t at = (state >> 16) % len;
      switch ((state >> 4) % 3) {
        case 0: payload[at] = (char)(state >> 24); break;  /* flip a byte (NUL included) */
        case 1: len = at; break;                            /* truncate */
        default: payload[at] = payload[(at + 1) % len]; break;
      }
    }
    asyncrpc_property_t props[4];
    size_t prop_count = 0;
    if ((state & 0x30) != 0x30) {
      props[prop_count++] = g->properties[0];
      props[prop_count++] = g->properties[1];
    }
    for (size_t extra = (state >> 28) % 3; extra > 0 && prop_count < 4; extra--) {
      state = state * 1103515245u + 12345u;
      props[prop_count].key = keys[(state >> 16) % 4];
      props[prop_count].value = values[(state >> 8) % 9];
      prop_count++;
    }
    uint8_t correlation[40];
    size_t correlation_len = 0;
    switch ((state >> 20) % 4) {
      case 0: break;
      case 1: memcpy(correlation, CORRELATION, 36); correlation_len = 36; break;
      case 2: memcpy(correlation, CORRELATION, 36); correlation[(state >> 12) % 36] ^= 1; correlation_len = 36; break;
      default: memcpy(correlation, CORRELATION, 36); correlation_len = 1 + (state >> 12) % 40; break;
    }
    asyncrpc_message_t message = {.topic = EVA,
                                  .correlation_data = correlation_len == 0 ? NULL : correlation,
                                  .correlation_len = correlation_len,
                                  .properties = props,
                                  .property_count = prop_count,
                                  .payload = (const uint8_t *)payload,
                                  .payload_len = len};
    asyncrpc_core_on_message(&core, &message);
    if (round % 40 == 0) {
      tick_after(2500);
    }
    if (fake.sent_count > FAKE_MAX_SENT - 64) {
      fake_clear_sent();
    }
    if (report_count > 48) {
      report_count = 0; /* counted below through the stats */
    }
  }
  uint32_t ended = core.stats.events_stored + core.stats.events_refused + core.stats.events_unanswered;
  CHECK_INT(accepted, (int)ended + (int)asyncrpc_core_events_pending(&core));
  CHECK(core.stats.events_stored > 0 && core.stats.events_refused > 0);
  CHECK(core.stats.event_answers_malformed > 0 && core.stats.event_answers_unmatched > 0);
  CHECK_INT(20000, core.stats.messages);
}

TEST(event_names_are_stable) {
  CHECK_STR("stored", asyncrpc_event_outcome_name(ASYNCRPC_EVENT_STORED));
  CHECK_STR("refused", asyncrpc_event_outcome_name(ASYNCRPC_EVENT_REFUSED));
  CHECK_STR("no-answer-expected", asyncrpc_event_outcome_name(ASYNCRPC_EVENT_NO_ANSWER_EXPECTED));
  CHECK_STR("unanswered", asyncrpc_event_outcome_name(ASYNCRPC_EVENT_UNANSWERED));
  CHECK_STR("payload-not-json", asyncrpc_event_error_code(ASYNCRPC_EVENT_ERR_NOT_JSON));
  CHECK_STR("invalid-event", asyncrpc_event_error_code(ASYNCRPC_EVENT_ERR_INVALID));
  CHECK_STR("unknown", asyncrpc_event_error_code(-99));
}
