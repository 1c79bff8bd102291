/*
 * asyncrpc-device: the firmware's portable core as a Linux process, with the demo handlers of the
 * Java agent's CLI (echo, sum, fail, sleep). It is how the host tests run the firmware's protocol
 * logic against the real broker and core-service.
 *
 *   asyncrpc-device --device-id SN --host 127.0.0.1 --port 1884 --username device --password device
 *                   [--poll-interval-ms N] [--result-retry-ms N] [--journal FILE] [--no-ack]
 *                   [--protocol 1|2] [--cafile CA.pem --cert DEVICE.pem --key DEVICE.key] [--debug]
 *                   [--identity-dir DIR [--enroll-token T --ca-url URL]]
 *                   [--event TYPE:ID[:PAYLOAD]]... [--event-interval-ms N] [--event-attempts N]
 *                   [--exit-after-events]
 *
 * With --identity-dir the device uses DIR/device.pem and DIR/device.key; when they are missing it
 * first enrolls at ca-service with the one-time token (its key is made here and never sent).
 * --protocol 2 speaks device protocol v2 (push); the default 1 sends exactly the seed's messages.
 *
 * --event publishes a device event (dev/<SN>/evt) once connected, dev_timestamp = now; without a
 * PAYLOAD it sends the seed's numbered tags {"101": ID, "102": now, "200": TYPE, "300": []}. With
 * --event-interval-ms the events are published again every N ms, each id raised by one per round
 * (an id 0 stays 0). Their outcomes are printed as the Java CLI's event command prints them
 * ("event 13/4711 stored (1 send)"); --exit-after-events stops once every event has ended, with
 * status 0 when all were stored (or not answered, type or id 0) and 1 otherwise.
 */
#include <getopt.h>
#include <inttypes.h>
#include <mosquitto.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asyncrpc/core.h"
#include "asyncrpc/demo_handlers.h"
#include "enroll_client.h"
#include "inbox.h"
#include "mosquitto_port.h"

#define KEEPALIVE_S 30
#define TICK_MS 100u
#define MAX_EVENT_SPECS 16

static volatile sig_atomic_t stopping;
static asyncrpc_core_t core; /* static, as on the device: its buffers are fixed at build time */
static host_port_t host;

/* --event TYPE:ID[:PAYLOAD], in the order given. */
typedef struct {
  uint64_t type_code;
  uint64_t dev_event_id;
  const char *payload; /* NULL: the seed's numbered tags */
} event_spec_t;

static struct {
  event_spec_t specs[MAX_EVENT_SPECS];
  size_t count;
  long interval_ms;  /* 0: once */
  bool exit_after;
  bool connected_once;
  size_t next;       /* next spec of this round */
  uint64_t round;
  uint64_t due_ms;   /* start of the next round */
  unsigned failed;   /* refused, unanswered or not sent */
} events;

static uint64_t monotonic_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static void on_event_outcome(const asyncrpc_event_report_t *report, void *user) {
  (void)user;
  if (report->outcome != ASYNCRPC_EVENT_STORED && report->outcome != ASYNCRPC_EVENT_NO_ANSWER_EXPECTED) {
    events.failed++;
  }
}

/** Hands the --event list to the core while it has room: after the first connection, per round. */
static void feed_events(void) {
  if (events.count == 0 || !events.connected_once) {
    return;
  }
  uint64_t now = monotonic_ms();
  if (events.next >= events.count) {
    if (events.interval_ms <= 0 || now < events.due_ms) {
      return;
    }
    events.round++;
    events.next = 0;
  }
  while (events.next < events.count && asyncrpc_core_events_pending(&core) < ASYNCRPC_EVENT_SLOTS) {
    const event_spec_t *spec = &events.specs[events.next++];
    if (events.next == events.count) {
      events.due_ms = now + (uint64_t)events.interval_ms;
    }
    uint64_t id = spec->dev_event_id == 0 ? 0 : spec->dev_event_id + events.round;
    uint64_t timestamp = (uint64_t)time(NULL);
    char tags[160];
    const char *payload = spec->payload;
    if (payload == NULL) {
      snprintf(tags, sizeof(tags), "{\"101\": %" PRIu64 ", \"102\": %" PRIu64 ", \"200\": %" PRIu64 ", \"300\": []}",
               id, timestamp, spec->type_code);
      payload = tags;
    }
    int rc = asyncrpc_core_publish_event(&core, spec->type_code, id, timestamp, payload);
    if (rc != ASYNCRPC_EVENT_OK) {
      fprintf(stderr, "ERROR asyncrpc: event %" PRIu64 "/%" PRIu64 " not sent: %s\n", spec->type_code, id,
              asyncrpc_event_error_code(rc));
      events.failed++;
    }
  }
}

