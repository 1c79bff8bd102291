#include "golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static char *read_file(const char *path) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    fprintf(stderr, "cannot open golden message %s\n", path);
    exit(1);
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *text = malloc((size_t)size + 1);
  CHECK(text != NULL);
  CHECK(fread(text, 1, (size_t)size, file) == (size_t)size);
  text[size] = '\0';
  fclose(file);
  return text;
}

static int hex(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void golden_load(const char *name, golden_t *golden) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", ASYNCRPC_GOLDEN_DIR, name);
  char *text = read_file(path);
  cJSON *json = cJSON_Parse(text);
  free(text);
  CHECK(json != NULL);
  memset(golden, 0, sizeof(*golden));

  const cJSON *topic = cJSON_GetObjectItemCaseSensitive(json, "topic");
  CHECK(cJSON_IsString(topic) && strlen(topic->valuestring) < sizeof(golden->topic));
  strcpy(golden->topic, topic->valuestring);
  CHECK(cJSON_GetObjectItemCaseSensitive(json, "qos")->valueint == 1);

  const cJSON *correlation = cJSON_GetObjectItemCaseSensitive(json, "correlation_data");
  const cJSON *correlation_hex = cJSON_GetObjectItemCaseSensitive(json, "correlation_data_hex");
  if (cJSON_IsString(correlation)) {
    golden->correlation_len = strlen(correlation->valuestring);
    CHECK(golden->correlation_len <= sizeof(golden->correlation));
    memcpy(golden->correlation, correlation->valuestring, golden->correlation_len);
  } else if (cJSON_IsString(correlation_hex)) {
    size_t len = strlen(correlation_hex->valuestring);
    CHECK(len % 2 == 0 && len / 2 <= sizeof(golden->correlation));
    for (size_t i = 0; i < len / 2; i++) {
      int high = hex(correlation_hex->valuestring[2 * i]);
      int low = hex(correlation_hex->valuestring[2 * i + 1]);
      CHECK(high >= 0 && low >= 0);
      golden->correlation[i] = (unsigned char)(high << 4 | low);
    }
    golden->correlation_len = len / 2;
  }

  const cJSON *property;
  cJSON_ArrayForEach(property, cJSON_GetObjectItemCaseSensitive(json, "user_properties")) {
    size_t i = golden->property_count++;
    CHECK(i < GOLDEN_MAX_PROPS && cJSON_IsString(property));
    snprintf(golden->keys[i], sizeof(golden->keys[i]), "%s", property->string);
    snprintf(golden->values[i], sizeof(golden->values[i]), "%s", property->valuestring);
    golden->properties[i].key = golden->keys[i];
    golden->properties[i].value = golden->values[i];
  }

  const cJSON *payload = cJSON_GetObjectItemCaseSensitive(json, "payload");
  if (payload != NULL && !cJSON_IsNull(payload)) {
    char *printed = cJSON_PrintUnformatted(payload);
    CHECK(printed != NULL && strlen(printed) < sizeof(golden->payload));
    strcpy(golden->payload, printed);
    cJSON_free(printed);
  }
  cJSON_Delete(json);
}

void golden_remove_property(golden_t *golden, const char *key) {
  for (size_t i = 0; i < golden->property_count; i++) {
    if (strcmp(golden->keys[i], key) == 0) {
      for (size_t j = i + 1; j < golden->property_count; j++) {
        strcpy(golden->keys[j - 1], golden->keys[j]);
        strcpy(golden->values[j - 1], golden->values[j]);
      }
      golden->property_count--;
      for (size_t j = 0; j < golden->property_count; j++) {
        golden->properties[j].key = golden->keys[j];
        golden->properties[j].value = golden->values[j];
      }
      return;
    }
  }
}

void golden_append_property(golden_t *golden, const char *key, const char *value) {
  size_t i = golden->property_count;
  CHECK(i < GOLDEN_MAX_PROPS && strlen(key) < sizeof(golden->keys[i]) && strlen(value) < sizeof(golden->values[i]));
  strcpy(golden->keys[i], key);
  strcpy(golden->values[i], value);
  golden->properties[i].key = golden->keys[i];
  golden->properties[i].value = golden->values[i];
  golden->property_count++;
}

void golden_deliver(const golden_t *golden) {
  asyncrpc_message_t message = {
      .topic = golden->topic,
      .correlation_data = golden->correlation_len == 0 ? NULL : golden->correlation,
      .correlation_len = golden->correlation_len,
      .properties = golden->properties,
      .property_count = golden->property_count,
      .payload = (const uint8_t *)golden->payload,
      .payload_len = strlen(golden->payload),
  };
  asyncrpc_core_on_message(&core, &message);
}

void golden_check(const fake_sent_t *sent, const golden_t *golden) {
  CHECK(sent != NULL);
  CHECK_STR(golden->topic, sent->topic);
  CHECK_INT(golden->correlation_len, sent->correlation_len);
  CHECK(memcmp(golden->correlation, sent->correlation, golden->correlation_len) == 0);
  CHECK_INT(golden->property_count, sent->property_count);
  for (size_t i = 0; i < golden->property_count; i++) { /* in order, as the Java tests compare them */
    CHECK_STR(golden->keys[i], sent->keys[i]);
    CHECK_STR(golden->values[i], sent->values[i]);
  }
  if (golden->payload[0] == '\0') {
    CHECK_INT(0, sent->payload_len);
    return;
  }
  cJSON *expected = cJSON_Parse(golden->payload);
  cJSON *actual = cJSON_ParseWithLength(sent->payload, sent->payload_len);
  CHECK(actual != NULL);
  if (!cJSON_Compare(expected, actual, 1)) {
    fprintf(stderr, "payload %.*s is not %s\n", (int)sent->payload_len, sent->payload, golden->payload);
    exit(1);
  }
  cJSON_Delete(expected);
  cJSON_Delete(actual);
}