/** --exit-after-events: every event of the single round has ended. */
static bool events_done(void) {
  return events.exit_after && events.interval_ms <= 0 && events.connected_once && events.next >= events.count &&
         asyncrpc_core_events_pending(&core) == 0;
}

/** TYPE:ID[:PAYLOAD]; exits with status 2 when it is not that. */
static void parse_event(char *text) {
  if (events.count >= MAX_EVENT_SPECS) {
    fprintf(stderr, "at most %d --event options\n", MAX_EVENT_SPECS);
    exit(2);
  }
  event_spec_t *spec = &events.specs[events.count++];
  char *id = strchr(text, ':');
  char *payload = id == NULL ? NULL : strchr(id + 1, ':');
  if (id != NULL) {
    *id++ = '\0';
  }
  if (payload != NULL) {
    *payload++ = '\0';
  }
  char *end;
  errno = 0;
  unsigned long long type_code = strtoull(text, &end, 10);
  bool ok = id != NULL && *text >= '0' && *text <= '9' && *end == '\0' && errno == 0 && type_code <= INT64_MAX;
  unsigned long long event_id = ok ? strtoull(id, &end, 10) : 0;
  ok = ok && *id >= '0' && *id <= '9' && *end == '\0' && errno == 0 && event_id <= INT64_MAX;
  if (!ok || (payload != NULL && strlen(payload) > ASYNCRPC_MAX_EVENT_PAYLOAD)) {
    fprintf(stderr, "--event must be TYPE:ID[:PAYLOAD]: non-negative integers and at most %d bytes of JSON\n",
            ASYNCRPC_MAX_EVENT_PAYLOAD);
    exit(2);
  }
  spec->type_code = type_code;
  spec->dev_event_id = event_id;
  spec->payload = payload;
}

static void on_signal(int signal_number) {
  (void)signal_number;
  stopping = 1;
}

static void sleep_ms(uint32_t ms) {
  struct timespec t = {.tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L};
  while (nanosleep(&t, &t) != 0 && !stopping) {
  }
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: asyncrpc-device --device-id SN [--host H] [--port P] [--username U --password P]\n"
          "       [--poll-interval-ms N] [--result-retry-ms N] [--journal FILE] [--no-ack]\n"
          "       [--protocol 1|2] [--cafile CA --cert CERT --key KEY] [--debug]\n"
          "       [--identity-dir DIR [--enroll-token TOKEN --ca-url URL]]\n"
          "       [--event TYPE:ID[:PAYLOAD]]... [--event-interval-ms N] [--event-attempts N]\n"
          "       [--exit-after-events]\n"
          "environment: IOTCORE_DEVICE_ID IOTCORE_MQTT_HOST IOTCORE_MQTT_PORT IOTCORE_MQTT_USERNAME\n"
          "             IOTCORE_MQTT_PASSWORD IOTCORE_JOURNAL IOTCORE_IDENTITY_DIR IOTCORE_ENROLL_TOKEN\n"
          "             IOTCORE_CA_URL (arguments win)\n");
}

static const char *env_or(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return value != NULL && *value != '\0' ? value : fallback;
}

static long number(const char *text, const char *option, long min, long max) {
  char *end;
  long value = strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < min || value > max) {
    fprintf(stderr, "%s must be a number in %ld..%ld\n", option, min, max);
    exit(2);
  }
  return value;
}

int main(int argc, char **argv) {
  const char *device_id = env_or("IOTCORE_DEVICE_ID", NULL);
  const char *broker = env_or("IOTCORE_MQTT_HOST", "127.0.0.1");
  long port = number(env_or("IOTCORE_MQTT_PORT", "1884"), "IOTCORE_MQTT_PORT", 1, 65535);
  const char *username = env_or("IOTCORE_MQTT_USERNAME", NULL);
  const char *password = env_or("IOTCORE_MQTT_PASSWORD", NULL);
  const char *journal_path = env_or("IOTCORE_JOURNAL", NULL);
  const char *cafile = NULL;
  const char *cert = NULL;
  const char *key = NULL;
  const char *identity_dir = env_or("IOTCORE_IDENTITY_DIR", NULL);
  const char *enroll_token = env_or("IOTCORE_ENROLL_TOKEN", NULL);
  const char *ca_url = env_or("IOTCORE_CA_URL", NULL);
  static char certificate_path[4096], key_path[4096];
  long poll_interval_ms = 30000;
  long result_retry_ms = 5000;
  bool no_ack = false;
  long protocol_version = 1;
  long event_attempts = 5;

  static const struct option options[] = {
      {"device-id", required_argument, NULL, 'd'},   {"host", required_argument, NULL, 'h'},
      {"port", required_argument, NULL, 'p'},        {"username", required_argument, NULL, 'u'},
      {"password", required_argument, NULL, 'P'},    {"poll-interval-ms", required_argument, NULL, 'i'},
      {"result-retry-ms", required_argument, NULL, 'r'}, {"journal", required_argument, NULL, 'j'},
      {"cafile", required_argument, NULL, 'A'},      {"cert", required_argument, NULL, 'C'},
      {"key", required_argument, NULL, 'K'},         {"no-ack", no_argument, NULL, 'n'},
      {"debug", no_argument, NULL, 'D'},             {"help", no_argument, NULL, '?'},
      {"identity-dir", required_argument, NULL, 'I'}, {"enroll-token", required_argument, NULL, 'T'},
      {"ca-url", required_argument, NULL, 'U'},      {"protocol", required_argument, NULL, 'V'},
      {"event", required_argument, NULL, 'E'},       {"event-interval-ms", required_argument, NULL, 'W'},
      {"event-attempts", required_argument, NULL, 'N'}, {"exit-after-events", no_argument, NULL, 'X'},
      {NULL, 0, NULL, 0}};
  int option;
  while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
    switch (option) {
      case 'd': device_id = optarg; break;
      case 'h': broker = optarg; break;
      case 'p': port = number(optarg, "--port", 1, 65535); break;
      case 'u': username = optarg; break;
      case 'P': password = optarg; break;
      case 'i': poll_interval_ms = number(optarg, "--poll-interval-ms", 100, 86400000L); break;
      case 'r': result_retry_ms = number(optarg, "--result-retry-ms", 100, 86400000L); break;
      case 'j': journal_path = optarg; break;
      case 'A': cafile = optarg; break;
      case 'C': cert = optarg; break;
      case 'K': key = optarg; break;
      case 'n': no_ack = true; break;
      case 'D': host.debug = true; break;
      case 'I': identity_dir = optarg; break;
      case 'T': enroll_token = optarg; break;
      case 'U': ca_url = optarg; break;
      case 'V': protocol_version = number(optarg, "--protocol", 1, 2); break;
      case 'E': parse_event(optarg); break;
      case 'W': events.interval_ms = number(optarg, "--event-interval-ms", 100, 86400000L); break;
      case 'N': event_attempts = number(optarg, "--event-attempts", 1, 255); break;
      case 'X': events.exit_after = true; break;
      default: usage(option == '?' && optopt == 0 ? stdout : stderr); return option == '?' && optopt == 0 ? 0 : 2;
    }
  }
  if (!asyncrpc_device_id_valid(device_id)) {
    fprintf(stderr, "--device-id is required and must match [A-Za-z0-9_-]{1,64}\n");
    usage(stderr);
    return 2;
  }
  if (events.exit_after && (events.count == 0 || events.interval_ms > 0)) {
    fprintf(stderr, "--exit-after-events needs --event and no --event-interval-ms\n");
    return 2;
  }
  if ((cert == NULL) != (key == NULL)) {
    fprintf(stderr, "--cert and --key go together\n");
    return 2;
  }
  if (identity_dir != NULL) {
    if (cert != NULL) {
      fprintf(stderr, "--identity-dir replaces --cert and --key\n");
      return 2;
    }
    if ((size_t)snprintf(certificate_path, sizeof certificate_path, "%s/device.pem", identity_dir) >=
            sizeof certificate_path ||
        (size_t)snprintf(key_path, sizeof key_path, "%s/device.key", identity_dir) >= sizeof key_path) {
      fprintf(stderr, "--identity-dir is too long\n");
      return 2;
    }
    if (access(certificate_path, R_OK) != 0 || access(key_path, R_OK) != 0) {
      if (enroll_token == NULL || ca_url == NULL) {
        fprintf(stderr, "no identity in %s: enroll with --enroll-token and --ca-url\n", identity_dir);
        return 2;
      }
      if (host_enroll(ca_url, device_id, enroll_token, identity_dir) != 0) {
        return 1;
      }
    }
    cert = certificate_path;
    key = key_path;
  } else if (enroll_token != NULL) {
    fprintf(stderr, "--enroll-token needs --identity-dir (where the identity is kept)\n");
    return 2;
  }
  if (file_journal_open(&host.journal, journal_path) != 0) {
    perror(journal_path);
    return 1;
  }

  mosquitto_lib_init();
  /* client id = device id (= certificate CN in production); clean start, session expiry 0. */
  host.mosq = mosquitto_new(device_id, true, NULL);
  if (host.mosq == NULL) {
    perror("mosquitto_new");
    return 1;
  }
  mosquitto_int_option(host.mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  if (username != NULL) {
    mosquitto_username_pw_set(host.mosq, username, password);
  }
  if (cafile != NULL || cert != NULL) {
    int rc = mosquitto_tls_set(host.mosq, cafile, NULL, cert, key, NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
      fprintf(stderr, "TLS setup failed: %s\n", mosquitto_strerror(rc));
      return 1;
    }
  }
  mosquitto_reconnect_delay_set(host.mosq, 1, 30, true);
  host_port_install_callbacks(host.mosq);

  size_t handler_count;
  const asyncrpc_handler_t *handlers = asyncrpc_demo_handlers(sleep_ms, &handler_count);
  asyncrpc_config_t config = {.device_id = device_id,
                              .handlers = handlers,
                              .handler_count = handler_count,
                              .poll_interval_ms = (uint32_t)poll_interval_ms,
                              .result_retry_ms = (uint32_t)result_retry_ms,
                              .no_ack = no_ack,
                              .protocol_version = (uint8_t)protocol_version,
                              .event_attempts = (uint8_t)event_attempts,
                              .on_event = on_event_outcome,
                              .event_seed = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL) ^ monotonic_ms()};
  asyncrpc_port_t port_functions = host_port(&host);
  if (asyncrpc_core_init(&core, &config, &port_functions) != 0) {
    fprintf(stderr, "cannot start the core\n");
    return 1;
  }

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  int rc = mosquitto_connect_async(host.mosq, broker, (int)port, KEEPALIVE_S);
  if (rc != MOSQ_ERR_SUCCESS) {
    fprintf(stderr, "WARN asyncrpc: first connect to %s:%ld failed (%s); retrying\n", broker, port,
            mosquitto_strerror(rc));
  }
  rc = mosquitto_loop_start(host.mosq);
  if (rc != MOSQ_ERR_SUCCESS) {
    fprintf(stderr, "cannot start the MQTT thread: %s\n", mosquitto_strerror(rc));
    return 1;
  }
  fprintf(stderr, "INFO asyncrpc: device %s, broker %s:%ld, protocol v%ld\n", device_id, broker, port,
          protocol_version);

  while (!stopping) {
    uint32_t wait = asyncrpc_core_next_timeout_ms(&core);
    inbox_item_t *item = inbox_take(wait > TICK_MS ? TICK_MS : wait);
    if (item != NULL) {
      switch (item->kind) {
        case INBOX_CONNECTED:
          asyncrpc_core_on_connected(&core);
          events.connected_once = true;
          break;
        case INBOX_DISCONNECTED: asyncrpc_core_on_disconnected(&core); break;
        case INBOX_MESSAGE: asyncrpc_core_on_message(&core, &item->message); break;
      }
      free(item);
    }
    asyncrpc_core_tick(&core);
    feed_events();
    if (events_done()) {
      break;
    }
  }

  fprintf(stderr, "INFO asyncrpc: stopping\n");
  mosquitto_disconnect_v5(host.mosq, 0, NULL);
  mosquitto_loop_stop(host.mosq, false);
  mosquitto_destroy(host.mosq);
  mosquitto_lib_cleanup();
  file_journal_close(&host.journal);
  return events.exit_after && events.failed > 0 ? 1 : 0;
}
